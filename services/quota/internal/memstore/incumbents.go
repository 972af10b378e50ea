package memstore

import (
	"context"
	"errors"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// stored is a person as the adapter stores them: times at millisecond
// precision.
func stored(r ledger.IncumbentRecord) ledger.IncumbentRecord {
	r.BirthDate, r.EntryDate, r.ExitDate, r.UpdatedAt = ms(r.BirthDate), ms(r.EntryDate), ms(r.ExitDate), ms(r.UpdatedAt)
	return r
}

// InsertIncumbents inserts people unordered: every row whose ID number is
// free (also free of an earlier row of the same call) goes in, and the
// indexes of the others are returned.
func (s *Store) InsertIncumbents(_ context.Context, people []ledger.IncumbentRecord) ([]int, error) {
	if len(people) == 0 {
		return nil, errEmptyInsert("insert incumbents")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var dup []int
	for i, p := range people {
		if insert(s.incumbents, p.IDNumber, stored(p), "insert incumbents") != nil {
			dup = append(dup, i)
		}
	}
	return dup, nil
}

// ClaimHires inserts hire claims, unordered, reporting those already claimed.
func (s *Store) ClaimHires(_ context.Context, claims []ledger.HireClaim) ([]int, error) {
	if len(claims) == 0 {
		return nil, errEmptyInsert("claim hires")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var dup []int
	for i, c := range claims {
		c.At = c.At.UTC().Truncate(time.Millisecond)
		if insert(s.hireClaims, c.ID, c, "claim hires") != nil {
			dup = append(dup, i)
		}
	}
	return dup, nil
}

// Incumbent reads a person by ID number.
func (s *Store) Incumbent(_ context.Context, idNumber string) (ledger.IncumbentRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.incumbents, idNumber, same)
}

// UpdateIncumbent replaces a person's record if the stored one is the
// same tenure (the same request ID; a record without one matches nothing,
// as the adapter stores none) and reflects an earlier op than r.OpSeq; it
// reports whether it did. Nobody, another tenure, or a record already at
// r.OpSeq or later is left alone, without an error.
func (s *Store) UpdateIncumbent(_ context.Context, r ledger.IncumbentRecord) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.incumbents[r.IDNumber]
	if !ok || cur.RequestID == "" || cur.RequestID != r.RequestID || cur.OpSeq >= r.OpSeq {
		return false, nil
	}
	s.incumbents[r.IDNumber] = stored(r)
	return true, nil
}

// DeletePending removes the people of idNumbers still pending under batch
// batchID (a record without a batch matches none); missing ones, later
// hires and people past pending stay.
func (s *Store) DeletePending(_ context.Context, batchID string, idNumbers []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range idNumbers {
		if r, ok := s.incumbents[id]; ok && r.TransferID != "" && r.TransferID == batchID && r.State == ledger.IncumbentPending {
			delete(s.incumbents, id)
		}
	}
	return nil
}

// Incumbents lists a unit's people (every state), sorted by ID number.
func (s *Store) Incumbents(_ context.Context, unit string) ([]ledger.IncumbentRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.incumbents, func(r ledger.IncumbentRecord) bool { return r.Unit == unit }, same), nil
}

// ArchiveIncumbent copies an exited person to the history under
// <ID number>#<exit transfer> (a copy already there is kept) and removes
// the live record if it is the same tenure (r.RequestID, never an empty
// one) and exited: a later hire of the same person, exited or not, is
// never removed by a retried archive.
func (s *Store) ArchiveIncumbent(_ context.Context, r ledger.IncumbentRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := insert(s.history, r.IDNumber+"#"+r.TransferID, stored(r), "archive incumbent")
	if err != nil && !errors.Is(err, ledger.ErrDuplicate) {
		return err
	}
	if live, ok := s.incumbents[r.IDNumber]; ok && live.RequestID != "" && live.RequestID == r.RequestID && live.State == ledger.IncumbentExited {
		delete(s.incumbents, r.IDNumber)
	}
	return nil
}

// ArchivedIncumbent reads an archived record.
func (s *Store) ArchivedIncumbent(_ context.Context, idNumber, transferID string) (ledger.IncumbentRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.history, idNumber+"#"+transferID, same)
}

// AllIncumbents returns every live person with only the fields the
// adapter projects for the checker: ID number, account, state, the batch
// (TransferID) and the hire's request ID (not OpSeq).
func (s *Store) AllIncumbents(_ context.Context) ([]ledger.IncumbentRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.incumbents, nil, func(r ledger.IncumbentRecord) ledger.IncumbentRecord {
		return ledger.IncumbentRecord{
			Incumbent: ledger.Incumbent{IDNumber: r.IDNumber, Account: r.Account, State: r.State, TransferID: r.TransferID},
			RequestID: r.RequestID,
		}
	}), nil
}

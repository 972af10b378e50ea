package memstore

import (
	"context"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// InsertTenureOp appends an op to its tenure under
// ledger.TenureOpID(op.Tenure, op.Seq) (whatever op.ID says, as the
// adapter keys it); ErrDuplicate if that number is taken.
func (s *Store) InsertTenureOp(_ context.Context, op ledger.TenureOp) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	op.ID = ledger.TenureOpID(op.Tenure, op.Seq)
	op.ExitDate, op.At = ms(op.ExitDate), ms(op.At)
	return insert(s.tenureOps, op.ID, op, "insert tenure op")
}

// TenureOp reads a tenure's op by number.
func (s *Store) TenureOp(_ context.Context, tenure string, seq int64) (ledger.TenureOp, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.tenureOps, ledger.TenureOpID(tenure, seq), same)
}

// OpenTenureOps lists ops not done recorded before a time (at the stored
// millisecond precision), sorted by ID.
func (s *Store) OpenTenureOps(_ context.Context, before time.Time) ([]ledger.TenureOp, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	before = ms(before)
	return list(s.tenureOps, func(op ledger.TenureOp) bool { return !op.Done && op.At.Before(before) }, same), nil
}

// SetTenureOpDone marks an op finished; a missing op stays missing,
// without an error.
func (s *Store) SetTenureOpDone(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if op, ok := s.tenureOps[id]; ok {
		op.Done = true
		s.tenureOps[id] = op
	}
	return nil
}

// InsertExitRequest binds an exit request to its tenure; ErrDuplicate if
// its ID exists.
func (s *Store) InsertExitRequest(_ context.Context, r ledger.ExitRequestRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.At = ms(r.At)
	return insert(s.exits, r.ID, r, "insert exit request")
}

// ExitRequest reads an exit request.
func (s *Store) ExitRequest(_ context.Context, id string) (ledger.ExitRequestRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.exits, id, same)
}

package memstore

import (
	"context"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

func cloneEntry(e ledger.Entry) ledger.Entry {
	e.Incumbents = strs(e.Incumbents)
	return e
}

// Entry reads one journal entry.
func (s *Store) Entry(_ context.Context, account ledger.AccountID, seq int64) (ledger.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.entries, ledger.EntryID(account, seq), cloneEntry)
}

// AppendEntry inserts e; ErrDuplicate if its _id or its transferLeg is
// taken (an empty transferLeg is a key like any other, as in the unique
// index). A fence (ledger.Fence) is inserted the same way: it claims its
// transferLeg against the entry it fences. A refused entry leaves nothing
// behind.
func (s *Store) AppendEntry(_ context.Context, e ledger.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.entries[e.ID]; ok {
		return duplicate("append entry")
	}
	if _, ok := s.legs[e.TransferLeg]; ok {
		return duplicate("append entry")
	}
	e = cloneEntry(e)
	e.At = ms(e.At)
	s.entries[e.ID] = e
	s.legs[e.TransferLeg] = e.ID
	return nil
}

// EntryByTransferLeg finds the entry that applied a transfer's leg, or the
// fence that claimed it.
func (s *Store) EntryByTransferLeg(_ context.Context, transferLeg string) (ledger.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.legs[transferLeg]
	if !ok {
		return ledger.Entry{}, ledger.ErrNotFound
	}
	return cloneEntry(s.entries[id]), nil
}

// Entries returns an account's journal in sequence order (the zero-padded
// _id sorts by sequence); fences belong to no account's journal, not even
// to the account "".
func (s *Store) Entries(_ context.Context, account ledger.AccountID) ([]ledger.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.entries, func(e ledger.Entry) bool { return !e.IsFence() && e.Account == account }, cloneEntry), nil
}

// AllEntries returns the whole journal, ordered by account and sequence,
// without the fences.
func (s *Store) AllEntries(_ context.Context) ([]ledger.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.entries, func(e ledger.Entry) bool { return !e.IsFence() }, cloneEntry), nil
}

package memstore

import (
	"context"
	"slices"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// InsertAccount creates an account; ErrDuplicate if it exists.
func (s *Store) InsertAccount(_ context.Context, a ledger.Account) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a.CreatedAt = ms(a.CreatedAt)
	return insert(s.accounts, a.ID, ledger.AccountRecord{Account: a}, "insert account")
}

// Account reads an account by ID.
func (s *Store) Account(_ context.Context, id ledger.AccountID) (ledger.AccountRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.accounts, id, same)
}

// Accounts lists accounts matching f, sorted by ID.
func (s *Store) Accounts(_ context.Context, f ledger.AccountFilter) ([]ledger.AccountRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.accounts, func(a ledger.AccountRecord) bool { return matches(f, a.Account) }, same), nil
}

// matches is the adapter's query: every set field must match; Unit means a
// unit account of that holder; Region is the region's subtree.
func matches(f ledger.AccountFilter, a ledger.Account) bool {
	return (f.Region == "" || ledger.InRegion(f.Region, a.Region)) &&
		(f.Kind == "" || a.Kind == f.Kind) &&
		(f.Type == "" || a.Type == f.Type) &&
		(f.Unit == "" || a.Type == ledger.HolderUnit && a.Holder == f.Unit) &&
		(f.Department == "" || a.Department == f.Department) &&
		(f.Level == "" || a.Level == f.Level) &&
		(len(f.IDs) == 0 || slices.Contains(f.IDs, a.ID))
}

// SetAbolished marks an account's holder abolished or restored; a missing
// account is left missing, without an error (an update matching nothing).
func (s *Store) SetAbolished(_ context.Context, id ledger.AccountID, abolished bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.accounts[id]; ok {
		a.Abolished = abolished
		s.accounts[id] = a
	}
	return nil
}

// SetHeadHint records a recent head sequence (see SetAbolished for a
// missing account).
func (s *Store) SetHeadHint(_ context.Context, id ledger.AccountID, seq int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.accounts[id]; ok {
		a.HeadHint = seq
		s.accounts[id] = a
	}
	return nil
}

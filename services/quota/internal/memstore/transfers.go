package memstore

import (
	"context"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

func cloneFailure(e *ledger.Error) *ledger.Error {
	if e == nil {
		return nil
	}
	c := *e
	if e.Balance != nil {
		b := *e.Balance
		c.Balance = &b
	}
	return &c
}

func cloneTransfer(t ledger.Transfer) ledger.Transfer {
	legs := make([]ledger.Leg, len(t.Legs)) // the adapter never answers nil legs
	copy(legs, t.Legs)
	t.Legs = legs
	t.Failure = cloneFailure(t.Failure)
	return t
}

// InsertTransfer claims a transfer ID; ErrDuplicate if it was claimed before.
func (s *Store) InsertTransfer(_ context.Context, t ledger.Transfer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t = cloneTransfer(t)
	t.CreatedAt, t.UpdatedAt = ms(t.CreatedAt), ms(t.UpdatedAt)
	return insert(s.transfers, t.ID, t, "insert transfer")
}

// Transfer reads a transfer.
func (s *Store) Transfer(_ context.Context, id string) (ledger.Transfer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.transfers, id, cloneTransfer)
}

// SetTransferState settles a transfer: the state, the time, and the failure
// if one is given (a nil failure keeps the stored one). A missing transfer
// stays missing, without an error.
func (s *Store) SetTransferState(_ context.Context, id string, st ledger.TransferState, failure *ledger.Error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.transfers[id]
	if !ok {
		return nil
	}
	t.State, t.UpdatedAt = st, ms(s.now())
	if failure != nil {
		t.Failure = cloneFailure(failure)
	}
	s.transfers[id] = t
	return nil
}

// PendingTransfers lists transfers still pending that were created before
// a time (compared at the stored millisecond precision), sorted by ID.
func (s *Store) PendingTransfers(_ context.Context, before time.Time) ([]ledger.Transfer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	before = ms(before)
	return list(s.transfers, func(t ledger.Transfer) bool {
		return t.State == ledger.StatePending && t.CreatedAt.Before(before)
	}, cloneTransfer), nil
}

// AllTransfers returns every transfer record, sorted by ID.
func (s *Store) AllTransfers(_ context.Context) ([]ledger.Transfer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.transfers, nil, cloneTransfer), nil
}

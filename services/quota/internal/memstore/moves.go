package memstore

import (
	"context"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

func cloneMove(m ledger.MoveSnapshot) ledger.MoveSnapshot {
	m.People = append(make([]ledger.MovePerson, 0, len(m.People)), m.People...) // never nil, as the adapter answers
	return m
}

// InsertMoveSnapshot records the people of a merger; ErrDuplicate if its
// ID exists.
func (s *Store) InsertMoveSnapshot(_ context.Context, m ledger.MoveSnapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m = cloneMove(m)
	m.CreatedAt = ms(m.CreatedAt)
	return insert(s.moves, m.ID, m, "insert move snapshot")
}

// MoveSnapshot reads a merger's people.
func (s *Store) MoveSnapshot(_ context.Context, id string) (ledger.MoveSnapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.moves, id, cloneMove)
}

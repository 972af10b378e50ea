package memstore

import (
	"context"
	"time"

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

// OpenMoveSnapshots lists mergers not marked done that were recorded
// before a time (at the stored millisecond precision), sorted by ID.
func (s *Store) OpenMoveSnapshots(_ context.Context, before time.Time) ([]ledger.MoveSnapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	before = ms(before)
	return list(s.moves, func(m ledger.MoveSnapshot) bool { return !m.Done && m.CreatedAt.Before(before) }, cloneMove), nil
}

// SetMoveSnapshotDone marks a merger finished; a missing snapshot stays
// missing, without an error.
func (s *Store) SetMoveSnapshotDone(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.moves[id]; ok {
		m.Done = true
		s.moves[id] = m
	}
	return nil
}

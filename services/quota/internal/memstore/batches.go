package memstore

import (
	"context"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

func cloneBatch(b ledger.HireBatch) ledger.HireBatch {
	b.People = strs(b.People)
	return b
}

// InsertBatch records a hire batch; ErrDuplicate if its ID exists.
func (s *Store) InsertBatch(_ context.Context, b ledger.HireBatch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b = cloneBatch(b)
	b.CreatedAt = ms(b.CreatedAt)
	return insert(s.batches, b.ID, b, "insert batch")
}

// Batch reads a hire batch.
func (s *Store) Batch(_ context.Context, id string) (ledger.HireBatch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.batches, id, cloneBatch)
}

// CommitBatch marks a batch applied with the people its entry names; a
// missing batch stays missing, without an error.
func (s *Store) CommitBatch(_ context.Context, id string, people []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.batches[id]; ok {
		b.State, b.People = ledger.BatchCommitted, strs(people)
		s.batches[id] = b
	}
	return nil
}

// AbortBatch marks a batch undone (see CommitBatch for a missing one).
func (s *Store) AbortBatch(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.batches[id]; ok {
		b.State = ledger.BatchAborted
		s.batches[id] = b
	}
	return nil
}

// OpenBatches lists batches still open that were created before a time
// (at the stored millisecond precision), sorted by ID.
func (s *Store) OpenBatches(_ context.Context, before time.Time) ([]ledger.HireBatch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	before = ms(before)
	return list(s.batches, func(b ledger.HireBatch) bool {
		return b.State == ledger.BatchOpen && b.CreatedAt.Before(before)
	}, cloneBatch), nil
}

// AllBatches returns every hire batch, sorted by ID.
func (s *Store) AllBatches(_ context.Context) ([]ledger.HireBatch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.batches, nil, cloneBatch), nil
}

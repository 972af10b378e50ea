package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// ClaimRequest inserts a request's claim; a claimed ID is a duplicate.
func (s *Store) ClaimRequest(_ context.Context, rec ledger.RequestRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.requests[rec.ID]; ok {
		return fmt.Errorf("claim request: %w", ledger.ErrDuplicate)
	}
	rec.CreatedAt = rec.CreatedAt.UTC().Truncate(time.Millisecond)
	rec.Status, rec.ContentType, rec.Body = 0, "", nil
	s.requests[rec.ID] = rec
	return nil
}

// Request reads a claim with its saved answer.
func (s *Store) Request(_ context.Context, id string) (ledger.RequestRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.requests[id]
	if !ok {
		return ledger.RequestRecord{}, ledger.ErrNotFound
	}
	if a, ok := s.answers[id]; ok {
		rec.Status, rec.ContentType, rec.Body = a.Status, a.ContentType, append([]byte{}, a.Body...)
	}
	return rec, nil
}

// SaveResponse keeps the first answer saved for a request.
func (s *Store) SaveResponse(_ context.Context, id string, status int, contentType string, body []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.answers[id]; !ok {
		s.answers[id] = ledger.RequestRecord{Status: status, ContentType: contentType, Body: append([]byte{}, body...)}
	}
	return nil
}

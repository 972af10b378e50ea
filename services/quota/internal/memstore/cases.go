package memstore

import (
	"context"
	"slices"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// InsertPlan files a plan; ErrDuplicate if its ID exists.
func (s *Store) InsertPlan(_ context.Context, p ledger.UsagePlan) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.CreatedAt = ms(p.CreatedAt)
	return insert(s.plans, p.ID, p, "insert plan")
}

// Plan reads a plan.
func (s *Store) Plan(_ context.Context, id string) (ledger.UsagePlan, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.plans, id, same)
}

// UpdatePlan replaces a plan; ErrNotFound if there is none.
func (s *Store) UpdatePlan(_ context.Context, p ledger.UsagePlan) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.CreatedAt = ms(p.CreatedAt)
	return replace(s.plans, p.ID, p)
}

func storedCase(c ledger.Case) ledger.Case {
	c.OpenedAt, c.ClosedAt = ms(c.OpenedAt), ms(c.ClosedAt)
	return c
}

// InsertCase opens a case record; ErrDuplicate if its ID exists.
func (s *Store) InsertCase(_ context.Context, c ledger.Case) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return insert(s.cases, c.ID, storedCase(c), "insert case")
}

// Case reads a case.
func (s *Store) Case(_ context.Context, id string) (ledger.Case, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.cases, id, same)
}

// OpenCases lists the open cases, sorted by ID.
func (s *Store) OpenCases(_ context.Context) ([]ledger.Case, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.cases, func(c ledger.Case) bool { return c.State == ledger.CaseOpen }, same), nil
}

// UpdateCase replaces a case; ErrNotFound if there is none.
func (s *Store) UpdateCase(_ context.Context, c ledger.Case) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return replace(s.cases, c.ID, storedCase(c))
}

// Block adds caseID to the subject's open cases.
func (s *Store) Block(_ context.Context, subject, caseID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocks[subject] == nil {
		s.blocks[subject] = map[string]bool{}
	}
	s.blocks[subject][caseID] = true
	return nil
}

// Unblock removes caseID from the subject's open cases.
func (s *Store) Unblock(_ context.Context, subject, caseID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocks[subject], caseID)
	return nil
}

// AllBlocks returns every subject's open cases, sorted.
func (s *Store) AllBlocks(_ context.Context) (ledger.Blocks, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := ledger.Blocks{}
	for sub, set := range s.blocks {
		if len(set) == 0 {
			continue
		}
		ids := make([]string, 0, len(set))
		for id := range set {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		out[sub] = ids
	}
	return out, nil
}

// Blocks returns the open cases of the given subjects (each listed once,
// case IDs sorted); a subject with none is absent.
func (s *Store) Blocks(_ context.Context, subjects ...string) (ledger.Blocks, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := ledger.Blocks{}
	for _, sub := range subjects {
		if _, done := out[sub]; done || len(s.blocks[sub]) == 0 {
			continue
		}
		ids := make([]string, 0, len(s.blocks[sub]))
		for id := range s.blocks[sub] {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		out[sub] = ids
	}
	return out, nil
}

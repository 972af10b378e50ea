package recruit

import (
	"context"
	"errors"
)

// Errors every Store returns, so the use cases can tell a lost race from a missing record.
var (
	// ErrDuplicate means a unique key is taken: another writer claimed it first.
	ErrDuplicate = errors.New("duplicate key")
	// ErrNotFound means no record has the key.
	ErrNotFound = errors.New("not found")
)

// Filter selects cases. Empty fields match all.
type Filter struct {
	Unit  string
	Units []string // any of these units; nil matches all, empty none
	// Region is the region's subtree: in the store, the region recorded on the case at filing; in
	// service.Cases.List, the region the units service records for the case's unit now.
	Region   string
	Statuses []Status
	SubPool  SubPool
}

// Store keeps cases and their steps. Claiming a step is an insert keyed by case and step number: the
// only write whose atomicity the use cases rely on, because a unique key is the one guard the
// embedded store enforces atomically.
type Store interface {
	// InsertCase stores a new case; ErrDuplicate if its ID exists.
	InsertCase(ctx context.Context, c Case) error
	// Case returns the case record, which may lag its step log by one step (see Case.Replay).
	Case(ctx context.Context, id string) (Case, error)
	// SaveCase writes the case record unless the stored one has a higher Seq.
	SaveCase(ctx context.Context, c Case) error
	Cases(ctx context.Context, f Filter) ([]Case, error)

	// ClaimStep inserts s as step s.Seq of the case; ErrDuplicate if that number is taken.
	ClaimStep(ctx context.Context, caseID string, s Step) error
	// Step returns step seq of the case, or ErrNotFound.
	Step(ctx context.Context, caseID string, seq int64) (Step, error)
	// FinishStep records the outcome of a claimed step.
	FinishStep(ctx context.Context, caseID string, s Step) error
	// Steps returns the case's steps in order.
	Steps(ctx context.Context, caseID string) ([]Step, error)
}

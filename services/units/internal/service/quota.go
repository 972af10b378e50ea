package service

import (
	"context"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// Quota is what the units service needs from the quota ledger. It is an interface
// because it has two implementations that both matter: the adapter over the quota
// service's typed client (quotaclient.go) and the in-memory ledger the component tests
// use to fail the quota service half-way through an execution.
//
// Every write carries a key the ledger uses as its Idempotency-Key: sending the same
// key again must return the first result and change nothing.
type Quota interface {
	// Balances returns each unit's approved, occupied and vacant posts by kind.
	Balances(ctx context.Context, unitIDs []string) (map[string][]unit.Balance, error)
	// PoolBalances returns the region's recovered-quota pool (收回编制池).
	PoolBalances(ctx context.Context, region string) ([]unit.Balance, error)
	// SetApproved makes the unit's approved posts equal to lines (a charter approval),
	// taking from or returning to the region's control total.
	SetApproved(ctx context.Context, key, unitID, region string, lines []unit.QuotaLine, docNo string) error
	// Move moves count vacant posts of kind; an empty unit ID means the region's
	// recovered-quota pool (recovery when To is empty, reallocation when From is).
	Move(ctx context.Context, key string, m Move) error
	// MoveIncumbents moves every incumbent of from, with the posts they occupy, to to.
	MoveIncumbents(ctx context.Context, key, from, to, docNo string) (int64, error)
	// DisciplineOpen reports whether the department has an open discipline case that
	// blocks its staffing requests (整改与审批联动).
	DisciplineOpen(ctx context.Context, department string) (bool, error)
}

// Move is one movement of vacant posts.
type Move struct {
	From, To string // unit IDs; "" is the region's recovered pool
	Region   string
	Kind     unit.QuotaKind
	Count    int64
	DocNo    string
	Reason   string
}

package service

import (
	"context"
	"time"
)

// Ledger is what the talent pool needs from the quota ledger (the quota service), and no more. Every
// write takes the step's Idempotency-Key: the ledger answers a repeated key with its first result, so
// a step retried after a lost answer is applied once. Errors are *apperr.Error values carrying the
// ledger's code; a 4xx code means the ledger refused and changed nothing.
type Ledger interface {
	// OpenDiscipline reports whether the unit or its supervising department (as the units service
	// records it; empty for none) has an open discipline case (整改与审批联动): such a unit may not
	// file, nor have its cases accepted.
	OpenDiscipline(ctx context.Context, unit, department string) (bool, error)
	// PlaceHold reserves one post of a pool account until expiresAt.
	PlaceHold(ctx context.Context, key string, r HoldRequest) (Hold, error)
	// VoidHold releases a hold's post back to the pool.
	VoidHold(ctx context.Context, key, holdID string) error
	// Lend posts a hold as a loan: the post moves from the pool to the unit and the candidate becomes
	// an incumbent of the unit occupying it (entry channel talent pool).
	Lend(ctx context.Context, key string, r LoanRequest) (Loan, error)
	// Return moves a loaned post back from the unit to the pool. The ledger's red line refuses it
	// unless the unit has a vacant post of the kind.
	Return(ctx context.Context, key string, r ReturnRequest) (string, error)
	// Balance returns an account's balance (a unit's: "unit:<id>:<kind>", a pool's: "pool:talent:…").
	Balance(ctx context.Context, account string) (Balance, error)
}

// HoldRequest reserves one post of a talent pool account.
type HoldRequest struct {
	Account   string
	Purpose   string
	ExpiresAt time.Time
}

// Hold is a placed hold.
type Hold struct {
	ID        string
	ExpiresAt time.Time
}

// LoanRequest lends the post of a hold to a unit and hires the candidate into it.
type LoanRequest struct {
	HoldID    string
	Account   string // the pool account the hold is on
	Unit      string
	Kind      string
	IDNumber  string
	Name      string
	EntryDate string // YYYY-MM-DD
	DocNo     string
	Reason    string
}

// Loan is a posted loan.
type Loan struct {
	TransferID string
}

// ReturnRequest returns one loaned post from a unit to the pool account.
type ReturnRequest struct {
	Unit    string
	Kind    string
	Account string
	Reason  string
}

// Balance is an account's posts: approved, held and occupied; vacant is what is left.
type Balance struct {
	Approved int64 `json:"approved"`
	Held     int64 `json:"held"`
	Occupied int64 `json:"occupied"`
}

// Vacant returns the posts neither held nor occupied.
func (b Balance) Vacant() int64 { return b.Approved - b.Held - b.Occupied }

// UnitAccount returns the ledger account of a unit's posts of kind.
func UnitAccount(unit, kind string) string { return "unit:" + unit + ":" + kind }

package service

import (
	"context"

	"github.com/bianzhi/bianzhi/pkg/apperr"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

// Reports builds the pool's reports from the cases and the ledger's balances.
type Reports struct {
	cases *Cases
}

// NewReports returns the reports over cases.
func NewReports(cases *Cases) *Reports { return &Reports{cases: cases} }

// PoolStatement is the statement by sub-pool and unit. region limits the cases counted (a county
// office sees its own units); the pools' balances are the city's. LedgerComplete is false when the
// ledger did not answer for some pool, whose capacity and free posts are then left out.
type PoolStatement struct {
	recruit.Statement
	LedgerComplete bool `json:"ledgerComplete"`
}

// Pool returns the pool statement.
func (r *Reports) Pool(ctx context.Context, region string) (PoolStatement, error) {
	cs, err := r.cases.List(ctx, recruit.Filter{Region: region})
	if err != nil {
		return PoolStatement{}, err
	}
	pools := map[string]recruit.PoolBalance{}
	complete := true
	for _, sp := range recruit.SubPools() {
		for _, k := range recruit.Kinds() {
			acct := "pool:talent:" + string(sp) + ":" + string(k)
			b, err := r.cases.ledger.Balance(ctx, acct)
			switch {
			case err == nil:
				pools[acct] = recruit.PoolBalance{Approved: b.Approved, Held: b.Held, Occupied: b.Occupied}
			case apperr.Is(err, apperr.CodeNotFound): // the city has not set up this sub-pool
			default:
				complete = false
			}
		}
	}
	return PoolStatement{Statement: recruit.Report(cs, pools, r.cases.policy.Baseline), LedgerComplete: complete}, nil
}

// Overdue lists the overdue loans in region with each unit's current posts of the loan's kind.
func (r *Reports) Overdue(ctx context.Context, region string) ([]recruit.OverdueLoan, error) {
	cs, err := r.cases.List(ctx, recruit.Filter{Region: region, Statuses: []recruit.Status{recruit.StatusOverdue}})
	if err != nil {
		return nil, err
	}
	now := r.cases.now()
	out := make([]recruit.OverdueLoan, 0, len(cs))
	seen := map[string]Balance{}
	for _, c := range cs {
		line := c.Overdue(now)
		acct := UnitAccount(c.Unit, string(c.Kind))
		b, ok := seen[acct]
		if !ok {
			if b, err = r.cases.ledger.Balance(ctx, acct); err != nil {
				return nil, err
			}
			seen[acct] = b
		}
		line.UnitApproved, line.UnitOccupied, line.UnitVacant = b.Approved, b.Occupied, b.Vacant()
		out = append(out, line)
	}
	return out, nil
}

package service

import (
	"context"
	"errors"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// FilePlan files a unit's annual usage plan (年度用编计划); refused while a
// discipline case blocks the unit.
func (l *Ledger) FilePlan(ctx context.Context, caller, key string, r ledger.PlanRequest, actor string) (ledger.UsagePlan, error) {
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		return ledger.UsagePlan{}, err
	}
	p, err := ledger.NewUsagePlan(ledger.ScopedID("p", caller, key), r, actor, l.now())
	if err != nil {
		return p, err
	}
	a, err := l.Account(ctx, ledger.UnitAccount(r.Unit, r.Kind))
	if err != nil {
		return p, withField(err, "unit")
	}
	if err := l.checkBlocks(ctx, a.Account); err != nil {
		return p, err
	}
	if err := l.store.InsertPlan(ctx, p); errors.Is(err, ledger.ErrDuplicate) {
		return l.Plan(ctx, p.ID)
	} else if err != nil {
		return p, err
	}
	return p, nil
}

// Plan reads a plan.
func (l *Ledger) Plan(ctx context.Context, id string) (ledger.UsagePlan, error) {
	p, err := l.store.Plan(ctx, id)
	if errors.Is(err, ledger.ErrNotFound) {
		return p, ledger.NotFound("plan", id)
	}
	return p, err
}

// DecidePlan approves (placing a hold that lapses at year end) or rejects
// a filed plan. Approving twice places one hold: the hold's key is the plan.
func (l *Ledger) DecidePlan(ctx context.Context, id string, approve bool, docNo, actor string) (ledger.UsagePlan, error) {
	p, err := l.Plan(ctx, id)
	if err != nil {
		return p, err
	}
	if p.State == ledger.PlanRejected || (p.State == ledger.PlanApproved && !approve) {
		return p, &ledger.Error{Code: ledger.CodeConflict, Message: "该计划已作出决定", Detail: "plan already decided: " + string(p.State)}
	}
	if !approve {
		p.State, p.DecidedBy, p.DocNo = ledger.PlanRejected, actor, docNo
		return p, l.store.UpdatePlan(ctx, p)
	}
	if docNo == "" {
		return p, ledger.Invalid("docNo", "批准用编计划必须填写批文号", "approving a plan needs a document number")
	}
	h, err := l.PlaceHold(ctx, "plan", p.ID, p.HoldRequest(l.now()), actor, p.ID)
	if err != nil {
		return p, err
	}
	p.State, p.HoldID, p.DecidedBy, p.DocNo = ledger.PlanApproved, h.ID, actor, docNo
	return p, l.store.UpdatePlan(ctx, p)
}

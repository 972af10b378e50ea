package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/bianzhi/bianzhi/services/units/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// Execute carries out an approved proposal, or resumes one left executing by a failure.
// Each step of unit.Plan is first prepared (its record, with any amounts read from the
// ledger, is inserted once and never changed), then performed with the step ID as the
// quota service's idempotency key, then marked done. A retry skips done steps and
// re-sends prepared ones unchanged, so no step takes effect twice (ADR 0202).
func (s *Service) Execute(ctx context.Context, id string, by unit.Actor) (unit.Proposal, error) {
	p, err := s.Proposal(ctx, id)
	if err != nil {
		return unit.Proposal{}, err
	}
	switch p.State {
	case unit.StateExecuted:
		return p, nil
	case unit.StateDecided:
		if p.Outcome != unit.OutcomeApproved {
			break // Apply reports the conflict
		}
		f, err := s.Facts(ctx, p)
		if err != nil {
			return unit.Proposal{}, err
		}
		if findings := unit.Check(p, f); len(findings) > 0 {
			return unit.Proposal{}, &unit.Error{Kind: unit.KindRule, Code: findings[0].Code, Field: findings[0].Field,
				Message: "执行前复核未通过：" + findings[0].Message, Detail: "re-check before execution failed: " + findings[0].Detail}
		}
	}
	if p.State != unit.StateExecuting {
		next, err := p.Apply(unit.ActionExecute, by, s.now(), unit.TransitionArgs{})
		if err != nil {
			return unit.Proposal{}, err
		}
		if err := s.store.SaveProposal(ctx, next); err != nil {
			return unit.Proposal{}, storeErr("proposal", id, err)
		}
		p = next
	}
	steps, recs, err := s.planWithRecords(ctx, p)
	if err != nil {
		return unit.Proposal{}, err
	}
	for _, st := range steps {
		if recs[st.ID].Done {
			continue
		}
		if err := s.runStep(ctx, p, st); err != nil {
			return unit.Proposal{}, fmt.Errorf("proposal %s step %s: %w", p.ID, st.ID, err)
		}
	}
	done, err := p.Apply(unit.ActionComplete, by, s.now(), unit.TransitionArgs{})
	if err != nil {
		return unit.Proposal{}, err
	}
	if err := s.store.SaveProposal(ctx, done); err != nil {
		if errors.Is(err, mongostore.ErrDuplicate) {
			// A concurrent executor completed it; report the stored state.
			return s.Proposal(ctx, id)
		}
		return unit.Proposal{}, err
	}
	return done, nil
}

// ExecutionSteps returns the plan of p with each step's record, for the portal's
// progress view and for operators resuming a failed execution.
func (s *Service) ExecutionSteps(ctx context.Context, p unit.Proposal) ([]mongostore.StepRecord, error) {
	steps, recs, err := s.planWithRecords(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]mongostore.StepRecord, len(steps))
	for i, st := range steps {
		if r, ok := recs[st.ID]; ok {
			out[i] = r
		} else {
			out[i] = mongostore.StepRecord{Step: st}
		}
	}
	return out, nil
}

// planWithRecords returns p's steps and the records of those already prepared.
func (s *Service) planWithRecords(ctx context.Context, p unit.Proposal) ([]unit.Step, map[string]mongostore.StepRecord, error) {
	steps := unit.Plan(p)
	ids := make([]string, len(steps))
	for i, st := range steps {
		ids[i] = st.ID
	}
	recs, err := s.store.StepRecords(ctx, ids)
	return steps, recs, err
}

func (s *Service) runStep(ctx context.Context, p unit.Proposal, st unit.Step) error {
	rec := mongostore.StepRecord{Step: st, PreparedAt: s.now()}
	switch st.Kind {
	case unit.StepQuotaVacancies, unit.StepQuotaRecover:
		// The amounts are whatever is vacant when the step is first prepared; the
		// record keeps them, so a retry moves the same posts, not what is left.
		if prev, err := s.store.StepRecord(ctx, st.ID); err == nil {
			rec = prev
			break
		}
		bs, err := s.quota.Balances(ctx, []string{st.UnitID})
		if err != nil {
			return quotaErr("read balances", err)
		}
		for _, b := range bs[st.UnitID] {
			if b.Vacant > 0 && !isLeader(b.Kind) {
				rec.Amounts = append(rec.Amounts, unit.QuotaLine{Kind: b.Kind, Count: b.Vacant})
			}
		}
	}
	rec, err := s.store.PrepareStep(ctx, rec)
	if err != nil {
		return err
	}
	result, err := s.perform(ctx, p, rec)
	s.metrics.steps.WithLabelValues(string(st.Kind), outcome(err, "done", "failed")).Inc()
	if err != nil {
		return err
	}
	return s.store.MarkStepDone(ctx, st.ID, result, s.now())
}

func isLeader(k unit.QuotaKind) bool {
	for _, r := range unit.LeadershipRanks {
		if lk, _ := unit.LeaderQuotaKind(r); lk == k {
			return true
		}
	}
	return false
}

func (s *Service) perform(ctx context.Context, p unit.Proposal, r mongostore.StepRecord) (string, error) {
	reason := "机构改革方案 " + p.ID + "：" + p.Title
	move := func(key, from, to string, k unit.QuotaKind, n int64) error {
		if n <= 0 {
			return nil
		}
		return quotaErr("move quota", s.quota.Move(ctx, key, Move{From: from, To: to, Region: r.RegionCode, Kind: k, Count: n, DocNo: p.DocumentNo, Reason: reason}))
	}
	switch r.Kind {
	case unit.StepCreateUnit:
		u, err := unit.NewUnitFromProposal(p)
		if err != nil {
			return "", err
		}
		err = s.store.CreateUnit(ctx, u)
		if errors.Is(err, mongostore.ErrDuplicate) {
			h, herr := s.store.History(ctx, u.ID)
			if herr != nil || len(h) == 0 || h[0].ChangeRef != p.ID {
				return "", storeErr("unit", u.ID, err) // the ID belongs to someone else
			}
			err = nil
		}
		s.invalidateUnits(ctx, u.ID)
		return "created " + u.ID, err
	case unit.StepQuotaIncumbents:
		n, err := s.quota.MoveIncumbents(ctx, r.ID, r.UnitID, r.ToUnitID, p.DocumentNo)
		return fmt.Sprintf("moved %d incumbents", n), quotaErr("move incumbents", err)
	case unit.StepQuotaVacancies, unit.StepQuotaRecover:
		for _, a := range r.Amounts {
			if err := move(r.ID+"#"+string(a.Kind), r.UnitID, r.ToUnitID, a.Kind, a.Count); err != nil {
				return "", err
			}
		}
		return fmt.Sprintf("moved %d vacant posts", unit.SumQuotas(r.Amounts)), nil
	case unit.StepQuotaMove, unit.StepQuotaCut:
		return fmt.Sprintf("moved %d", r.Count), move(r.ID, r.UnitID, r.ToUnitID, r.QuotaKind, r.Count)
	case unit.StepGrantCredits:
		return fmt.Sprintf("granted %d credits", r.Count), s.store.GrantCredits(ctx, r.ID, p.ID, r.RegionCode, int(r.Count))
	case unit.StepConsumeCredit:
		id, err := s.store.ConsumeCredit(ctx, r.ID, r.RegionCode)
		if errors.Is(err, mongostore.ErrNoCredit) {
			return "", &unit.Error{Kind: unit.KindRule, Code: unit.RuleNoAbolitionOffset, Field: "unitIds",
				Message: "撤一建一：本区划已无可用的撤销指标", Detail: "no unused abolition credit left in region " + r.RegionCode}
		}
		return "used credit " + id, err
	}
	c, ok := r.Step.UnitChange(p)
	if !ok {
		return "", fmt.Errorf("unknown step kind %q", r.Kind)
	}
	_, err := s.amend(ctx, r.UnitID, c)
	return string(r.Kind), err
}

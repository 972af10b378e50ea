package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/bianzhi/bianzhi/pkg/apperr"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

// Action is one event someone asks for, with what it needs.
type Action struct {
	Event recruit.Event
	Actor string
	Note  string // the reviewer's reason
	// EntryDate (YYYY-MM-DD) and DocNo go with a hire.
	EntryDate string
	DocNo     string
}

// Act runs an event on a case. Steps that ask the ledger follow one protocol:
//
//  1. claim the step: insert it under the case's next step number (unique), so of two people acting
//     at once one wins; the loser gets a conflict, or, if it asked for the same event, joins the step;
//  2. record the step in the case (Pending) before calling the ledger;
//  3. call the ledger with the step's Idempotency-Key;
//  4. record the outcome in the step and the case. A refusal (any 4xx of the ledger) leaves the status
//     as it was; no answer (unavailable, timeout) leaves the step pending, and the next Act for the
//     same event, or the return-loans job, repeats the call with the same key, so the ledger applies it
//     once: a loan is never made twice.
func (s *Cases) Act(ctx context.Context, id string, a Action) (recruit.Case, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return recruit.Case{}, err
	}
	var step recruit.Step
	if c.Pending != nil && c.Pending.Event == a.Event {
		step = *c.Pending // finish what an earlier attempt started, exactly as it started it
	} else {
		if step, err = c.Begin(a.Event, a.Actor, a.Note, s.now()); err != nil {
			return recruit.Case{}, err
		}
		step.EntryDate, step.DocNo = a.EntryDate, a.DocNo
		if err := s.precheck(ctx, c, step); err != nil {
			return recruit.Case{}, err
		}
		if step, err = s.claim(ctx, c, step); err != nil {
			return recruit.Case{}, err
		}
		if step.Outcome != "" { // a racing request for the same event finished it
			return s.settled(ctx, id, step)
		}
		c = c.Started(step)
		if err := s.store.SaveCase(ctx, c); err != nil {
			return recruit.Case{}, fmt.Errorf("record step %d of %s: %w", step.Seq, id, err)
		}
	}
	return s.finish(ctx, c, step)
}

// precheck refuses, before any step is claimed, what the ledger would refuse for a reason the case
// cannot fix by waiting: accepting a case of a unit under rectification (整改与审批联动), hiring without
// an entry date.
func (s *Cases) precheck(ctx context.Context, c recruit.Case, step recruit.Step) error {
	switch step.Event {
	case recruit.EventAccept:
		u, err := s.unit(ctx, c.Unit)
		if err != nil {
			return err
		}
		blocked, err := s.ledger.OpenDiscipline(ctx, c.Unit, u.Department)
		if err != nil {
			return fmt.Errorf("ask ledger for discipline cases: %w", err)
		}
		if blocked {
			return apperr.New(apperr.CodeRectificationPending,
				"该单位或其主管部门存在未完成整改的违纪案件，暂停审批人才引进申请", "unit "+c.Unit+" has an open discipline case")
		}
	case recruit.EventHire:
		if !validDate(step.EntryDate) {
			return apperr.Invalid("entryDate", "到岗日期格式应为 YYYY-MM-DD", "entryDate must be YYYY-MM-DD")
		}
		if len([]rune(step.DocNo)) > 100 {
			return apperr.Invalid("docNo", "文号过长", "docNo longer than 100 characters")
		}
	}
	return nil
}

// claim inserts the step; if its number is taken, it returns the step that holds it when that is the
// same event (so the caller joins it) and a conflict otherwise.
func (s *Cases) claim(ctx context.Context, c recruit.Case, step recruit.Step) (recruit.Step, error) {
	err := s.store.ClaimStep(ctx, c.ID, step)
	if err == nil {
		return step, nil
	}
	if !errors.Is(err, recruit.ErrDuplicate) {
		return recruit.Step{}, fmt.Errorf("claim step %d of %s: %w", step.Seq, c.ID, err)
	}
	held, err := s.store.Step(ctx, c.ID, step.Seq)
	if err != nil {
		return recruit.Step{}, fmt.Errorf("read step %d of %s: %w", step.Seq, c.ID, err)
	}
	if held.Event != step.Event {
		return recruit.Step{}, apperr.New(apperr.CodeConflict,
			fmt.Sprintf("案件刚刚被他人办理了“%s”，请刷新后重试", held.Event.Label()),
			"step "+fmt.Sprint(step.Seq)+" was claimed by "+string(held.Event))
	}
	return held, nil
}

// settled answers a request that joined a step someone else finished: the case as it is now, or
// the same refusal.
func (s *Cases) settled(ctx context.Context, id string, step recruit.Step) (recruit.Case, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return recruit.Case{}, err
	}
	if step.Outcome == recruit.OutcomeRefused {
		return c, apperr.New(apperr.Code(step.Refusal), step.RefusalText, "the ledger refused step "+fmt.Sprint(step.Seq))
	}
	return c, nil
}

// finish calls the ledger for a recorded step and records what it answered.
func (s *Cases) finish(ctx context.Context, c recruit.Case, step recruit.Step) (recruit.Case, error) {
	res, err := s.effect(ctx, c, step)
	now := s.now()
	if err != nil {
		e := apperr.From(err)
		if !refusal(e) {
			s.count(step.Event, "pending", "")
			return c, apperr.New(apperr.CodeUnavailable, "编制台账服务暂时无法确认，办理已记录，请稍后重试",
				"the ledger did not settle step "+fmt.Sprint(step.Seq)).Wrap(err)
		}
		c, step = c.Refused(step, string(e.Code), e.Title, now)
		if err := s.record(ctx, c, step); err != nil {
			return recruit.Case{}, err
		}
		s.count(step.Event, "refused", string(e.Code))
		return c, e
	}
	c, step = c.Complete(step, res, now)
	if err := s.record(ctx, c, step); err != nil {
		return recruit.Case{}, err
	}
	s.count(step.Event, "done", "")
	return c, nil
}

func (s *Cases) record(ctx context.Context, c recruit.Case, step recruit.Step) error {
	if err := s.store.FinishStep(ctx, c.ID, step); err != nil {
		return fmt.Errorf("record outcome of step %d of %s: %w", step.Seq, c.ID, err)
	}
	// The step is the truth; a failure here only leaves the case record a step behind, which
	// every read catches up with.
	if err := s.store.SaveCase(ctx, c); err != nil {
		return fmt.Errorf("save case %s: %w", c.ID, err)
	}
	return nil
}

// refusal reports whether the ledger said no (and so changed nothing), as opposed to not answering.
func refusal(e *apperr.Error) bool {
	return e.Status >= 400 && e.Status < 500 && e.Code != apperr.CodeRateLimited
}

func (s *Cases) count(e recruit.Event, outcome, code string) {
	if s.hooks.Step != nil {
		s.hooks.Step(e, outcome, code)
	}
}

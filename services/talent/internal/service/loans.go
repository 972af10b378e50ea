package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/bianzhi/bianzhi/pkg/apperr"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

// JobActor is who the periodic job acts as in the case history.
const JobActor = "system:return-loans"

// DueReport is what one run of the return-loans job did.
type DueReport struct {
	Resumed  int      `json:"resumed"`  // unfinished steps finished
	Expired  int      `json:"expired"`  // lapsed holds voided
	Returned int      `json:"returned"` // loans returned to the pool
	Overdue  int      `json:"overdue"`  // loans newly marked overdue
	Failed   []string `json:"failed"`   // cases left for the next run, with why
}

// ReturnDue is the periodic job (and POST /v1/loans/return-due): it finishes steps an interrupted
// request left, voids holds past their expiry, returns every loan whose unit now has a natural
// vacancy of the loan's kind, oldest loan first, and marks loans past the loan term overdue.
func (s *Cases) ReturnDue(ctx context.Context) (DueReport, error) {
	rep := DueReport{Failed: []string{}}
	cs, err := s.store.Cases(ctx, recruit.Filter{Statuses: []recruit.Status{
		recruit.StatusFiled, recruit.StatusReturned, recruit.StatusAccepted, recruit.StatusHired, recruit.StatusOverdue}})
	if err != nil {
		return rep, fmt.Errorf("list open cases: %w", err)
	}
	now := s.now()
	var loans []recruit.Case
	for _, c := range cs {
		if c, err = s.catchUp(ctx, c); err != nil {
			return rep, err
		}
		if p := c.Pending; p != nil {
			if now.Sub(p.At) < s.policy.StaleAfter {
				continue
			}
			done, err := s.Act(ctx, c.ID, Action{Event: p.Event, Actor: JobActor})
			if err != nil {
				rep.fail(c.ID, err)
				continue
			}
			c = done
			rep.Resumed++
		}
		switch {
		case c.HoldLapsed(now):
			if _, err := s.Act(ctx, c.ID, Action{Event: recruit.EventExpire, Actor: JobActor}); err != nil {
				rep.fail(c.ID, err)
				continue
			}
			rep.Expired++
		case c.OnLoan():
			loans = append(loans, c)
		}
	}
	slices.SortFunc(loans, func(a, b recruit.Case) int { return a.HiredAt.Compare(b.HiredAt) })
	s.returnLoans(ctx, loans, &rep)
	if s.hooks.Job != nil {
		s.hooks.Job(rep)
	}
	return rep, nil
}

// returnLoans returns loans while their units have vacancies of the kind. The vacancies are counted
// once per account and spent as loans are returned; the ledger's red line still decides each return,
// so a vacancy filled meanwhile refuses the return and the loan waits for the next run.
func (s *Cases) returnLoans(ctx context.Context, loans []recruit.Case, rep *DueReport) {
	vacant := map[string]int64{}
	now := s.now()
	for _, c := range loans {
		acct := UnitAccount(c.Unit, string(c.Kind))
		v, ok := vacant[acct]
		if !ok {
			b, err := s.ledger.Balance(ctx, acct)
			if err != nil {
				rep.fail(c.ID, err)
				continue
			}
			v = b.Vacant()
		}
		if v > 0 {
			_, err := s.Act(ctx, c.ID, Action{Event: recruit.EventReturnLoan, Actor: JobActor})
			switch {
			case err == nil:
				rep.Returned++
				v--
				vacant[acct] = v
				continue
			case apperr.Is(err, apperr.CodeQuotaExhausted):
				v = 0
			default:
				rep.fail(c.ID, err)
			}
		}
		vacant[acct] = v
		if c.LoanOverdue(now) {
			if _, err := s.Act(ctx, c.ID, Action{Event: recruit.EventOverdue, Actor: JobActor}); err != nil {
				rep.fail(c.ID, err)
				continue
			}
			rep.Overdue++
		}
	}
}

func (r *DueReport) fail(id string, err error) {
	r.Failed = append(r.Failed, id+": "+err.Error())
}

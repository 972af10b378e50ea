package service

import (
	"context"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

// effect makes the ledger call of a step. Everything it sends derives from the case and the recorded
// step (never from the clock now), so a retry sends the very same request under the same key.
func (s *Cases) effect(ctx context.Context, c recruit.Case, step recruit.Step) (recruit.Result, error) {
	switch step.Effect {
	case recruit.EffectHold:
		exp := step.At.Add(s.policy.HoldTTL)
		h, err := s.ledger.PlaceHold(ctx, step.Key, HoldRequest{Account: c.PoolAccount(), ExpiresAt: exp,
			Purpose: "人才引进：" + c.Candidate.Name + "，" + c.Post + "（案件 " + c.ID + "）"})
		if err != nil {
			return recruit.Result{}, err
		}
		if !h.ExpiresAt.IsZero() {
			exp = h.ExpiresAt
		}
		return recruit.Result{HoldID: h.ID, HoldExpiresAt: exp}, nil
	case recruit.EffectVoid:
		err := s.ledger.VoidHold(ctx, step.Key, c.HoldID)
		if apperr.Is(err, apperr.CodeConflict) {
			// The ledger's own expiry job voided the hold first: the post is back in the pool either way.
			err = nil
		}
		return recruit.Result{}, err
	case recruit.EffectLoan:
		l, err := s.ledger.Lend(ctx, step.Key, LoanRequest{HoldID: c.HoldID, Account: c.PoolAccount(), Unit: c.Unit,
			Kind: string(c.Kind), IDNumber: c.Candidate.IDNumber, Name: c.Candidate.Name, EntryDate: step.EntryDate,
			DocNo: step.DocNo, Reason: "人才周转池借出：" + c.Candidate.Name + "（案件 " + c.ID + "）"})
		if err != nil {
			return recruit.Result{}, err
		}
		return recruit.Result{LoanID: l.TransferID, LoanDueAt: step.At.Add(s.policy.LoanTerm)}, nil
	case recruit.EffectReturn:
		_, err := s.ledger.Return(ctx, step.Key, ReturnRequest{Unit: c.Unit, Kind: string(c.Kind),
			Account: c.PoolAccount(), Reason: "出现自然空编，归还人才周转池（案件 " + c.ID + "）"})
		return recruit.Result{}, err
	}
	return recruit.Result{}, nil
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

package service

import (
	"context"
	"errors"
	"sort"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// OpenCase opens a discipline case: the block comes first, so that from
// the moment the case exists the subject's requests are refused; a retry
// with the same key returns the same case.
func (l *Ledger) OpenCase(ctx context.Context, caller, key string, r ledger.CaseRequest, actor string) (ledger.Case, error) {
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		return ledger.Case{}, err
	}
	c, err := ledger.NewCase(ledger.ScopedID("c", caller, key), r, actor, l.now())
	if err != nil {
		return c, err
	}
	// A key reused for another subject must not block that subject: the
	// HTTP layer refuses such a request before it runs (its claim carries
	// the request's fingerprint); here the stored case is checked before
	// the block is written, and a block lost to a racing first use of the
	// key is taken back.
	if prior, err := l.store.Case(ctx, c.ID); err == nil && prior.Subject != c.Subject {
		return prior, ledger.ReusedKey()
	} else if err != nil && !errors.Is(err, ledger.ErrNotFound) {
		return c, err
	}
	if err := l.store.Block(ctx, c.Subject, c.ID); err != nil {
		return c, err
	}
	if err := l.store.InsertCase(ctx, c); errors.Is(err, ledger.ErrDuplicate) {
		subject := c.Subject
		if c, err = l.Case(ctx, c.ID); err != nil {
			return c, err
		}
		if c.Subject != subject {
			if err := l.store.Unblock(ctx, subject, c.ID); err != nil {
				return c, err
			}
			return c, ledger.ReusedKey()
		}
	} else if err != nil {
		return c, err
	}
	if c.PenaltyPosts > 0 && c.Deducted == 0 {
		n, err := l.deduct(ctx, c, actor)
		if err != nil {
			return c, err
		}
		c.Deducted = n
		if err := l.store.UpdateCase(ctx, c); err != nil {
			return c, err
		}
	}
	return c, nil
}

// deduct applies a case's penalty: vacant institution posts (事业编制) of the
// subject and of the units it supervises go to their region's recovered
// pool, account by account in ID order, until the penalty is met or no
// vacancy is left. Each deduction is a recover transfer keyed by the case
// and the account, so a retry deducts nothing twice.
func (l *Ledger) deduct(ctx context.Context, c ledger.Case, actor string) (int64, error) {
	own, err := l.store.Accounts(ctx, ledger.AccountFilter{Unit: c.Subject})
	if err != nil {
		return 0, err
	}
	supervised, err := l.store.Accounts(ctx, ledger.AccountFilter{Department: c.Subject, Type: ledger.HolderUnit})
	if err != nil {
		return 0, err
	}
	accs := append(own, supervised...)
	sort.Slice(accs, func(i, j int) bool { return accs[i].ID < accs[j].ID })
	var done int64
	for _, a := range accs {
		if done >= c.PenaltyPosts || !a.Kind.IsInstitution() || !ledger.InRegion(c.Region, a.Region) {
			continue
		}
		head, err := l.Head(ctx, a.ID)
		if err != nil {
			return done, err
		}
		n := min(head.Balance.Vacant(), c.PenaltyPosts-done)
		tid := ledger.ScopedID("t", "case:"+c.ID, string(a.ID))
		if prior, err := l.store.Transfer(ctx, tid); err == nil {
			done += -prior.Legs[0].Delta.Approved // deducted by an earlier attempt
			continue
		}
		if n <= 0 {
			continue
		}
		pool := ledger.RecoveredAccount(a.Region, a.Kind)
		if _, _, err := l.OpenAccount(ctx, AccountRequest{ID: pool}); err != nil {
			return done, err
		}
		if _, err := l.Execute(ctx, ledger.Transfer{ID: tid, Kind: ledger.TransferRecover, Actor: actor, DocNo: "违纪处理：" + c.ID,
			Reason: "违反机构编制纪律，扣减空编", Fingerprint: tid,
			Legs: []ledger.Leg{{Account: a.ID, Delta: ledger.Delta{Approved: -n}}, {Account: pool, Delta: ledger.Delta{Approved: n}}}}); err != nil {
			if ledger.CodeOf(err) == ledger.CodeQuotaExhausted {
				continue // the vacancy was taken meanwhile
			}
			return done, err
		}
		done += n
	}
	return done, nil
}

// Case reads a case.
func (l *Ledger) Case(ctx context.Context, id string) (ledger.Case, error) {
	c, err := l.store.Case(ctx, id)
	if errors.Is(err, ledger.ErrNotFound) {
		return c, ledger.NotFound("case", id)
	}
	return c, err
}

// CloseCase records completed rectification and lifts the block
// (整改完成后恢复受理).
func (l *Ledger) CloseCase(ctx context.Context, id, rectification string) (ledger.Case, error) {
	c, err := l.Case(ctx, id)
	if err != nil {
		return c, err
	}
	if rectification == "" {
		return c, ledger.Invalid("rectification", "请填写整改情况", "rectification is required")
	}
	if c.State != ledger.CaseClosed {
		c.State, c.Rectification, c.ClosedAt = ledger.CaseClosed, rectification, l.now().UTC()
		if err := l.store.UpdateCase(ctx, c); err != nil {
			return c, err
		}
	}
	return c, l.store.Unblock(ctx, c.Subject, c.ID)
}

// Blocked reports the open cases that block a unit (directly or through
// its supervising department).
func (l *Ledger) Blocked(ctx context.Context, unit, department string) ([]string, error) {
	b, err := l.store.Blocks(ctx, unit, department)
	if err != nil {
		return nil, err
	}
	return append(b[unit], b[department]...), nil
}

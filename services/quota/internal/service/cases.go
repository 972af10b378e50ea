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
	// The case is recorded first (claiming the key), then the block: a
	// reused key with another subject is refused before it blocks anyone.
	// A crash in between leaves an open case without its block, which a
	// retry or recovery (reblock) puts in.
	if err := l.store.InsertCase(ctx, c); errors.Is(err, ledger.ErrDuplicate) {
		prior, err := l.Case(ctx, c.ID)
		if err != nil {
			return prior, err
		}
		if prior.Subject != c.Subject || prior.Region != c.Region || prior.Violation != c.Violation || prior.PenaltyPosts != c.PenaltyPosts {
			return prior, ledger.ReusedKey()
		}
		c = prior
	} else if err != nil {
		return c, err
	}
	if c.State == ledger.CaseOpen {
		if err := l.store.Block(ctx, c.Subject, c.ID); err != nil {
			return c, err
		}
	}
	return l.penalize(ctx, c)
}

// penalize applies an open case's penalty once.
func (l *Ledger) penalize(ctx context.Context, c ledger.Case) (ledger.Case, error) {
	if c.PenaltyPosts == 0 || c.Penalized {
		return c, nil
	}
	n, err := l.deduct(ctx, c, c.OpenedBy)
	if err != nil {
		return c, err
	}
	c.Deducted, c.Penalized = n, true
	return c, l.store.UpdateCase(ctx, c)
}

// reblock makes the blocks match the open cases: it puts back the block
// (and the penalty) of an open case whose opening died after its record
// went in, or whose block a concurrent update of the same subject's block
// document lost (the embedded store does not make such updates atomic),
// and lifts blocks of cases that are closed (a closing that died between
// its two writes, or a re-block that raced a closing).
func (l *Ledger) reblock(ctx context.Context) (int, error) {
	cases, err := l.store.OpenCases(ctx)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, c := range cases {
		errs = append(errs, l.store.Block(ctx, c.Subject, c.ID))
		if _, err := l.penalize(ctx, c); err != nil {
			errs = append(errs, err)
		}
	}
	all, err := l.store.AllBlocks(ctx)
	if err != nil {
		return len(cases), errors.Join(append(errs, err)...)
	}
	for _, subject := range sortedKeys(all) {
		for _, id := range all[subject] {
			c, err := l.store.Case(ctx, id)
			if err == nil && c.State == ledger.CaseOpen {
				continue
			}
			if err != nil && !errors.Is(err, ledger.ErrNotFound) {
				errs = append(errs, err)
				continue
			}
			errs = append(errs, l.store.Unblock(ctx, subject, id))
		}
	}
	return len(cases), errors.Join(errs...)
}

func sortedKeys(b ledger.Blocks) []string {
	out := make([]string, 0, len(b))
	for k := range b {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
			if prior.State == ledger.StatePending {
				prior, _ = l.finish(ctx, prior, 0)
			}
			if prior.State == ledger.StatePosted {
				done += -prior.Legs[0].Delta.Approved // deducted by an earlier attempt
			}
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
// (整改完成后恢复受理), recording who closed it.
func (l *Ledger) CloseCase(ctx context.Context, id, rectification, actor string) (ledger.Case, error) {
	c, err := l.Case(ctx, id)
	if err != nil {
		return c, err
	}
	if rectification == "" {
		return c, ledger.Invalid("rectification", "请填写整改情况", "rectification is required")
	}
	// The case is marked closed first, then the block goes: a crash in
	// between leaves a closed case blocking its subject, which recovery
	// lifts (reblock); a recovery that re-blocks an open case re-reads it
	// afterwards and lifts the block if the case was closed meanwhile.
	if c.State != ledger.CaseClosed {
		c.State, c.Rectification, c.ClosedAt, c.ClosedBy = ledger.CaseClosed, rectification, l.now().UTC(), actor
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

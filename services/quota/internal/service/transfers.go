package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// Move executes a move of approved posts (approve, adjust_control,
// move_unit, move_level, recover, reallocate, lend, return) under a
// caller-scoped idempotency key.
func (l *Ledger) Move(ctx context.Context, caller, key string, r ledger.MoveRequest) (ledger.Transfer, error) {
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		return ledger.Transfer{}, err
	}
	from, err := l.Account(ctx, r.From)
	if err != nil {
		return ledger.Transfer{}, withField(err, "from")
	}
	to, err := l.Account(ctx, r.To)
	if err != nil {
		return ledger.Transfer{}, withField(err, "to")
	}
	legs, err := ledger.PlanMove(r, from.Account, to.Account)
	if err != nil {
		return ledger.Transfer{}, err
	}
	// Incoming quota for a unit under an open discipline case is refused.
	if to.Type == ledger.HolderUnit {
		if err := l.checkBlocks(ctx, to.Account); err != nil {
			return ledger.Transfer{}, err
		}
	}
	return l.Execute(ctx, ledger.Transfer{
		ID: ledger.ScopedID("t", caller, key), Kind: r.Kind, Legs: legs, Reason: r.Reason, DocNo: r.DocNo,
		Actor: r.Actor, Fingerprint: ledger.Fingerprint(r),
	})
}

func withField(err error, field string) error {
	var e *ledger.Error
	if errors.As(err, &e) && e.Field == "" {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

func (l *Ledger) checkBlocks(ctx context.Context, a ledger.Account) error {
	b, err := l.store.Blocks(ctx, a.Holder, a.Department)
	if err != nil {
		return err
	}
	return ledger.CheckNotBlocked(b, a.Holder, a.Department)
}

// Execute records t as pending (claiming its ID) and applies its legs. A
// transfer whose ID exists is a retry: it returns the first outcome,
// finishing the transfer first if it is still pending, and changes nothing
// else. A retry with a different request is refused.
func (l *Ledger) Execute(ctx context.Context, t ledger.Transfer) (ledger.Transfer, error) {
	if err := ledger.CheckLegs(t.Legs); err != nil {
		return t, err
	}
	now := l.now().UTC()
	t.State, t.CreatedAt, t.UpdatedAt = ledger.StatePending, now, now
	err := l.store.InsertTransfer(ctx, t)
	if errors.Is(err, ledger.ErrDuplicate) {
		prior, gerr := l.store.Transfer(ctx, t.ID)
		if gerr != nil {
			return t, gerr
		}
		if prior.Fingerprint != t.Fingerprint {
			return prior, ledger.ReusedKey()
		}
		t = prior
	} else if err != nil {
		return t, err
	}
	return l.finish(ctx, t, 0)
}

// finish applies the legs of a pending transfer from leg start on, debit
// first, and settles it. Every leg append is keyed by transferLeg, so
// finishing a transfer twice (a retry racing the original, or recovery)
// applies each leg once.
func (l *Ledger) finish(ctx context.Context, t ledger.Transfer, start int) (ledger.Transfer, error) {
	switch t.State {
	case ledger.StatePosted:
		return t, nil
	case ledger.StateRejected:
		return t, t.Failure
	}
	var touched []ledger.AccountID
	defer func() { l.changed(ctx, touched...) }()
	for i := start; i < len(t.Legs); i++ {
		leg := t.Legs[i]
		_, applied, err := l.appendEntry(ctx, leg.Account, func(head ledger.Entry) (ledger.Entry, error) {
			return ledger.NextEntry(head, leg.Account, leg.Delta, t, i, l.now())
		})
		if err != nil {
			var refusal *ledger.Error
			if i == 0 && errors.As(err, &refusal) {
				return l.reject(ctx, t, refusal)
			}
			l.count(t.Kind, "error", 1)
			return t, fmt.Errorf("apply leg %d of %s: %w", i, t.ID, err)
		}
		if applied {
			touched = append(touched, leg.Account)
		}
		if l.FaultAfterLeg != nil {
			if err := l.FaultAfterLeg(t.ID, i); err != nil {
				return t, err
			}
		}
	}
	if err := l.store.SetTransferState(ctx, t.ID, ledger.StatePosted, nil); err != nil {
		return t, err
	}
	t.State = ledger.StatePosted
	l.count(t.Kind, "posted", 1)
	return t, nil
}

// reject settles a transfer whose first leg was refused. A concurrent
// finisher may have applied that leg just before this one's head moved past
// it (the refusal then reflects the transfer's own debit), or may be about
// to apply it on a head with room: the fence decides between them
// atomically. Fenced, the leg can never be applied and the transfer is
// rejected; not fenced, the leg is in, the rest are credits, and the
// transfer is finished from leg 1.
func (l *Ledger) reject(ctx context.Context, t ledger.Transfer, refusal *ledger.Error) (ledger.Transfer, error) {
	fenced, err := l.fence(ctx, t.ID, "reject")
	if err != nil {
		return t, err
	}
	if !fenced {
		return l.finish(ctx, t, 1)
	}
	if err := l.store.SetTransferState(ctx, t.ID, ledger.StateRejected, refusal); err != nil {
		return t, err
	}
	t.State, t.Failure = ledger.StateRejected, refusal
	l.count(t.Kind, "rejected", 1)
	l.redline(refusal, 1)
	return t, refusal
}

// Transfer reads a transfer.
func (l *Ledger) Transfer(ctx context.Context, id string) (ledger.Transfer, error) {
	t, err := l.store.Transfer(ctx, id)
	if errors.Is(err, ledger.ErrNotFound) {
		return t, ledger.NotFound("transfer", id)
	}
	return t, err
}

package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// recoverHold settles a hold that work left unfinished: a pending hold
// recorded before the horizon is settled (its transfer finished, or fenced
// off if it was never recorded); in an open hold, every slot claim made
// before the horizon whose transfer is not settled is finished or undone:
//   - a hire's claim: its post transfer, if never recorded, is recorded
//     rejected (the hire, if still running, meets it and undoes itself),
//     and the slot of a rejected hire returns to vacancy;
//   - a void's or a loan's group: closed and applied (finishGroup);
//   - slots a finisher fenced: returned to vacancy.
//
// It returns how many slots it applied and whether it settled the hold.
func (l *Ledger) recoverHold(ctx context.Context, h ledger.Hold, before time.Time) (int, bool, error) {
	if h.State == ledger.HoldPending {
		if !h.CreatedAt.Before(before) {
			return 0, false, nil
		}
		return 0, true, l.settleHold(ctx, h)
	}
	slots, err := l.store.Slots(ctx, h.ID, h.Amount)
	if err != nil {
		return 0, false, err
	}
	applied := 0
	done := map[string]bool{}
	for _, s := range slots {
		if done[s.Ref] || !s.At.Before(before) {
			continue
		}
		done[s.Ref] = true
		n, err := l.recoverClaim(ctx, h, s, slots)
		applied += n
		if err != nil {
			return applied, false, err
		}
	}
	return applied, false, l.refreshHold(ctx, h.ID)
}

// recoverClaim finishes or undoes the claim slot s belongs to.
func (l *Ledger) recoverClaim(ctx context.Context, h ledger.Hold, s ledger.Slot, slots []ledger.Slot) (int, error) {
	count := 0
	for _, o := range slots {
		if o.Ref == s.Ref {
			count++
		}
	}
	if strings.HasPrefix(s.Ref, ledger.FenceRef("")) {
		return count, l.voidRefSlots(ctx, h, s.Ref)
	}
	t, err := l.store.Transfer(ctx, s.Ref)
	switch {
	case err == nil && t.State == ledger.StatePosted:
		return 0, nil
	case err != nil && !errors.Is(err, ledger.ErrNotFound):
		return 0, err
	}
	if s.Use != "hire" {
		_, err := l.finishGroup(ctx, h, s.Ref, slots)
		return count, err
	}
	if errors.Is(err, ledger.ErrNotFound) {
		if t, err = l.preReject(ctx, ledger.Transfer{ID: s.Ref, Kind: ledger.TransferPost, Actor: "system:recover",
			Legs: holdHireLegs(h), Fingerprint: s.Ref}, ledger.ErrFencedResubmit); err != nil {
			return 0, err
		}
	}
	if t.State == ledger.StatePending {
		if t, err = l.finish(ctx, t, 0); err != nil && t.State != ledger.StateRejected {
			return 0, err
		}
	}
	if t.State == ledger.StateRejected {
		return count, l.voidRefSlots(ctx, h, s.Ref)
	}
	return count, nil
}

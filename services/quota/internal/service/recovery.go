package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// RecoveryReport says what a recovery run finished or undid.
type RecoveryReport struct {
	TransfersPosted   int `json:"transfersPosted"`
	TransfersRejected int `json:"transfersRejected"`
	HiresActivated    int `json:"hiresActivated"`
	HiresRemoved      int `json:"hiresRemoved"`
	HoldSlotsApplied  int `json:"holdSlotsApplied"`
}

// Recover completes or reverses work a crash interrupted, older than the
// grace period: pending transfers are finished (their applied legs are
// found by transferLeg, missing credits applied; an unapplied debit is
// re-validated and applied or rejected), pending hires are activated if
// their batch entry exists and removed if not, and hold slots whose
// transfer never started are applied. It runs at start, periodically and
// as `quota recover`; running it twice changes nothing more.
func (l *Ledger) Recover(ctx context.Context) (RecoveryReport, error) {
	var rep RecoveryReport
	before := l.now().Add(-l.RecoveryGrace)
	var errs []error

	holds, err := l.store.OpenHolds(ctx)
	if err != nil {
		return rep, err
	}
	for _, h := range holds {
		n, err := l.recoverHoldSlots(ctx, h)
		rep.HoldSlotsApplied += n
		errs = append(errs, err)
	}

	pending, err := l.store.PendingTransfers(ctx, before)
	if err != nil {
		return rep, err
	}
	for _, t := range pending {
		t, err := l.finish(ctx, t, 0)
		switch {
		case t.State == ledger.StatePosted:
			rep.TransfersPosted++
		case t.State == ledger.StateRejected:
			rep.TransfersRejected++
		default:
			errs = append(errs, err)
		}
	}

	batches, err := l.store.OpenBatches(ctx, before)
	if err != nil {
		return rep, err
	}
	for _, b := range batches {
		activated, removed, err := l.recoverBatch(ctx, b)
		rep.HiresActivated += activated
		rep.HiresRemoved += removed
		errs = append(errs, err)
	}
	return rep, errors.Join(errs...)
}

// recoverBatch settles a hire batch left open: committed with the people
// its journal entry names if the entry exists, aborted otherwise; people it
// inserted who are not on a post are removed, freeing their ID numbers.
func (l *Ledger) recoverBatch(ctx context.Context, b ledger.HireBatch) (activated, removed int, err error) {
	var hired []string
	if strings.HasPrefix(b.ID, "hs-") {
		t, err := l.store.Transfer(ctx, b.ID)
		switch {
		case err == nil && t.State == ledger.StatePending:
			if t, err = l.finish(ctx, t, 0); err != nil && t.State != ledger.StateRejected {
				return 0, 0, err
			}
			if t.State == ledger.StatePosted {
				hired = b.People
			}
		case err == nil && t.State == ledger.StatePosted:
			hired = b.People
		case err != nil && !errors.Is(err, ledger.ErrNotFound):
			return 0, 0, err
		}
	} else {
		e, err := l.store.EntryByTransferLeg(ctx, ledger.TransferLeg(b.ID, 0))
		if err != nil && !errors.Is(err, ledger.ErrNotFound) {
			return 0, 0, err
		}
		hired = e.Incumbents
	}
	keep := map[string]bool{}
	for _, id := range hired {
		keep[id] = true
	}
	var gone []string
	for _, id := range b.People {
		if keep[id] {
			continue
		}
		p, err := l.store.Incumbent(ctx, id)
		if err == nil && p.TransferID == b.ID && p.State == ledger.IncumbentPending {
			gone = append(gone, id)
		} else if err != nil && !errors.Is(err, ledger.ErrNotFound) {
			return 0, 0, err
		}
	}
	if len(gone) > 0 {
		if err := l.store.DeleteIncumbents(ctx, gone); err != nil {
			return 0, 0, err
		}
	}
	if len(hired) > 0 {
		err = l.store.CommitBatch(ctx, b.ID, hired)
	} else {
		err = l.store.AbortBatch(ctx, b.ID)
	}
	return len(hired), len(gone), err
}

// recoverHoldSlots applies slots claimed by a void or a hire whose transfer
// was never recorded (a crash between claim and transfer). Loans record
// their transfer right after the claim and are finished by the pending
// transfer pass; a loan claim with no transfer is reapplied here.
func (l *Ledger) recoverHoldSlots(ctx context.Context, h ledger.Hold) (int, error) {
	slots, err := l.store.Slots(ctx, h.ID, h.Amount)
	if err != nil {
		return 0, err
	}
	groups := map[string][]ledger.Slot{}
	for _, s := range slots {
		groups[s.Ref] = append(groups[s.Ref], s)
	}
	applied := 0
	for ref, ss := range groups {
		if ref == "" {
			continue
		}
		if _, err := l.store.Transfer(ctx, ref); err == nil {
			continue
		} else if !errors.Is(err, ledger.ErrNotFound) {
			return applied, err
		}
		n := int64(len(ss))
		var t ledger.Transfer
		switch ss[0].Use {
		case "void":
			t = ledger.Transfer{ID: ref, Kind: ledger.TransferVoid, Actor: "system:recover", Fingerprint: ref,
				Legs: []ledger.Leg{{Account: h.Account, Delta: ledger.Delta{Held: -n}}}}
		case "hire":
			// The person was never activated; the claim is released by voiding it.
			t = ledger.Transfer{ID: ref, Kind: ledger.TransferVoid, Actor: "system:recover", Fingerprint: ref,
				Legs: []ledger.Leg{{Account: h.Account, Delta: ledger.Delta{Held: -n}}}}
		default:
			return applied, fmt.Errorf("hold %s: %s slots without a transfer need an operator", h.ID, ss[0].Use)
		}
		if _, err := l.Execute(ctx, t); err != nil {
			return applied, err
		}
		applied += len(ss)
	}
	if applied > 0 {
		return applied, l.refreshHold(ctx, h.ID)
	}
	return 0, nil
}

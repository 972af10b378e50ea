package service

import (
	"context"
	"errors"
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
	HoldsSettled      int `json:"holdsSettled"`
	ExitsFinished     int `json:"exitsFinished"`
	MergersFinished   int `json:"mergersFinished"`
}

// Recover completes or undoes work a crash interrupted. It never acts on
// work by assuming it has died: wherever work may still be running, it
// first claims the work's decisive record (ledger.Fence for a transfer's
// first leg, a pre-rejected transfer for a hold hire, the missing slots of
// a claim group), so that the running work, if any, meets the claim and
// stops, and what recovery then does cannot be contradicted. The grace
// period (QUOTA_RECOVERY_GRACE) only spares work that is probably still
// running from being undone needlessly; correctness does not depend on it.
//
// It finishes pending transfers (an unapplied first leg is re-validated:
// applied or rejected), settles pending holds, finishes or undoes the slot
// claims of hires, voids and loans, commits hire batches whose entry is in
// and fences and removes the others, finishes exits and mergers. It runs
// at start, periodically and as `quota recover`; twice changes nothing more.
func (l *Ledger) Recover(ctx context.Context) (RecoveryReport, error) {
	var rep RecoveryReport
	before := l.now().Add(-l.RecoveryGrace)
	var errs []error

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

	holds, err := l.store.OpenHolds(ctx)
	if err != nil {
		return rep, err
	}
	for _, h := range holds {
		n, settled, err := l.recoverHold(ctx, h, before)
		rep.HoldSlotsApplied += n
		if settled {
			rep.HoldsSettled++
		}
		errs = append(errs, err)
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

	ops, err := l.store.OpenTenureOps(ctx, before)
	if err != nil {
		return rep, err
	}
	for _, op := range ops {
		if op.Kind != ledger.OpExit {
			continue // moves are finished with their merger, below
		}
		if _, err := l.finishExit(ctx, op); err != nil {
			errs = append(errs, err)
			continue
		}
		rep.ExitsFinished++
	}

	if _, err := l.reblock(ctx); err != nil {
		errs = append(errs, err)
	}

	mergers, err := l.store.OpenMoveSnapshots(ctx, before)
	if err != nil {
		return rep, err
	}
	for _, m := range mergers {
		if _, err := l.runMerger(ctx, m); err != nil {
			errs = append(errs, err)
			continue
		}
		rep.MergersFinished++
	}
	return rep, errors.Join(errs...)
}

// recoverBatch settles a hire batch left open: committed with the people
// its journal entry names if the entry is in; otherwise fenced (so the
// batch, if still running, can never append it) and aborted. People it
// inserted who are not on a post are removed, freeing their ID numbers.
func (l *Ledger) recoverBatch(ctx context.Context, b ledger.HireBatch) (activated, removed int, err error) {
	var hired []string
	if strings.HasPrefix(b.ID, "hs-") {
		t, err := l.store.Transfer(ctx, b.ID)
		if errors.Is(err, ledger.ErrNotFound) {
			t, err = l.preReject(ctx, ledger.Transfer{ID: b.ID, Kind: ledger.TransferPost, Actor: "system:recover", Fingerprint: b.ID,
				Legs: []ledger.Leg{{Account: b.Account, Delta: ledger.Delta{Held: -1, Occupied: 1}}}}, ledger.ErrFencedResubmit)
		}
		if err != nil {
			return 0, 0, err
		}
		if t.State == ledger.StatePending {
			if t, err = l.finish(ctx, t, 0); err != nil && t.State != ledger.StateRejected {
				return 0, 0, err
			}
		}
		if t.State == ledger.StatePosted {
			hired = b.People
		}
	} else {
		e, err := l.store.EntryByTransferLeg(ctx, ledger.TransferLeg(b.ID, 0))
		if errors.Is(err, ledger.ErrNotFound) {
			var fenced bool
			if fenced, err = l.fence(ctx, b.ID, "system:recover"); err == nil && !fenced {
				e, err = l.store.EntryByTransferLeg(ctx, ledger.TransferLeg(b.ID, 0))
			}
		}
		if err != nil {
			return 0, 0, err
		}
		if !e.IsFence() {
			hired = e.Incumbents
		}
	}
	keep := map[string]bool{}
	for _, id := range hired {
		keep[id] = true
	}
	var gone []string
	for _, id := range b.People {
		if !keep[id] {
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		if err := l.store.DeletePending(ctx, b.ID, gone); err != nil {
			return 0, 0, err
		}
	}
	if len(hired) > 0 {
		err = l.store.CommitBatch(ctx, b.ID, hired)
	} else {
		err = l.store.AbortBatch(ctx, b.ID)
	}
	if err == nil && len(hired) > 0 {
		l.changed(ctx, b.Account)
	}
	return len(hired), len(gone), err
}

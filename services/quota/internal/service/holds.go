package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// PlaceHold reserves posts (the first phase of a two-phase transfer). The
// held+n entry is a transfer keyed by the hold's ID, so a retry changes
// nothing; the hold record follows it and is written again on retry.
func (l *Ledger) PlaceHold(ctx context.Context, caller, key string, r ledger.HoldRequest, actor, planID string) (ledger.Hold, error) {
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		return ledger.Hold{}, err
	}
	h, err := ledger.NewHold(ledger.ScopedID("h", caller, key), r, actor, l.now())
	if err != nil {
		return h, err
	}
	h.PlanID = planID
	a, err := l.Account(ctx, r.Account)
	if err != nil {
		return h, withField(err, "account")
	}
	if a.Type == ledger.HolderUnit {
		if a.Abolished {
			return h, &ledger.Error{Code: ledger.CodeAccountAbolished, Field: "account", Message: "单位已撤销，不能预留编制", Detail: "abolished unit"}
		}
		if err := l.checkBlocks(ctx, a.Account); err != nil {
			return h, err
		}
	}
	if _, err := l.Execute(ctx, ledger.Transfer{ID: h.ID, Kind: ledger.TransferHold, Actor: actor,
		Legs: []ledger.Leg{{Account: h.Account, Delta: ledger.Delta{Held: h.Amount}}}, Fingerprint: ledger.Fingerprint(r)}); err != nil {
		return h, err
	}
	if err := l.store.InsertHold(ctx, h); err != nil && !errors.Is(err, ledger.ErrDuplicate) {
		return h, err
	}
	return l.Hold(ctx, h.ID)
}

// Hold reads a hold.
func (l *Ledger) Hold(ctx context.Context, id string) (ledger.Hold, error) {
	h, err := l.store.Hold(ctx, id)
	if errors.Is(err, ledger.ErrNotFound) {
		return h, ledger.NotFound("hold", id)
	}
	return h, err
}

// claimSlots claims up to n free slots of h for use, each pointing at the
// transfer ref(slot) that will apply it. Slots already taken by anyone are
// skipped; the unique _id makes each slot usable once.
func (l *Ledger) claimSlots(ctx context.Context, h ledger.Hold, n int64, use string, ref func(slot string) string) ([]string, error) {
	var want []ledger.Slot
	for k := int64(1); k <= h.Amount; k++ {
		id := ledger.SlotID(h.ID, k)
		want = append(want, ledger.Slot{ID: id, Hold: h.ID, Use: use, Ref: ref(id)})
	}
	taken, err := l.store.Slots(ctx, h.ID, h.Amount)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, s := range taken {
		used[s.ID] = true
	}
	var free []ledger.Slot
	for _, s := range want {
		if !used[s.ID] {
			free = append(free, s)
		}
	}
	if int64(len(free)) > n {
		free = free[:n]
	}
	if len(free) == 0 {
		return nil, nil
	}
	return l.store.ClaimSlots(ctx, free)
}

// hireFromHold hires a person into a post reserved by a hold (a hire under
// an approved usage plan): claim one slot, then move it held→occupied.
func (l *Ledger) hireFromHold(ctx context.Context, rec ledger.IncumbentRecord) (ledger.IncumbentRecord, error) {
	h, err := l.Hold(ctx, rec.HoldID)
	if err != nil {
		return rec, withField(err, "holdId")
	}
	if h.Account != rec.Account {
		return rec, ledger.Invalid("holdId", "预留不属于该单位的该类编制", "the hold is on another account")
	}
	tid := "hs-" + ledger.ScopedID("", h.ID, rec.IDNumber)
	rec.TransferID, rec.State, rec.UpdatedAt = tid, ledger.IncumbentPending, l.now().UTC()
	err = l.store.InsertBatch(ctx, ledger.HireBatch{ID: tid, Account: h.Account, State: ledger.BatchOpen, People: []string{rec.IDNumber}, CreatedAt: rec.UpdatedAt})
	if err != nil && !errors.Is(err, ledger.ErrDuplicate) {
		return rec, err
	}
	dup, err := l.store.InsertIncumbents(ctx, []ledger.IncumbentRecord{rec})
	if err != nil {
		return rec, err
	}
	if len(dup) > 0 {
		res := l.resolveDuplicateHire(ctx, rec)
		return res.rec, res.err
	}
	claimed, err := l.claimSlots(ctx, h, 1, "hire", func(string) string { return tid })
	if err == nil && len(claimed) == 0 {
		err = ledger.HoldExhausted(h.ID)
	}
	if err != nil {
		_ = l.store.DeleteIncumbents(ctx, []string{rec.IDNumber})
		_ = l.store.AbortBatch(ctx, tid)
		return rec, err
	}
	return l.finishHoldHire(ctx, rec, h)
}

func (l *Ledger) finishHoldHire(ctx context.Context, rec ledger.IncumbentRecord, h ledger.Hold) (ledger.IncumbentRecord, error) {
	if _, err := l.Execute(ctx, ledger.Transfer{ID: rec.TransferID, Kind: ledger.TransferPost, Actor: rec.RequestID,
		Legs: []ledger.Leg{{Account: h.Account, Delta: ledger.Delta{Held: -1, Occupied: 1}}}, Fingerprint: rec.TransferID}); err != nil {
		return rec, err
	}
	if err := l.store.CommitBatch(ctx, rec.TransferID, []string{rec.IDNumber}); err != nil {
		return rec, err
	}
	rec.State, rec.Result = ledger.IncumbentActive, "hired"
	_ = l.refreshHold(ctx, h.ID)
	return rec, nil
}

// LendFromHold posts what is left of a talent-pool hold as a loan to a
// unit: the pool's held and approved posts go down, the unit's approved
// posts go up (人才周转池借出).
func (l *Ledger) LendFromHold(ctx context.Context, holdID string, to ledger.AccountID, actor string) (ledger.Transfer, error) {
	h, err := l.Hold(ctx, holdID)
	if err != nil {
		return ledger.Transfer{}, err
	}
	if h.Account.Type() != ledger.HolderTalent {
		return ledger.Transfer{}, ledger.Invalid("holdId", "只有人才周转池的预留可以借出", "only talent-pool holds can be lent")
	}
	dst, err := l.Account(ctx, to)
	if err != nil {
		return ledger.Transfer{}, withField(err, "to")
	}
	if dst.Type != ledger.HolderUnit || dst.Kind != h.Account.Kind() || dst.Abolished {
		return ledger.Transfer{}, ledger.Invalid("to", "只能借给同类编制的有效单位账户", "loans go to a live unit account of the same kind")
	}
	if err := l.checkBlocks(ctx, dst.Account); err != nil {
		return ledger.Transfer{}, err
	}
	tid := "hl-" + h.ID
	claimed, err := l.claimSlots(ctx, h, h.Amount, "loan", func(string) string { return tid })
	if err != nil {
		return ledger.Transfer{}, err
	}
	if len(claimed) == 0 {
		if t, err := l.store.Transfer(ctx, tid); err == nil {
			return t, nil // a retry of the loan
		}
		return ledger.Transfer{}, ledger.HoldExhausted(h.ID)
	}
	n := int64(len(claimed))
	t, err := l.Execute(ctx, ledger.Transfer{ID: tid, Kind: ledger.TransferLend, Actor: actor, Fingerprint: tid,
		Legs: []ledger.Leg{
			{Account: h.Account, Delta: ledger.Delta{Approved: -n, Held: -n}},
			{Account: to, Delta: ledger.Delta{Approved: n}},
		}})
	_ = l.refreshHold(ctx, h.ID)
	return t, err
}

// VoidHold releases every post of a hold not yet used back to vacancy.
// Voids race hires safely: each claims distinct slots.
func (l *Ledger) VoidHold(ctx context.Context, holdID, actor string) (ledger.Hold, error) {
	h, err := l.Hold(ctx, holdID)
	if err != nil {
		return h, err
	}
	// A fresh transfer ID per void: two voids racing claim distinct slots
	// and release each its own, and recovery finds the transfer by the
	// slots' ref.
	tid := "hv-" + newBatchID()
	claimed, err := l.claimSlots(ctx, h, h.Amount, "void", func(string) string { return tid })
	if err != nil {
		return h, err
	}
	if len(claimed) > 0 {
		n := int64(len(claimed))
		if _, err := l.Execute(ctx, ledger.Transfer{ID: tid, Kind: ledger.TransferVoid, Actor: actor, Fingerprint: tid,
			Legs: []ledger.Leg{{Account: h.Account, Delta: ledger.Delta{Held: -n}}}}); err != nil {
			return h, fmt.Errorf("void hold %s: %w", h.ID, err)
		}
	}
	if err := l.refreshHold(ctx, h.ID); err != nil {
		return h, err
	}
	return l.Hold(ctx, h.ID)
}

// refreshHold recomputes a hold's summary from its slots, the truth.
func (l *Ledger) refreshHold(ctx context.Context, id string) error {
	h, err := l.store.Hold(ctx, id)
	if err != nil {
		return err
	}
	slots, err := l.store.Slots(ctx, id, h.Amount)
	if err != nil {
		return err
	}
	h.Posted, h.Voided = 0, 0
	for _, s := range slots {
		if s.Use == "void" {
			h.Voided++
		} else {
			h.Posted++
		}
	}
	if h.Posted+h.Voided >= h.Amount {
		h.State = ledger.HoldClosed
	}
	return l.store.UpdateHold(ctx, h)
}

// ExpireHolds voids every open hold whose expiry has passed; the CronJob
// `quota expire-holds` and an in-process ticker run it. It returns how
// many holds it closed.
func (l *Ledger) ExpireHolds(ctx context.Context) (int, error) {
	holds, err := l.store.OpenHolds(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, h := range holds {
		if !h.Expired(l.now()) {
			continue
		}
		if _, err := l.VoidHold(ctx, h.ID, "system:expire-holds"); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// OpenHoldCount counts holds still open, for the holds_pending gauge.
func (l *Ledger) OpenHoldCount(ctx context.Context) (int, error) {
	hs, err := l.store.OpenHolds(ctx)
	return len(hs), err
}

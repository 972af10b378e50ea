package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// A hold reserves posts (the first phase of a two-phase transfer). Its
// record goes in first, pending, then the held+n transfer keyed by the
// hold's ID; the hold opens once that transfer is posted. Its posts are used
// one slot at a time (ledger.Slot): a hire claims one slot and posts it
// held→occupied, a void or an expiry claims every free slot and releases
// them, a talent loan claims every free slot and lends them. Every slot is
// an insert keyed <hold>#<n>, so no post of a hold is used twice, and every
// claim names the transfer that applies it, so recovery can finish or undo
// each one (see recoverHold).

// PlaceHold reserves posts. A retry changes nothing: the record and the
// transfer are keyed by the hold's ID.
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
		if err := l.checkIntake(ctx, a, "account"); err != nil {
			return h, err
		}
	}
	if err := l.store.InsertHold(ctx, h); errors.Is(err, ledger.ErrDuplicate) {
		prior, err := l.Hold(ctx, h.ID)
		if err != nil {
			return h, err
		}
		if prior.Account != h.Account || prior.Amount != h.Amount {
			return prior, ledger.ReusedKey()
		}
	} else if err != nil {
		return h, err
	}
	if _, err := l.Execute(ctx, holdTransfer(h)); err != nil {
		if t, terr := l.store.Transfer(ctx, h.ID); terr == nil && t.State == ledger.StateRejected {
			_ = l.refreshHold(ctx, h.ID)
		}
		return h, err
	}
	if err := l.refreshHold(ctx, h.ID); err != nil {
		return h, err
	}
	return l.Hold(ctx, h.ID)
}

// holdTransfer is the transfer that holds h's posts.
func holdTransfer(h ledger.Hold) ledger.Transfer {
	return ledger.Transfer{ID: h.ID, Kind: ledger.TransferHold, Actor: h.Actor,
		Legs: []ledger.Leg{{Account: h.Account, Delta: ledger.Delta{Held: h.Amount}}}, Fingerprint: ledger.Fingerprint([]any{h.Account, h.Amount})}
}

// checkIntake refuses quota going into a unit account that is abolished or
// under an open discipline case; field names the request's field.
func (l *Ledger) checkIntake(ctx context.Context, a ledger.AccountRecord, field string) error {
	if a.Abolished {
		return &ledger.Error{Code: ledger.CodeAccountAbolished, Field: field, Message: "单位已撤销，不能办理", Detail: "unit " + a.Holder + " is abolished"}
	}
	return l.checkBlocks(ctx, a.Account)
}

// Hold reads a hold.
func (l *Ledger) Hold(ctx context.Context, id string) (ledger.Hold, error) {
	h, err := l.store.Hold(ctx, id)
	if errors.Is(err, ledger.ErrNotFound) {
		return h, ledger.NotFound("hold", id)
	}
	return h, err
}

// usable checks that h's posts may be used now: its transfer is posted
// (an open record says so; a pending one is checked against the transfer)
// and it has not expired.
func (l *Ledger) usable(ctx context.Context, h ledger.Hold) error {
	if h.State == ledger.HoldPending {
		t, err := l.store.Transfer(ctx, h.ID)
		if err != nil && !errors.Is(err, ledger.ErrNotFound) {
			return err
		}
		if err != nil || t.State != ledger.StatePosted {
			return &ledger.Error{Code: ledger.CodeConflict, Field: "holdId", Message: "该预留尚未生效，请稍后重试", Detail: "hold " + h.ID + " is not in effect yet"}
		}
	} else if h.State != ledger.HoldOpen {
		return ledger.HoldExhausted(h.ID)
	}
	if h.Expired(l.now()) {
		return &ledger.Error{Code: ledger.CodeConflict, Field: "holdId", Message: "该预留已过期", Detail: "hold " + h.ID + " expired"}
	}
	return nil
}

// claimSlots claims up to n free slots of h for transfer ref (use, and the
// loan's target to). Every claimed slot lists the whole group the call
// meant to claim, so a finisher can close the group (recoverGroup). It
// returns the slots this call inserted.
func (l *Ledger) claimSlots(ctx context.Context, h ledger.Hold, n int64, use, ref string, to ledger.AccountID) ([]ledger.Slot, error) {
	taken, err := l.store.Slots(ctx, h.ID, h.Amount)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, s := range taken {
		used[s.ID] = true
	}
	var group []string
	for k := int64(1); k <= h.Amount && int64(len(group)) < n; k++ {
		if id := ledger.SlotID(h.ID, k); !used[id] {
			group = append(group, id)
		}
	}
	if len(group) == 0 {
		return nil, nil
	}
	at := l.now().UTC()
	want := make([]ledger.Slot, len(group))
	for i, id := range group {
		want[i] = ledger.Slot{ID: id, Hold: h.ID, Use: use, Ref: ref, To: to, Group: group, At: at}
	}
	ids, err := l.store.ClaimSlots(ctx, want)
	if err != nil {
		return nil, err
	}
	got := map[string]bool{}
	for _, id := range ids {
		got[id] = true
	}
	var out []ledger.Slot
	for _, s := range want {
		if got[s.ID] {
			out = append(out, s)
		}
	}
	return out, nil
}

// hireFromHold hires a person into a post reserved by a hold (a hire under
// an approved usage plan). The post transfer's ID is derived from the hold
// and the hire's tenure, and it is the decisive record: recovery, finding
// the hire stalled, settles that ID as rejected before the hire applies it
// (a pre-rejected transfer record), and the hire then undoes itself.
func (l *Ledger) hireFromHold(ctx context.Context, rec ledger.IncumbentRecord) (ledger.IncumbentRecord, error) {
	h, err := l.Hold(ctx, rec.HoldID)
	if err != nil {
		return rec, withField(err, "holdId")
	}
	if h.Account != rec.Account {
		return rec, ledger.Invalid("holdId", "预留不属于该单位的该类编制", "the hold is on another account")
	}
	a, err := l.Account(ctx, h.Account)
	if err != nil {
		return rec, err
	}
	if err := l.checkIntake(ctx, a, "unit"); err != nil {
		return rec, err
	}
	tid := holdHireID(h.ID, rec.Tenure())
	rec.TransferID, rec.State, rec.UpdatedAt = tid, ledger.IncumbentPending, l.now().UTC()
	if t, err := l.store.Transfer(ctx, tid); err == nil {
		// A retry: the hire's outcome is decided; answer it.
		return l.settleHoldHire(ctx, rec, h, t)
	} else if !errors.Is(err, ledger.ErrNotFound) {
		return rec, err
	}
	if err := l.usable(ctx, h); err != nil {
		return rec, err
	}
	err = l.store.InsertBatch(ctx, ledger.HireBatch{ID: tid, Account: h.Account, State: ledger.BatchOpen, People: []string{rec.IDNumber}, CreatedAt: rec.UpdatedAt})
	if err != nil && !errors.Is(err, ledger.ErrDuplicate) {
		return rec, err
	}
	dup, err := l.store.InsertIncumbents(ctx, []ledger.IncumbentRecord{rec})
	if err != nil {
		return rec, err
	}
	if len(dup) > 0 {
		if prior, err := l.store.Incumbent(ctx, rec.IDNumber); err != nil || prior.RequestID != rec.RequestID {
			res := l.resolveDuplicateHire(ctx, rec)
			return res.rec, res.err
		}
	}
	slot, err := l.holdHireSlot(ctx, h, tid)
	if err != nil {
		return rec, err
	}
	if slot == "" {
		// No post left: settle the hire as refused, which undoes it.
		t, err := l.preReject(ctx, ledger.Transfer{ID: tid, Kind: ledger.TransferPost, Actor: rec.RequestID,
			Legs: holdHireLegs(h), Fingerprint: tid}, ledger.HoldExhausted(h.ID))
		if err != nil {
			return rec, err
		}
		return l.settleHoldHire(ctx, rec, h, t)
	}
	t, err := l.Execute(ctx, ledger.Transfer{ID: tid, Kind: ledger.TransferPost, Actor: rec.RequestID,
		Legs: holdHireLegs(h), Fingerprint: tid})
	if err != nil && t.State != ledger.StateRejected {
		return rec, err
	}
	return l.settleHoldHire(ctx, rec, h, t)
}

func holdHireID(holdID, tenure string) string { return "hs-" + ledger.ScopedID("", holdID, tenure) }

func holdHireLegs(h ledger.Hold) []ledger.Leg {
	return []ledger.Leg{{Account: h.Account, Delta: ledger.Delta{Held: -1, Occupied: 1}}}
}

// holdHireSlot returns the slot hire tid uses: the one an earlier attempt
// claimed, else a newly claimed one; "" if the hold has none left.
func (l *Ledger) holdHireSlot(ctx context.Context, h ledger.Hold, tid string) (string, error) {
	for range h.Amount + 1 {
		slots, err := l.store.Slots(ctx, h.ID, h.Amount)
		if err != nil {
			return "", err
		}
		for _, s := range slots {
			if s.Ref == tid {
				return s.ID, nil
			}
		}
		got, err := l.claimSlots(ctx, h, 1, "hire", tid, "")
		if err != nil || len(got) > 0 {
			if len(got) > 0 {
				return got[0].ID, err
			}
			return "", err
		}
		if int64(len(slots)) >= h.Amount {
			return "", nil
		}
		// Someone took the free slot we chose: look again.
	}
	return "", nil
}

// preReject inserts t already rejected, deciding that it never applies
// (the fence of work identified by a transfer ID); if t exists, it returns
// the stored one instead.
func (l *Ledger) preReject(ctx context.Context, t ledger.Transfer, why *ledger.Error) (ledger.Transfer, error) {
	now := l.now().UTC()
	t.State, t.Failure, t.CreatedAt, t.UpdatedAt = ledger.StateRejected, why, now, now
	err := l.store.InsertTransfer(ctx, t)
	if errors.Is(err, ledger.ErrDuplicate) {
		return l.store.Transfer(ctx, t.ID)
	}
	return t, err
}

// settleHoldHire brings a hold hire's records in line with its decided
// transfer: posted, the person is on the post; rejected, the person goes
// and the slot the hire claimed returns to vacancy; pending, it is finished.
func (l *Ledger) settleHoldHire(ctx context.Context, rec ledger.IncumbentRecord, h ledger.Hold, t ledger.Transfer) (ledger.IncumbentRecord, error) {
	if t.State == ledger.StatePending {
		var err error
		if t, err = l.finish(ctx, t, 0); err != nil && t.State != ledger.StateRejected {
			return rec, err
		}
	}
	if t.Kind != ledger.TransferPost || t.Legs[0].Account != h.Account {
		return rec, ledger.ReusedKey()
	}
	if t.State == ledger.StatePosted {
		if err := l.store.CommitBatch(ctx, t.ID, []string{rec.IDNumber}); err != nil {
			return rec, err
		}
		rec.State, rec.Result = ledger.IncumbentActive, "hired"
		_ = l.refreshHold(ctx, h.ID)
		l.changed(ctx, h.Account)
		return rec, nil
	}
	if err := l.voidRefSlots(ctx, h, t.ID); err != nil {
		return rec, err
	}
	if err := l.store.DeletePending(ctx, t.ID, []string{rec.IDNumber}); err != nil {
		return rec, err
	}
	if err := l.store.AbortBatch(ctx, t.ID); err != nil {
		return rec, err
	}
	_ = l.refreshHold(ctx, h.ID)
	if t.Failure != nil {
		return rec, t.Failure
	}
	return rec, ledger.ErrFencedResubmit
}

// voidRefSlots releases, one by one, the slots claimed for a transfer that
// will never apply (a rejected hire, or slots a finisher fenced): each
// release is keyed by its slot, so it happens once whoever runs it.
func (l *Ledger) voidRefSlots(ctx context.Context, h ledger.Hold, ref string) error {
	slots, err := l.store.Slots(ctx, h.ID, h.Amount)
	if err != nil {
		return err
	}
	for _, s := range slots {
		if s.Ref != ref {
			continue
		}
		if _, err := l.Execute(ctx, slotVoid(h, s.ID)); err != nil {
			return fmt.Errorf("release slot %s: %w", s.ID, err)
		}
	}
	return nil
}

func slotVoid(h ledger.Hold, slotID string) ledger.Transfer {
	id := "hvr-" + slotID
	return ledger.Transfer{ID: id, Kind: ledger.TransferVoid, Actor: "system", Fingerprint: id,
		Legs: []ledger.Leg{{Account: h.Account, Delta: ledger.Delta{Held: -1}}}}
}

// LendFromHold posts what is left of a talent-pool hold as a loan to a
// unit: the pool's held and approved posts go down, the unit's approved
// posts go up (人才周转池借出). A retry, or a second call, finishes any loan
// of the hold a crash left half-done and answers with the hold's loan.
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
	if dst.Type != ledger.HolderUnit || dst.Kind != h.Account.Kind() {
		return ledger.Transfer{}, ledger.Invalid("to", "只能借给同类编制的有效单位账户", "loans go to a live unit account of the same kind")
	}
	if err := l.checkIntake(ctx, dst, "to"); err != nil {
		return ledger.Transfer{}, err
	}
	if err := l.usable(ctx, h); err == nil {
		if _, err := l.claimSlots(ctx, h, h.Amount, "loan", "hl-"+h.ID+"-"+l.newID(), to); err != nil {
			return ledger.Transfer{}, err
		}
	} else if ledger.CodeOf(err) != ledger.CodeConflict {
		return ledger.Transfer{}, err
	}
	// Apply every loan of this hold (this call's and any a crash left).
	slots, err := l.store.Slots(ctx, h.ID, h.Amount)
	if err != nil {
		return ledger.Transfer{}, err
	}
	var last ledger.Transfer
	for _, ref := range slotRefs(slots, "loan") {
		t, err := l.finishGroup(ctx, h, ref, slots)
		if err != nil {
			return t, err
		}
		if t.Legs[1].Account != to {
			continue
		}
		last = t
	}
	_ = l.refreshHold(ctx, h.ID)
	if last.ID == "" {
		return last, ledger.HoldExhausted(h.ID)
	}
	return last, nil
}

// VoidHold releases every post of a hold not yet used back to vacancy.
// Voids race hires safely: each claims distinct slots.
func (l *Ledger) VoidHold(ctx context.Context, holdID, actor string) (ledger.Hold, error) {
	h, err := l.Hold(ctx, holdID)
	if err != nil {
		return h, err
	}
	if h.State == ledger.HoldPending {
		if err := l.settleHold(ctx, h); err != nil {
			return h, err
		}
		if h, err = l.Hold(ctx, holdID); err != nil {
			return h, err
		}
	}
	if h.State == ledger.HoldOpen {
		// A fresh transfer ID per void: two voids racing claim distinct
		// slots and release each its own.
		ref := "hv-" + l.newID()
		got, err := l.claimSlots(ctx, h, h.Amount, "void", ref, "")
		if err != nil {
			return h, err
		}
		if len(got) > 0 {
			if _, err := l.Execute(ctx, groupTransfer(h, ref, "void", "", int64(len(got)), actor)); err != nil {
				return h, fmt.Errorf("void hold %s: %w", h.ID, err)
			}
		}
	}
	if err := l.refreshHold(ctx, h.ID); err != nil {
		return h, err
	}
	return l.Hold(ctx, h.ID)
}

// groupTransfer is the transfer that applies n slots claimed together for
// ref: a void (held back to vacancy) or a loan to account to.
func groupTransfer(h ledger.Hold, ref, use string, to ledger.AccountID, n int64, actor string) ledger.Transfer {
	fp := ledger.Fingerprint([]any{ref, to, n})
	if use == "loan" {
		return ledger.Transfer{ID: ref, Kind: ledger.TransferLend, Actor: actor, Fingerprint: fp,
			Legs: []ledger.Leg{
				{Account: h.Account, Delta: ledger.Delta{Approved: -n, Held: -n}},
				{Account: to, Delta: ledger.Delta{Approved: n}},
			}}
	}
	return ledger.Transfer{ID: ref, Kind: ledger.TransferVoid, Actor: actor, Fingerprint: fp,
		Legs: []ledger.Leg{{Account: h.Account, Delta: ledger.Delta{Held: -n}}}}
}

// slotRefs lists the distinct refs of slots of one use, in slot order.
func slotRefs(slots []ledger.Slot, use string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range slots {
		if s.Use == use && !seen[s.Ref] {
			seen[s.Ref] = true
			out = append(out, s.Ref)
		}
	}
	return out
}

// finishGroup applies the slots claimed together for ref (a void or a
// loan), whoever claimed them. If ref's transfer is not recorded yet, the
// group is closed first: every slot it meant to claim and nobody holds is
// claimed here as a fenced void, so the claiming work can add no slot any
// more and the count is final; the transfer then applies that count,
// exactly what the claiming work itself would apply. Fenced slots are
// released one by one.
func (l *Ledger) finishGroup(ctx context.Context, h ledger.Hold, ref string, slots []ledger.Slot) (ledger.Transfer, error) {
	if t, err := l.store.Transfer(ctx, ref); err == nil {
		return l.finish(ctx, t, 0)
	} else if !errors.Is(err, ledger.ErrNotFound) {
		return ledger.Transfer{}, err
	}
	var first ledger.Slot
	present := map[string]bool{}
	for _, s := range slots {
		present[s.ID] = true
		if s.Ref == ref && first.ID == "" {
			first = s
		}
	}
	var missing []ledger.Slot
	for _, id := range first.Group {
		if !present[id] {
			missing = append(missing, ledger.Slot{ID: id, Hold: h.ID, Use: "void", Ref: ledger.FenceRef(ref), At: l.now().UTC()})
		}
	}
	if len(missing) > 0 {
		if _, err := l.store.ClaimSlots(ctx, missing); err != nil {
			return ledger.Transfer{}, err
		}
		var err error
		if slots, err = l.store.Slots(ctx, h.ID, h.Amount); err != nil {
			return ledger.Transfer{}, err
		}
	}
	var n int64
	for _, s := range slots {
		if s.Ref == ref {
			n++
		}
	}
	t, err := l.Execute(ctx, groupTransfer(h, ref, first.Use, first.To, n, "system:recover"))
	if err != nil {
		return t, err
	}
	return t, l.voidRefSlots(ctx, h, ledger.FenceRef(ref))
}

// settleHold settles a pending hold: its transfer finished (or, if never
// recorded, settled as rejected so it never applies), then the record.
func (l *Ledger) settleHold(ctx context.Context, h ledger.Hold) error {
	t, err := l.store.Transfer(ctx, h.ID)
	if errors.Is(err, ledger.ErrNotFound) {
		t, err = l.preReject(ctx, holdTransfer(h), ledger.ErrFencedResubmit)
	}
	if err != nil {
		return err
	}
	if t.State == ledger.StatePending {
		if _, err := l.finish(ctx, t, 0); err != nil && ledger.CodeOf(err) == "" {
			return err
		}
	}
	return l.refreshHold(ctx, h.ID)
}

// refreshHold recomputes a hold's summary from the truth (its transfer and
// its slots): pending until its transfer is posted, rejected if it was not,
// closed once every slot is claimed and every claim's transfer settled.
func (l *Ledger) refreshHold(ctx context.Context, id string) error {
	h, err := l.store.Hold(ctx, id)
	if err != nil {
		return err
	}
	t, err := l.store.Transfer(ctx, id)
	switch {
	case errors.Is(err, ledger.ErrNotFound):
		return nil // still pending
	case err != nil:
		return err
	case t.State == ledger.StateRejected:
		h.State = ledger.HoldRejected
		return l.store.UpdateHold(ctx, h)
	case t.State == ledger.StatePending:
		return nil
	}
	slots, err := l.store.Slots(ctx, id, h.Amount)
	if err != nil {
		return err
	}
	settled := map[string]ledger.TransferState{}
	state := func(tid string) ledger.TransferState {
		if st, ok := settled[tid]; ok {
			return st
		}
		st := ledger.StatePending
		if t, err := l.store.Transfer(ctx, tid); err == nil {
			st = t.State
		}
		settled[tid] = st
		return st
	}
	h.Posted, h.Voided = 0, 0
	done := 0
	for _, s := range slots {
		switch {
		case s.Use != "void" && state(s.Ref) == ledger.StatePosted:
			h.Posted++
			done++
		case s.Use == "void" && state(s.Ref) == ledger.StatePosted, state("hvr-"+s.ID) == ledger.StatePosted:
			h.Voided++
			done++
		}
	}
	h.State = ledger.HoldOpen
	if int64(done) >= h.Amount {
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
		if h.State != ledger.HoldOpen || l.now().Before(h.ExpiresAt) {
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

package service

import (
	"context"
	"errors"
	"sort"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// Incumbent reads a person, resolving a pending hire by its batch: pending
// in a committed batch that names the person is active.
func (l *Ledger) Incumbent(ctx context.Context, idNumber string) (ledger.IncumbentRecord, error) {
	p, err := l.store.Incumbent(ctx, idNumber)
	if errors.Is(err, ledger.ErrNotFound) {
		return p, ledger.NotFound("incumbent", "***")
	}
	if err != nil || p.State != ledger.IncumbentPending {
		return p, err
	}
	b, err := l.store.Batch(ctx, p.TransferID)
	if errors.Is(err, ledger.ErrNotFound) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	if b.Holds(p.IDNumber) {
		p.State, p.Result = ledger.IncumbentActive, "hired"
	}
	return p, nil
}

// ActiveIncumbents lists a unit's people on posts, resolving pending hires
// by their batches (one batch read per batch, not per person).
func (l *Ledger) ActiveIncumbents(ctx context.Context, unit string) ([]ledger.IncumbentRecord, error) {
	all, err := l.store.Incumbents(ctx, unit)
	if err != nil {
		return nil, err
	}
	batches := map[string]ledger.HireBatch{}
	var out []ledger.IncumbentRecord
	for _, p := range all {
		if p.State == ledger.IncumbentPending {
			b, ok := batches[p.TransferID]
			if !ok {
				b, err = l.store.Batch(ctx, p.TransferID)
				if err != nil && !errors.Is(err, ledger.ErrNotFound) {
					return nil, err
				}
				batches[p.TransferID] = b
			}
			if b.Holds(p.IDNumber) {
				p.State = ledger.IncumbentActive
			}
		}
		if p.State == ledger.IncumbentActive {
			out = append(out, p)
		}
	}
	return out, nil
}

// MoveIncumbents moves every person of a unit, with their posts, to another
// unit (a merger, 合并). It is retry-safe under the caller's key, and
// recovery finishes a merger nobody retries (ADR 0102, 0103):
//
//  1. The first attempt records the exact people it moves (a snapshot,
//     insert-only, keyed <move ID>#people) before anything moves; every
//     attempt works from it, never from a fresh list.
//  2. Per kind, each listed person's move is appended to their tenure's
//     ops (ledger.TenureOp), only if their post is still on the old unit's
//     account: a person who left first (an exit won the op) stays out, a
//     person whose move is in can no longer exit until the posts moved.
//  3. Once every listed person of the kind is settled either way, one
//     transfer takes as many approved and occupied posts out of the old
//     unit as moves are in, and puts them into the new one. Every attempt
//     counts the same moves, so the transfer (keyed by caller, key and
//     kind) is the same whoever applies it.
//  4. The person records follow.
//
// People hired into the old unit after the snapshot stay there, with their
// posts. It returns how many listed people are on the new unit's posts.
func (l *Ledger) MoveIncumbents(ctx context.Context, caller, key, from, to, docNo, actor string) (int64, error) {
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		return 0, err
	}
	if from == to {
		return 0, ledger.Invalid("to", "转出与转入单位不能相同", "a unit cannot move its people to itself")
	}
	if docNo == "" {
		return 0, ledger.Invalid("docNo", "必须填写批文号", "an approval document number is required")
	}
	fp := ledger.Fingerprint([]string{from, to, docNo})
	snapID := ledger.ScopedID("t", caller, key) + "#people"
	// A retry finds the snapshot by _id (a miss scans the small moves
	// collection); the first attempt validates before recording anything,
	// so a refused request leaves no snapshot in the way of a corrected one.
	snap, err := l.store.MoveSnapshot(ctx, snapID)
	if errors.Is(err, ledger.ErrNotFound) {
		var people []ledger.IncumbentRecord
		if people, err = l.ActiveIncumbents(ctx, from); err != nil {
			return 0, err
		}
		snap = ledger.MoveSnapshot{ID: snapID, From: from, To: to, Fingerprint: fp, CreatedAt: l.now().UTC(),
			Caller: caller, Key: key, DocNo: docNo, Actor: actor}
		for _, p := range people {
			snap.People = append(snap.People, ledger.MovePerson{IDNumber: p.IDNumber, Kind: p.Account.Kind(), Tenure: p.Tenure()})
		}
		sort.Slice(snap.People, func(i, j int) bool {
			a, b := snap.People[i], snap.People[j]
			return a.Kind < b.Kind || a.Kind == b.Kind && a.IDNumber < b.IDNumber
		})
		for _, k := range snapKinds(snap) {
			if _, _, err := l.moveAccounts(ctx, from, to, k); err != nil {
				return 0, err
			}
		}
		err = l.store.InsertMoveSnapshot(ctx, snap)
		if errors.Is(err, ledger.ErrDuplicate) {
			// A concurrent attempt of the same request recorded it first.
			snap, err = l.store.MoveSnapshot(ctx, snapID)
		}
	}
	if err != nil {
		return 0, err
	}
	if snap.Fingerprint != fp {
		return 0, ledger.ReusedKey()
	}
	return l.runMerger(ctx, snap)
}

// runMerger carries out (or finishes) the merger a snapshot records.
func (l *Ledger) runMerger(ctx context.Context, snap ledger.MoveSnapshot) (int64, error) {
	byKind := map[ledger.Kind][]ledger.MovePerson{}
	for _, p := range snap.People {
		byKind[p.Kind] = append(byKind[p.Kind], p)
	}
	var total int64
	for _, k := range snapKinds(snap) {
		src, dst, err := l.moveAccounts(ctx, snap.From, snap.To, k)
		if err != nil {
			return total, err
		}
		tid := ledger.ScopedID("t", snap.Caller, snap.Key+"#"+string(k))
		_, err = l.store.Transfer(ctx, tid)
		if err != nil && !errors.Is(err, ledger.ErrNotFound) {
			return total, err
		}
		// Once the transfer is recorded the moves are final: find them;
		// before, claim them (finding those an earlier attempt claimed).
		recorded := err == nil
		var moved []ledger.TenureOp
		for _, p := range byKind[k] {
			if l.FaultMove != nil {
				if err := l.FaultMove(tid, p.IDNumber); err != nil {
					return total, err
				}
			}
			var op ledger.TenureOp
			var ok bool
			if recorded {
				op, ok, err = l.findOp(ctx, p.Tenure, ledger.OpMove, snap.ID)
			} else {
				op, ok, err = l.claimMove(ctx, snap, p, src.ID, dst.ID, tid)
			}
			if err != nil {
				return total, err
			}
			if ok {
				moved = append(moved, op)
			}
		}
		if l.FaultMove != nil {
			if err := l.FaultMove(tid, "transfer"); err != nil {
				return total, err
			}
		}
		if n := int64(len(moved)); n > 0 {
			if _, err := l.Execute(ctx, ledger.Transfer{
				ID: tid, Kind: ledger.TransferMoveUnit, Actor: snap.Actor, DocNo: snap.DocNo,
				Reason: "单位合并，人随编走", Fingerprint: ledger.Fingerprint([]any{snap.Fingerprint, n}),
				Legs: []ledger.Leg{
					{Account: src.ID, Delta: ledger.Delta{Approved: -n, Occupied: -n}},
					{Account: dst.ID, Delta: ledger.Delta{Approved: n, Occupied: n}},
				}}); err != nil {
				return total, err
			}
		}
		for _, op := range moved {
			if err := l.followMove(ctx, op); err != nil {
				return total, err
			}
		}
		total += int64(len(moved))
	}
	if !snap.Done {
		if err := l.store.SetMoveSnapshotDone(ctx, snap.ID); err != nil {
			return total, err
		}
	}
	return total, nil
}

// claimMove appends the merger's move to a listed person's tenure, if the
// post is still on the old unit; it reports whether the person moves with
// this merger (their move is in, appended now or by an earlier attempt).
func (l *Ledger) claimMove(ctx context.Context, snap ledger.MoveSnapshot, p ledger.MovePerson, src, dst ledger.AccountID, tid string) (ledger.TenureOp, bool, error) {
	hint, err := l.store.Incumbent(ctx, p.IDNumber)
	if err != nil && !errors.Is(err, ledger.ErrNotFound) {
		return ledger.TenureOp{}, false, err
	}
	if hint.Tenure() != p.Tenure {
		hint = ledger.IncumbentRecord{}
	}
	op, err := l.appendTenureOp(ctx, hint, ledger.TenureOp{Tenure: p.Tenure, IDNumber: p.IDNumber, Kind: ledger.OpMove,
		From: src, To: dst, Unit: snap.To, TransferID: tid, Ref: snap.ID, DocNo: snap.DocNo, Actor: snap.Actor})
	switch {
	case err == nil:
		return op, true, nil
	case errors.Is(err, errNotOnSource), ledger.CodeOf(err) == ledger.CodeConflict && op.Kind == ledger.OpExit,
		ledger.CodeOf(err) == ledger.CodeNotFound:
		return op, false, nil // the person left (or moved elsewhere) first
	}
	return op, false, err
}

// findOp finds the op of kind k that ref appended to a tenure, reading the
// tenure's ops from the first.
func (l *Ledger) findOp(ctx context.Context, tenure string, k ledger.TenureOpKind, ref string) (ledger.TenureOp, bool, error) {
	for seq := int64(1); ; seq++ {
		op, err := l.store.TenureOp(ctx, tenure, seq)
		if errors.Is(err, ledger.ErrNotFound) {
			return ledger.TenureOp{}, false, nil
		}
		if err != nil {
			return op, false, err
		}
		if op.Kind == k && op.Ref == ref {
			return op, true, nil
		}
	}
}

// followMove brings a moved person's record to the new unit's post.
func (l *Ledger) followMove(ctx context.Context, op ledger.TenureOp) error {
	p, err := l.store.Incumbent(ctx, op.IDNumber)
	if err == nil && p.Tenure() == op.Tenure && p.OpSeq < op.Seq {
		p.Account, p.Unit, p.State, p.TransferID, p.OpSeq, p.UpdatedAt = op.To, op.Unit, ledger.IncumbentActive, op.TransferID, op.Seq, l.now().UTC()
		if _, err := l.store.UpdateIncumbent(ctx, p); err != nil {
			return err
		}
	} else if err != nil && !errors.Is(err, ledger.ErrNotFound) {
		return err
	}
	if op.Done {
		return nil
	}
	l.changed(ctx, op.From, op.To)
	return l.store.SetTenureOpDone(ctx, op.ID)
}

func snapKinds(s ledger.MoveSnapshot) []ledger.Kind {
	var ks []ledger.Kind
	for _, p := range s.People {
		if len(ks) == 0 || ks[len(ks)-1] != p.Kind {
			ks = append(ks, p.Kind)
		}
	}
	return ks
}

// moveAccounts reads and checks the two accounts of a merger for one kind.
func (l *Ledger) moveAccounts(ctx context.Context, from, to string, k ledger.Kind) (src, dst ledger.AccountRecord, err error) {
	if src, err = l.Account(ctx, ledger.UnitAccount(from, k)); err != nil {
		return src, dst, err
	}
	if dst, err = l.Account(ctx, ledger.UnitAccount(to, k)); err != nil {
		return src, dst, withField(err, "to")
	}
	if dst.Abolished {
		return src, dst, &ledger.Error{Code: ledger.CodeAccountAbolished, Field: "to", Message: "转入单位已撤销", Detail: "target unit is abolished"}
	}
	if src.Region != dst.Region {
		return src, dst, ledger.Invalid("to", "跨区划合并请先办理跨层级划转", "people move between units of one region")
	}
	return src, dst, nil
}

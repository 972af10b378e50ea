package service

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// ExitRequest records a person leaving their post.
type ExitRequest struct {
	Reason ledger.ExitReason `json:"reason"`
	Date   string            `json:"date"` // YYYY-MM-DD
	DocNo  string            `json:"docNo"`
}

// Exit releases a person's post (退休、辞职、调出、辞退、死亡). The release
// is a transfer keyed by the caller's idempotency key; the person's record
// follows it, and a retry repeats only what is missing.
func (l *Ledger) Exit(ctx context.Context, caller, key, idNumber string, r ExitRequest, actor string) (ledger.IncumbentRecord, error) {
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		return ledger.IncumbentRecord{}, err
	}
	if !r.Reason.Valid() {
		return ledger.IncumbentRecord{}, ledger.Invalid("reason", "未知的减员原因："+string(r.Reason), "unknown exit reason")
	}
	date, err := time.Parse(time.DateOnly, r.Date)
	if err != nil {
		return ledger.IncumbentRecord{}, ledger.Invalid("date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
	}
	tid := ledger.ScopedID("x", caller, key)
	p, err := l.Incumbent(ctx, idNumber)
	if ledger.CodeOf(err) == ledger.CodeNotFound {
		// A retry of an exit already archived answers with the archived record.
		if prior, aerr := l.store.ArchivedIncumbent(ctx, idNumber, tid); aerr == nil {
			return prior, nil
		}
		return p, err
	}
	if err != nil {
		return p, err
	}
	if p.State == ledger.IncumbentExited && p.TransferID == tid {
		return p, l.store.ArchiveIncumbent(ctx, p)
	}
	if p.State != ledger.IncumbentActive {
		return p, &ledger.Error{Code: ledger.CodeConflict, Field: "idNumber", Message: "该人员当前不在编，不能办理减员", Detail: "person is " + string(p.State)}
	}
	if _, err := l.Execute(ctx, ledger.Transfer{ID: tid, Kind: ledger.TransferRelease, Actor: actor, DocNo: r.DocNo,
		Fingerprint: ledger.Fingerprint(struct {
			ID string
			R  ExitRequest
		}{idNumber, r}),
		Legs: []ledger.Leg{{Account: p.Account, Delta: ledger.Delta{Occupied: -1}}}}); err != nil {
		return p, err
	}
	p.State, p.ExitReason, p.ExitDate, p.TransferID, p.UpdatedAt = ledger.IncumbentExited, r.Reason, date, tid, l.now().UTC()
	if err := l.store.UpdateIncumbent(ctx, p); errors.Is(err, ledger.ErrNotFound) {
		// A concurrent attempt of this same exit (same caller and key)
		// archived the person between our read and this update: its
		// record is the answer.
		return l.ExitedRecord(ctx, caller, key, idNumber)
	} else if err != nil {
		return p, err
	}
	// The person holds no post now: free the ID number for a later hire
	// (a crash here leaves the exited record, which that hire archives).
	return p, l.store.ArchiveIncumbent(ctx, p)
}

// ExitedRecord returns the archived record of the person whose exit the
// caller made under key: how a retry of a finished exit finds the person
// (and the caller's scope on them) once the live record is gone.
func (l *Ledger) ExitedRecord(ctx context.Context, caller, key, idNumber string) (ledger.IncumbentRecord, error) {
	p, err := l.store.ArchivedIncumbent(ctx, idNumber, ledger.ScopedID("x", caller, key))
	if errors.Is(err, ledger.ErrNotFound) {
		return p, ledger.NotFound("incumbent", "***")
	}
	return p, err
}

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
// unit (a merger, 合并). It is retry-safe under the caller's key (ADR 0102):
//
//  1. The first attempt records the exact people it moves (a snapshot,
//     insert-only, keyed <move ID>#people) before any post moves; a retry
//     reads it back and moves those people, never a fresh list.
//  2. Per kind, one transfer takes as many approved and occupied posts out
//     of the old unit as the snapshot lists of that kind and puts them into
//     the new one (the red line holds on both sides throughout). A retry
//     whose transfer of a kind has not run yet first checks that every
//     snapshot person of that kind is still on a post of the old unit, and
//     refuses with conflict otherwise: nothing of that kind has moved, and
//     a new key lists the people as they are now.
//  3. Each person's record follows, only if it is still the same tenure on
//     the old unit's account (a person who left is not resurrected).
//     A snapshot person who left the old unit after its posts moved took
//     with them, through the exit, an occupied post of the old unit that the
//     transfer had already moved: one move_unit transfer per such person
//     (keyed by the person) returns one approved and occupied post from the
//     new unit to the old one, so each unit's occupied posts still equal its
//     people.
//
// People hired into the old unit after the snapshot stay there, with their
// posts. It returns how many snapshot people are on the new unit's posts.
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
	people, err := l.ActiveIncumbents(ctx, from)
	if err != nil {
		return 0, err
	}
	here := make(map[string]ledger.IncumbentRecord, len(people))
	for _, p := range people {
		here[p.IDNumber] = p
	}
	// A retry finds the snapshot by _id (a miss scans the small moves
	// collection); the first attempt validates before recording anything,
	// so a refused request leaves no snapshot in the way of a corrected one.
	snap, err := l.store.MoveSnapshot(ctx, snapID)
	retried := err == nil
	if err != nil && !errors.Is(err, ledger.ErrNotFound) {
		return 0, err
	}
	if !retried {
		snap = ledger.MoveSnapshot{ID: snapID, From: from, To: to, Fingerprint: fp, CreatedAt: l.now().UTC()}
		for _, p := range people {
			snap.People = append(snap.People, ledger.MovePerson{IDNumber: p.IDNumber, Kind: p.Account.Kind(), Tenure: p.RequestID})
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
			retried = true
			snap, err = l.store.MoveSnapshot(ctx, snapID)
		}
		if err != nil {
			return 0, err
		}
	}
	if snap.Fingerprint != fp {
		return 0, ledger.ReusedKey()
	}
	var there map[string]ledger.IncumbentRecord
	if retried {
		// People an earlier attempt moved: one read of the new unit.
		moved, err := l.store.Incumbents(ctx, to)
		if err != nil {
			return 0, err
		}
		there = make(map[string]ledger.IncumbentRecord, len(moved))
		for _, p := range moved {
			there[p.IDNumber] = p
		}
	}
	byKind := map[ledger.Kind][]ledger.MovePerson{}
	for _, p := range snap.People {
		byKind[p.Kind] = append(byKind[p.Kind], p)
	}
	var total int64
	for _, k := range snapKinds(snap) {
		ps := byKind[k]
		src, dst, err := l.moveAccounts(ctx, from, to, k)
		if err != nil {
			return total, err
		}
		tid := ledger.ScopedID("t", caller, key+"#"+string(k))
		if retried {
			if _, err := l.store.Transfer(ctx, tid); errors.Is(err, ledger.ErrNotFound) {
				// Nothing of this kind has moved: the snapshot must still be true.
				for _, p := range ps {
					if c, ok := here[p.IDNumber]; !ok || c.RequestID != p.Tenure || c.Account != src.ID {
						return total, &ledger.Error{Code: ledger.CodeConflict, Field: "idempotencyKey",
							Message: "原单位人员在本次合并开始后已变动，请以新的幂等键重新办理",
							Detail:  fmt.Sprintf("%s: a person of this merger's list left unit %s before their posts moved; nothing of this kind moved; retry with a new key", k, from)}
					}
				}
			} else if err != nil {
				return total, err
			}
		}
		if l.FaultMove != nil {
			if err := l.FaultMove(tid, "transfer"); err != nil {
				return total, err
			}
		}
		n := int64(len(ps))
		if _, err = l.Execute(ctx, ledger.Transfer{
			ID: tid, Kind: ledger.TransferMoveUnit, Actor: actor, DocNo: docNo,
			Reason: "单位合并，人随编走", Fingerprint: fp,
			Legs: []ledger.Leg{
				{Account: src.ID, Delta: ledger.Delta{Approved: -n, Occupied: -n}},
				{Account: dst.ID, Delta: ledger.Delta{Approved: n, Occupied: n}},
			}}); err != nil {
			return total, err
		}
		moved, err := l.settleMove(ctx, caller, key, tid, src.ID, dst.ID, to, docNo, actor, fp, ps, here, there)
		total += moved
		if err != nil {
			return total, err
		}
	}
	return total, nil
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

// Where a snapshot person is, once their kind's posts have moved.
type movePlace int

const (
	placeSource movePlace = iota // still on the old unit's post: move them
	placeMoved                   // on the new unit (this merger moved them)
	placeGone                    // left the old unit before being moved
)

// settleMove puts the snapshot people of one kind, whose posts transfer tid
// moved, on the new unit's account, and returns each post of a person who
// left the old unit in between (see MoveIncumbents). It returns how many
// of them are on the new unit.
func (l *Ledger) settleMove(ctx context.Context, caller, key, tid string, src, dst ledger.AccountID, to, docNo, actor, fp string,
	ps []ledger.MovePerson, here, there map[string]ledger.IncumbentRecord) (int64, error) {
	var moved int64
	for _, p := range ps {
		place := placeGone
		var rec ledger.IncumbentRecord
		if c, ok := here[p.IDNumber]; ok && c.RequestID == p.Tenure && c.Account == src {
			place, rec = placeSource, c
		} else if c, ok := there[p.IDNumber]; ok && c.RequestID == p.Tenure && c.Account == dst {
			place = placeMoved
		} else {
			var err error
			if place, rec, err = l.placeOf(ctx, p, src, dst); err != nil {
				return moved, err
			}
		}
		if place == placeSource && l.FaultMove != nil {
			if err := l.FaultMove(tid, p.IDNumber); err != nil {
				return moved, err
			}
		}
		if place == placeSource {
			rec.Account, rec.Unit, rec.State, rec.TransferID, rec.UpdatedAt = dst, to, ledger.IncumbentActive, tid, l.now().UTC()
			ok, err := l.store.MoveIncumbent(ctx, rec, src)
			if err != nil {
				return moved, err
			}
			if ok {
				place = placeMoved
			} else if place, _, err = l.placeOf(ctx, p, src, dst); err != nil {
				return moved, err
			}
		}
		switch place {
		case placeMoved:
			moved++
		case placeGone:
			// The exit released a post of the old unit after the transfer had
			// moved it: return one post, once per person whatever the attempt.
			if _, err := l.Execute(ctx, ledger.Transfer{
				ID: ledger.ScopedID("t", caller, key+"#left#"+p.IDNumber), Kind: ledger.TransferMoveUnit, Actor: actor, DocNo: docNo,
				Reason: "单位合并，人员合并前已减员，编制退回原单位", Fingerprint: fp,
				Legs: []ledger.Leg{
					{Account: dst, Delta: ledger.Delta{Approved: -1, Occupied: -1}},
					{Account: src, Delta: ledger.Delta{Approved: 1, Occupied: 1}},
				}}); err != nil {
				return moved, err
			}
		case placeSource:
			return moved, fmt.Errorf("move %s: person %s is still on the old unit", tid, p.IDNumber)
		}
	}
	return moved, nil
}

// placeOf reads where a snapshot person is: the live record of the same
// tenure, else the archive of its end (an exit from the new unit means the
// merger had moved them; from the old unit, that they left before).
func (l *Ledger) placeOf(ctx context.Context, p ledger.MovePerson, src, dst ledger.AccountID) (movePlace, ledger.IncumbentRecord, error) {
	r, err := l.Incumbent(ctx, p.IDNumber)
	if err == nil && r.RequestID == p.Tenure {
		switch {
		case r.Account == dst:
			return placeMoved, r, nil
		case r.Account == src && r.State == ledger.IncumbentActive:
			return placeSource, r, nil
		}
		return placeGone, r, nil
	}
	if err != nil && ledger.CodeOf(err) != ledger.CodeNotFound {
		return placeGone, r, err
	}
	a, err := l.store.ArchivedTenure(ctx, p.IDNumber, p.Tenure)
	if errors.Is(err, ledger.ErrNotFound) {
		return placeGone, r, nil
	}
	if err != nil {
		return placeGone, r, err
	}
	if a.Account == dst {
		return placeMoved, a, nil
	}
	return placeGone, a, nil
}

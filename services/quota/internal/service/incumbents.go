package service

import (
	"context"
	"errors"
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
	if err := l.store.UpdateIncumbent(ctx, p); err != nil {
		return p, err
	}
	// The person holds no post now: free the ID number for a later hire
	// (a crash here leaves the exited record, which that hire archives).
	return p, l.store.ArchiveIncumbent(ctx, p)
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
// unit (a merger, 合并): per kind one transfer takes approved and occupied
// posts out of the old unit and into the new one, so the red line holds on
// both sides throughout; then each person's record follows. The transfer
// of each kind is keyed by the caller's key, so a retry after a crash moves
// no post twice and finishes the people left behind.
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
	people, err := l.ActiveIncumbents(ctx, from)
	if err != nil {
		return 0, err
	}
	byKind := map[ledger.Kind][]ledger.IncumbentRecord{}
	for _, p := range people {
		byKind[p.Account.Kind()] = append(byKind[p.Account.Kind()], p)
	}
	var moved int64
	for k, ps := range byKind {
		src, err := l.Account(ctx, ledger.UnitAccount(from, k))
		if err != nil {
			return moved, err
		}
		dst, err := l.Account(ctx, ledger.UnitAccount(to, k))
		if err != nil {
			return moved, withField(err, "to")
		}
		if dst.Abolished {
			return moved, &ledger.Error{Code: ledger.CodeAccountAbolished, Field: "to", Message: "转入单位已撤销", Detail: "target unit is abolished"}
		}
		if src.Region != dst.Region {
			return moved, ledger.Invalid("to", "跨区划合并请先办理跨层级划转", "people move between units of one region")
		}
		n := int64(len(ps))
		_, err = l.Execute(ctx, ledger.Transfer{
			ID: ledger.ScopedID("t", caller, key+"#"+string(k)), Kind: ledger.TransferMoveUnit, Actor: actor, DocNo: docNo,
			Reason: "单位合并，人随编走", Fingerprint: ledger.Fingerprint([]string{from, to, docNo}),
			Legs: []ledger.Leg{
				{Account: src.ID, Delta: ledger.Delta{Approved: -n, Occupied: -n}},
				{Account: dst.ID, Delta: ledger.Delta{Approved: n, Occupied: n}},
			}})
		if err != nil {
			return moved, err
		}
		for _, p := range ps {
			p.Account, p.Unit, p.State, p.UpdatedAt = dst.ID, to, ledger.IncumbentActive, l.now().UTC()
			if err := l.store.UpdateIncumbent(ctx, p); err != nil {
				return moved, err
			}
			moved++
		}
	}
	return moved, nil
}

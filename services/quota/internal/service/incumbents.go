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
	p, err := l.Incumbent(ctx, idNumber)
	if err != nil {
		return p, err
	}
	tid := ledger.ScopedID("x", caller, key)
	if p.State == ledger.IncumbentExited && p.TransferID == tid {
		return p, nil
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
	return p, l.store.UpdateIncumbent(ctx, p)
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

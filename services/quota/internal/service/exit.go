package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// ExitRequest records a person leaving their post.
type ExitRequest struct {
	Reason ledger.ExitReason `json:"reason"`
	Date   string            `json:"date"` // YYYY-MM-DD
	DocNo  string            `json:"docNo"`
}

// Exit releases a person's post (退休、辞职、调出、辞退、死亡), exactly once
// per tenure whatever the keys, retries and crashes:
//
//  1. The request (caller and key) is bound to the person's current tenure
//     by an insert; a retry, even after the person was hired again, acts on
//     the tenure it was bound to, never on a later one.
//  2. The exit is appended to the tenure's ops (ledger.TenureOp): of two
//     exits of one tenure, or an exit and a merger, one wins the op number;
//     the loser re-reads (an exit by another request is already_exited).
//  3. The release transfer is keyed by the tenure (one post per tenure),
//     then the person record follows. Recovery finishes ops left undone.
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
	req := ledger.ExitRequestRecord{ID: ledger.ScopedID("x", caller, key), IDNumber: idNumber,
		Fingerprint: ledger.Fingerprint([]any{idNumber, r}), At: l.now().UTC()}
	p, err := l.Incumbent(ctx, idNumber)
	switch {
	case err == nil && p.State == ledger.IncumbentActive:
		req.Tenure = p.Tenure()
		err = l.store.InsertExitRequest(ctx, req)
		if errors.Is(err, ledger.ErrDuplicate) {
			err = l.boundExit(ctx, &req)
		}
	case err == nil && p.State == ledger.IncumbentPending:
		return p, &ledger.Error{Code: ledger.CodeConflict, Field: "idNumber", Message: "该人员的进人事项尚在办理中，请稍后重试", Detail: "the person's hire is still being applied"}
	case err == nil || ledger.CodeOf(err) == ledger.CodeNotFound:
		// No one on a post under this number now: only a retry of an exit
		// that already ended a tenure can be answered.
		if berr := l.boundExit(ctx, &req); berr != nil {
			if errors.Is(berr, ledger.ErrNotFound) {
				return p, ledger.NotFound("incumbent", "***")
			}
			return p, berr
		}
		err = nil
	}
	if err != nil {
		return p, err
	}
	hint := ledger.IncumbentRecord{}
	if p.Tenure() == req.Tenure {
		hint = p
	}
	op := ledger.TenureOp{Tenure: req.Tenure, IDNumber: idNumber, Kind: ledger.OpExit, TransferID: ledger.ExitTransferID(req.Tenure),
		Ref: req.ID, ExitReason: r.Reason, ExitDate: date, DocNo: r.DocNo, Actor: actor}
	op, err = l.appendTenureOp(ctx, hint, op)
	if err != nil {
		return p, err
	}
	return l.finishExit(ctx, op)
}

// boundExit reads the exit request a key made before into req; a different
// request under the same key is refused.
func (l *Ledger) boundExit(ctx context.Context, req *ledger.ExitRequestRecord) error {
	prior, err := l.store.ExitRequest(ctx, req.ID)
	if err != nil {
		return err
	}
	if prior.Fingerprint != req.Fingerprint {
		return ledger.ReusedKey()
	}
	*req = prior
	return nil
}

// appendTenureOp appends op to its tenure's ops after the last one, which
// it finds by trying to insert (a miss read costs a scan on the embedded
// store; an insert is a probe that also claims). hint is the person record
// when it is of the same tenure: its OpSeq and Account are where to start.
// A move appends only onto a post on op.From; an exit onto wherever the
// post is. If the tenure already ended, or the op is already in (a retry,
// recognised by its Ref), it returns that op and no error only for a retry.
func (l *Ledger) appendTenureOp(ctx context.Context, hint ledger.IncumbentRecord, op ledger.TenureOp) (ledger.TenureOp, error) {
	seq, at := hint.OpSeq, hint.Account
	var prev ledger.TenureOp
	if seq > 0 {
		var err error
		if prev, err = l.store.TenureOp(ctx, op.Tenure, seq); err != nil {
			return op, fmt.Errorf("read op %d of a tenure: %w", seq, err)
		}
	}
	if hint.RequestID == "" {
		// The record is of another tenure (or gone): walk this tenure's
		// ops by reading; a tenure that was never moved or ended has no
		// post to start from here.
		for {
			next, err := l.store.TenureOp(ctx, op.Tenure, seq+1)
			if errors.Is(err, ledger.ErrNotFound) {
				break
			}
			if err != nil {
				return op, err
			}
			if next.Ref == op.Ref && next.Kind == op.Kind {
				return next, nil // this request's op: a retry
			}
			prev, seq = next, seq+1
		}
		if seq == 0 {
			return op, ledger.NotFound("incumbent", "***")
		}
	}
	for {
		if seq > 0 {
			if prev.Ref == op.Ref && prev.Kind == op.Kind {
				return prev, nil // this request's op: a retry
			}
			if prev.Kind == ledger.OpExit {
				return prev, alreadyEnded(op.Kind)
			}
			at = prev.To
			// A move whose posts have not moved yet: the person's post
			// will be at prev.To. A merger out of another unit simply
			// does not take them; an exit must wait, or it would release
			// a post of the old unit that the merger is about to move.
			if op.Kind == ledger.OpExit || at == op.From {
				posted, err := l.posted(ctx, prev.TransferID)
				if err != nil {
					return op, err
				}
				if !posted {
					return prev, ledger.BeingMoved()
				}
			}
		}
		if op.Kind == ledger.OpMove && at != op.From {
			return prev, errNotOnSource
		}
		op.Seq, op.From, op.At, op.Done = seq+1, at, l.now().UTC(), false
		op.ID = ledger.TenureOpID(op.Tenure, op.Seq)
		err := l.store.InsertTenureOp(ctx, op)
		if err == nil {
			return op, nil
		}
		if !errors.Is(err, ledger.ErrDuplicate) {
			return op, err
		}
		// Someone appended op seq+1 first (or our own insert went in
		// before its answer was lost): read it and decide again.
		if prev, err = l.store.TenureOp(ctx, op.Tenure, seq+1); err != nil {
			return op, err
		}
		seq++
	}
}

// errNotOnSource says a merger's person is no longer on the old unit's post.
var errNotOnSource = errors.New("the person is not on the source account")

// alreadyEnded is the refusal for an op on a tenure that has ended.
func alreadyEnded(k ledger.TenureOpKind) error {
	if k == ledger.OpExit {
		return ledger.AlreadyExited()
	}
	return errNotOnSource
}

// posted reports whether transfer tid is posted.
func (l *Ledger) posted(ctx context.Context, tid string) (bool, error) {
	t, err := l.store.Transfer(ctx, tid)
	if errors.Is(err, ledger.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if t.State == ledger.StatePending {
		if t, err = l.finish(ctx, t, 0); err != nil && t.State == ledger.StatePending {
			return false, err
		}
	}
	return t.State == ledger.StatePosted, nil
}

// finishExit applies an exit op: the post is released (keyed by the
// tenure), then the person record follows and moves to the history. Every
// step may be repeated; recovery runs it for ops left undone.
func (l *Ledger) finishExit(ctx context.Context, op ledger.TenureOp) (ledger.IncumbentRecord, error) {
	if _, err := l.Execute(ctx, ledger.Transfer{ID: op.TransferID, Kind: ledger.TransferRelease, Actor: op.Actor, DocNo: op.DocNo,
		Fingerprint: op.Tenure, Legs: []ledger.Leg{{Account: op.From, Delta: ledger.Delta{Occupied: -1}}}}); err != nil {
		return ledger.IncumbentRecord{}, err
	}
	p, err := l.store.Incumbent(ctx, op.IDNumber)
	if err == nil && p.Tenure() == op.Tenure {
		p.State, p.ExitReason, p.ExitDate, p.TransferID = ledger.IncumbentExited, op.ExitReason, op.ExitDate, op.TransferID
		p.Account, p.OpSeq, p.UpdatedAt = op.From, op.Seq, l.now().UTC()
		if _, err := l.store.UpdateIncumbent(ctx, p); err != nil {
			return p, err
		}
		// The person holds no post now: free the ID number for a later
		// hire (the delete only takes the exited record of this tenure).
		if err := l.store.ArchiveIncumbent(ctx, p); err != nil {
			return p, err
		}
	} else if err != nil && !errors.Is(err, ledger.ErrNotFound) {
		return p, err
	}
	if !op.Done {
		if err := l.store.SetTenureOpDone(ctx, op.ID); err != nil {
			return p, err
		}
	}
	l.changed(ctx, op.From)
	a, err := l.store.ArchivedIncumbent(ctx, op.IDNumber, op.TransferID)
	if err != nil {
		return a, fmt.Errorf("read the archived exit: %w", err)
	}
	return a, nil
}

// ExitedRecord returns the archived record of the person whose exit the
// caller made under key: how a retry of a finished exit finds the person
// (and the caller's scope on them) once the live record is gone.
func (l *Ledger) ExitedRecord(ctx context.Context, caller, key, idNumber string) (ledger.IncumbentRecord, error) {
	req, err := l.store.ExitRequest(ctx, ledger.ScopedID("x", caller, key))
	if err == nil && req.IDNumber == idNumber {
		var p ledger.IncumbentRecord
		if p, err = l.store.ArchivedIncumbent(ctx, idNumber, ledger.ExitTransferID(req.Tenure)); err == nil {
			return p, nil
		}
	}
	if err == nil || errors.Is(err, ledger.ErrNotFound) {
		return ledger.IncumbentRecord{}, ledger.NotFound("incumbent", "***")
	}
	return ledger.IncumbentRecord{}, err
}

package sim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// midCheck runs the checker while every instance is parked: the rules hold
// at every instant for work that is not in flight.
func (w *world) midCheck() {
	res, err := w.direct().Check(context.Background())
	if err != nil {
		w.problem("mid-run check: %v", err)
		return
	}
	for _, p := range res.Problems {
		if p.Rule != ledger.RuleStale {
			w.problem("mid-run check at step %d: %s %s: %s", w.res.Steps, p.Rule, p.Subject, p.Detail)
		}
	}
}

func (w *world) problem(format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	w.log("PROBLEM %s", msg)
	w.res.Problems = append(w.res.Problems, msg)
}

// finalCheck lets recovery settle everything (an hour later, no faults),
// then proves the invariants, that nothing is left unsettled, and that every
// acknowledged request had its effect and every refused one had none.
func (w *world) finalCheck() {
	ctx := context.Background()
	w.now = w.now.Add(time.Hour)
	l := w.direct()
	for i := range 2 {
		if rep, err := l.Recover(ctx); err != nil {
			w.problem("final recovery %d: %v", i, err)
		} else {
			w.log("final recovery %d: %+v", i, rep)
		}
	}
	l.StaleAfter = time.Nanosecond
	res, err := l.Check(ctx)
	if err != nil {
		w.problem("final check: %v", err)
		return
	}
	for _, p := range res.Problems {
		w.problem("final check: %s %s: %s", p.Rule, p.Subject, p.Detail)
	}
	for _, r := range w.reqs {
		w.checkRequest(ctx, r)
	}
	w.checkBlocks(ctx)
}

// checkBlocks proves that, once recovery ran, a subject is blocked by
// exactly its open cases (整改与审批联动: no open case unblocked, no closed
// case blocking for good).
func (w *world) checkBlocks(ctx context.Context) {
	open, err := w.store.OpenCases(ctx)
	if err != nil {
		w.problem("open cases: %v", err)
		return
	}
	want := map[string]map[string]bool{}
	for _, c := range open {
		if want[c.Subject] == nil {
			want[c.Subject] = map[string]bool{}
		}
		want[c.Subject][c.ID] = true
	}
	for _, subject := range append(append([]string{}, w.units...), "d0", "d1") {
		b, err := w.store.Blocks(ctx, subject)
		if err != nil {
			w.problem("blocks of %s: %v", subject, err)
			continue
		}
		got := map[string]bool{}
		for _, id := range b[subject] {
			got[id] = true
		}
		if len(got) != len(want[subject]) {
			w.problem("%s is blocked by %v, its open cases are %v", subject, got, want[subject])
			continue
		}
		for id := range got {
			if !want[subject][id] {
				w.problem("%s is blocked by %s, which is not an open case", subject, id)
			}
		}
	}
}

// checkRequest compares what a request was answered with what it did.
func (w *world) checkRequest(ctx context.Context, r *request) {
	refusedOnly := !r.acked && r.errors == 0 && len(r.refusals) > 0
	effect, err := w.effect(ctx, r)
	if err != nil {
		w.problem("request %s: %v", r, err)
		return
	}
	if !r.acked && !refusedOnly {
		return // only errors: it may or may not have had its effect
	}
	switch {
	case effect == "":
		return // not judged
	case r.acked && effect == "none":
		w.problem("request %s was acknowledged but had no effect", r)
	case refusedOnly && effect == "done":
		w.problem("request %s was refused (%v) but had an effect", r, r.refusals)
	}
}

// effect reports whether a request's effect is in the store: "done",
// "none", or "" where the kind is judged by the checker alone.
func (w *world) effect(ctx context.Context, r *request) (string, error) {
	s := w.store
	yes := func(b bool) string {
		if b {
			return "done"
		}
		return "none"
	}
	switch r.kind {
	case "hire", "holdhire":
		rec := ledger.IncumbentRecord{RequestID: ledger.ScopedID("hire", r.caller, r.key), Incumbent: ledger.Incumbent{IDNumber: idNumber(r.person)}}
		live, err := s.Incumbent(ctx, rec.IDNumber)
		if err == nil && live.RequestID == rec.RequestID {
			if _, aerr := s.ArchivedIncumbent(ctx, rec.IDNumber, ledger.ExitTransferID(rec.Tenure())); aerr == nil {
				return "", fmt.Errorf("two effects: the tenure ended and the same request hired the person again")
			}
		}
		if err == nil && live.RequestID == rec.RequestID && live.State != ledger.IncumbentPending {
			return "done", nil
		}
		if err == nil && live.RequestID == rec.RequestID {
			b, berr := s.Batch(ctx, live.TransferID)
			return yes(berr == nil && b.Holds(rec.IDNumber)), nil
		}
		_, err = s.ArchivedIncumbent(ctx, rec.IDNumber, ledger.ExitTransferID(rec.Tenure()))
		if errors.Is(err, ledger.ErrNotFound) {
			return "none", nil
		}
		return yes(err == nil), err
	case "exit":
		req, err := s.ExitRequest(ctx, ledger.ScopedID("x", r.caller, r.key))
		if errors.Is(err, ledger.ErrNotFound) {
			return "none", nil
		}
		if err != nil {
			return "", err
		}
		for seq := int64(1); ; seq++ {
			op, err := s.TenureOp(ctx, req.Tenure, seq)
			if errors.Is(err, ledger.ErrNotFound) {
				return "none", nil
			}
			if err != nil {
				return "", err
			}
			if op.Kind == ledger.OpExit && op.Ref == req.ID {
				t, err := s.Transfer(ctx, op.TransferID)
				if err != nil || t.State != ledger.StatePosted || !op.Done {
					return "", fmt.Errorf("exit op %s not finished (transfer %v %v, done %v)", op.ID, t.State, err, op.Done)
				}
				return "done", nil
			}
		}
	case "move", "approve", "recoverposts", "return":
		t, err := s.Transfer(ctx, ledger.ScopedID("t", r.caller, r.key))
		if errors.Is(err, ledger.ErrNotFound) {
			return "none", nil
		}
		return yes(err == nil && t.State == ledger.StatePosted), err
	case "hold", "poolhold":
		h, err := s.Hold(ctx, holdID(r.caller, r.key))
		if errors.Is(err, ledger.ErrNotFound) {
			return "none", nil
		}
		return yes(err == nil && (h.State == ledger.HoldOpen || h.State == ledger.HoldClosed)), err
	case "merge":
		m, err := s.MoveSnapshot(ctx, ledger.ScopedID("t", r.caller, r.key)+"#people")
		if errors.Is(err, ledger.ErrNotFound) {
			return "none", nil
		}
		return yes(err == nil && m.Done), err
	}
	return "", nil
}

package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

// TestMoveGroup proves a grouped approval (one debit of the control total,
// one credit per unit) keeps the ledger's guarantees: it is all-or-nothing
// against the red line, a retry has one effect, a crash after the debit is
// finished by recovery, and a process whose head cache is primed with a
// wrong (zero) head for an account that has entries still re-validates on
// the real head.
func TestMoveGroup(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	l := service.New(store, service.Hooks{})
	seed(t, l, 0, "u1", "u2", "u3") // control total 1000, units empty
	ctl := ledger.ControlAccount("140105", kind)
	row := func(unit string, n int64) ledger.MoveRequest {
		return ledger.MoveRequest{Kind: ledger.TransferApprove, From: ctl, To: ledger.UnitAccount(unit, kind), Amount: n, DocNo: "d", Actor: "a"}
	}

	// More than the control total holds: refused as a whole, nothing applied.
	if _, err := l.MoveGroup(ctx, "c", "too-much", []ledger.MoveRequest{row("u1", 600), row("u2", 600)}, nil); ledger.CodeOf(err) != ledger.CodeQuotaExhausted {
		t.Fatalf("over-approval: %v, want quota_exhausted", err)
	}
	if b := balance(t, l, "u1"); b.Approved != 0 {
		t.Fatalf("a refused group applied a credit: %+v", b)
	}

	rows := []ledger.MoveRequest{row("u1", 10), row("u2", 20), row("u1", 5)}
	tr, err := l.MoveGroup(ctx, "c", "g1", rows, nil)
	if err != nil || tr.State != ledger.StatePosted || len(tr.Legs) != 3 {
		t.Fatalf("group: %+v %v", tr, err)
	}
	if again, err := l.MoveGroup(ctx, "c", "g1", rows, nil); err != nil || again.ID != tr.ID {
		t.Fatalf("retry: %+v %v", again, err)
	}
	if _, err := l.MoveGroup(ctx, "c", "g1", rows[:2], nil); ledger.CodeOf(err) != ledger.CodeIdempotencyKeyReused {
		t.Fatalf("same key, other rows: %v, want idempotency_key_reused", err)
	}
	if b1, b2 := balance(t, l, "u1"), balance(t, l, "u2"); b1.Approved != 15 || b2.Approved != 20 {
		t.Fatalf("after group and retry: u1 %+v u2 %+v", b1, b2)
	}

	// A fresh process primes u1 (entries exist, no head hint) with the zero
	// head: its credit must land after the real head, not overwrite it.
	fresh := service.New(store, service.Hooks{})
	if _, err := fresh.MoveGroup(ctx, "c", "g2", []ledger.MoveRequest{row("u1", 1), row("u3", 2)}, nil); err != nil {
		t.Fatal(err)
	}
	if b := balance(t, l, "u1"); b.Approved != 16 {
		t.Fatalf("u1 after a primed-stale append: %+v, want 16", b)
	}

	// Crash after the debit: recovery applies the credits.
	crashing := service.New(store, service.Hooks{})
	crashing.FaultAfterLeg = func(string, int) error { return errCrash }
	if _, err := crashing.MoveGroup(ctx, "c", "g3", []ledger.MoveRequest{row("u2", 3), row("u3", 4)}, nil); !errors.Is(err, errCrash) {
		t.Fatalf("crashing group: %v", err)
	}
	restarted := service.New(store, service.Hooks{})
	restarted.RecoveryGrace = 0
	restarted.SetClock(func() time.Time { return time.Now().Add(time.Second) })
	if rep, err := restarted.Recover(ctx); err != nil || rep.TransfersPosted != 1 {
		t.Fatalf("recovery %+v %v", rep, err)
	}
	if b2, b3 := balance(t, l, "u2"), balance(t, l, "u3"); b2.Approved != 23 || b3.Approved != 6 {
		t.Fatalf("after recovery u2 %+v u3 %+v", b2, b3)
	}
	if _, c, err := l.Balance(ctx, ctl); err != nil || c.Balance.Approved != 1000-15-20-3-7 {
		t.Fatalf("control total after the groups: %+v %v", c.Balance, err)
	}
	mustCheck(t, l)
}

package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

// TestMoveIncumbents merges a unit into another: people move with their
// posts, a retry moves nothing twice.
func TestMoveIncumbents(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	seed(t, l, 5, "old", "new")
	for i := range 3 {
		if _, err := l.Hire(ctx, "hr", fmt.Sprint("m", i), hireReq("old", 400+i)); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		n, err := l.MoveIncumbents(ctx, "units", "merge-1", "old", "new", "并编〔2025〕22号", "units")
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 && n != 0 {
			t.Fatalf("moved %d", n)
		}
	}
	if b := balance(t, l, "old"); b != (ledger.Balance{Approved: 2}) {
		t.Fatalf("old unit %+v", b)
	}
	if b := balance(t, l, "new"); b != (ledger.Balance{Approved: 8, Occupied: 3}) {
		t.Fatalf("new unit %+v", b)
	}
	p, err := l.Incumbent(ctx, idNumber(401))
	if err != nil || p.Unit != "new" || p.State != ledger.IncumbentActive {
		t.Fatalf("person after the merger: %+v %v", p, err)
	}
	mustCheck(t, l)
}

// TestRehireAfterExit: one person, one post at a time; a person who left a
// post may take another.
func TestRehireAfterExit(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	l := service.New(store, service.Hooks{})
	seed(t, l, 2, "a", "b")
	if _, err := l.Hire(ctx, "hr", "h1", hireReq("a", 9)); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Hire(ctx, "hr", "h2", hireReq("b", 9)); ledger.CodeOf(err) != ledger.CodeDuplicatePerson {
		t.Fatalf("hire while on a post: %v", err)
	}
	exit := service.ExitRequest{Reason: ledger.ExitTransferOut, Date: "2025-03-01"}
	if _, err := l.Exit(ctx, "hr", "x1", idNumber(9), exit, "hr"); err != nil {
		t.Fatal(err)
	}
	if p, err := l.Exit(ctx, "hr", "x1", idNumber(9), exit, "hr"); err != nil || p.State != ledger.IncumbentExited {
		t.Fatalf("retried exit after archiving: %+v %v", p.State, err)
	}
	p, err := l.Hire(ctx, "hr", "h3", hireReq("b", 9))
	if err != nil || p.Unit != "b" {
		t.Fatalf("rehire after exit: %+v %v", p, err)
	}
	if a, b := balance(t, l, "a"), balance(t, l, "b"); a.Occupied != 0 || b.Occupied != 1 {
		t.Fatalf("a %+v b %+v", a, b)
	}
	mustCheck(t, l)

	// A crash between an exit and its archiving leaves an exited record in
	// the way; the next hire of that person archives it and goes through.
	rec, err := store.Incumbent(ctx, idNumber(9))
	if err != nil {
		t.Fatal(err)
	}
	rec.State, rec.TransferID = ledger.IncumbentExited, "x-crashed"
	if err := store.UpdateIncumbent(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if p, err := l.Hire(ctx, "hr", "h4", hireReq("a", 9)); err != nil || p.Unit != "a" {
		t.Fatalf("hire over an unarchived exit: %+v %v", p, err)
	}
	if _, err := store.ArchivedIncumbent(ctx, idNumber(9), "x-crashed"); err != nil {
		t.Fatalf("the crashed exit was not archived: %v", err)
	}
}

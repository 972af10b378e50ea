package service_test

import (
	"context"
	"errors"
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
	rec.OpSeq++
	if ok, err := store.UpdateIncumbent(ctx, rec); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if p, err := l.Hire(ctx, "hr", "h4", hireReq("a", 9)); err != nil || p.Unit != "a" {
		t.Fatalf("hire over an unarchived exit: %+v %v", p, err)
	}
	if _, err := store.ArchivedIncumbent(ctx, idNumber(9), "x-crashed"); err != nil {
		t.Fatalf("the crashed exit was not archived: %v", err)
	}
}

// unitPeople lists the ID numbers on a unit's posts.
func unitPeople(t *testing.T, l *service.Ledger, unit string) map[string]bool {
	t.Helper()
	ps, err := l.ActiveIncumbents(context.Background(), unit)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, p := range ps {
		out[p.IDNumber] = true
	}
	return out
}

func samePeople(t *testing.T, l *service.Ledger, unit string, want ...int) {
	t.Helper()
	got := unitPeople(t, l, unit)
	ok := len(got) == len(want)
	for _, i := range want {
		ok = ok && got[idNumber(i)]
	}
	if !ok {
		t.Fatalf("people of %s: %v, want %d people %v", unit, got, len(want), want)
	}
}

// TestMoveIncumbentsRetryAfterCrash: a merger dies after its posts moved
// but before every person followed; before the retry the old unit hires
// (and, in the second case, a listed person exits). The retry moves exactly
// the people the first attempt listed: the newcomer stays with their post,
// the leaver is not resurrected and their post goes back to the old unit,
// and every unit's occupied posts equal its people (the checker says so).
func TestMoveIncumbentsRetryAfterCrash(t *testing.T) {
	for _, exit := range []bool{false, true} {
		t.Run(fmt.Sprint("exit=", exit), func(t *testing.T) {
			ctx := context.Background()
			store := newStore(t)
			first := service.New(store, service.Hooks{})
			seed(t, first, 10, "old", "new")
			for i := range 3 {
				if _, err := first.Hire(ctx, "hr", fmt.Sprint("m", i), hireReq("old", 400+i)); err != nil {
					t.Fatal(err)
				}
			}
			// Crash before the second person's record moves.
			first.FaultMove = func(_, step string) error {
				if step == idNumber(401) {
					return errCrash
				}
				return nil
			}
			if _, err := first.MoveIncumbents(ctx, "units", "merge-1", "old", "new", "并编〔2025〕22号", "units"); !errors.Is(err, errCrash) {
				t.Fatalf("first attempt: %v, want the crash", err)
			}
			l := service.New(store, service.Hooks{}) // the retry runs in another process
			if _, err := l.Hire(ctx, "hr", "late", hireReq("old", 500)); err != nil {
				t.Fatalf("hire into the old unit between attempts: %v", err)
			}
			want := int64(3)
			if exit {
				if _, err := l.Exit(ctx, "hr", "x-402", idNumber(402), service.ExitRequest{Reason: ledger.ExitRetirement, Date: "2025-03-01"}, "hr"); err != nil {
					t.Fatalf("exit between attempts: %v", err)
				}
				want = 2
			}
			for i := range 2 { // the retry, and a retry of the retry
				n, err := l.MoveIncumbents(ctx, "units", "merge-1", "old", "new", "并编〔2025〕22号", "units")
				if err != nil || i == 0 && n != want {
					t.Fatalf("retry: moved %d, %v; want %d", n, err, want)
				}
			}
			if exit {
				samePeople(t, l, "new", 400, 401)
				if b := balance(t, l, "new"); b != (ledger.Balance{Approved: 12, Occupied: 2}) {
					t.Fatalf("new unit %+v", b)
				}
				if b := balance(t, l, "old"); b != (ledger.Balance{Approved: 8, Occupied: 1}) {
					t.Fatalf("old unit %+v", b)
				}
				if _, err := l.Incumbent(ctx, idNumber(402)); ledger.CodeOf(err) != ledger.CodeNotFound {
					t.Fatalf("the person who left is back: %v", err)
				}
			} else {
				samePeople(t, l, "new", 400, 401, 402)
				if b := balance(t, l, "new"); b != (ledger.Balance{Approved: 13, Occupied: 3}) {
					t.Fatalf("new unit %+v", b)
				}
				if b := balance(t, l, "old"); b != (ledger.Balance{Approved: 7, Occupied: 1}) {
					t.Fatalf("old unit %+v", b)
				}
			}
			samePeople(t, l, "old", 500) // the newcomer stays, with their post
			mustCheck(t, l)
		})
	}
}

// TestExitWaitsForAMergerThatListedThePerson: a merger dies after it
// claimed its people but before any post moved; an exit of a listed person
// is refused (conflict: being moved) rather than releasing a post of the
// old unit that the merger is about to move; the retry of the merger moves
// all three, then the exit releases the post in the new unit.
func TestExitWaitsForAMergerThatListedThePerson(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	first := service.New(store, service.Hooks{})
	seed(t, first, 5, "old", "new")
	for i := range 3 {
		if _, err := first.Hire(ctx, "hr", fmt.Sprint("m", i), hireReq("old", 400+i)); err != nil {
			t.Fatal(err)
		}
	}
	first.FaultMove = func(_, step string) error {
		if step == "transfer" {
			return errCrash
		}
		return nil
	}
	if _, err := first.MoveIncumbents(ctx, "units", "merge-1", "old", "new", "并编〔2025〕22号", "units"); !errors.Is(err, errCrash) {
		t.Fatalf("first attempt: %v, want the crash", err)
	}
	l := service.New(store, service.Hooks{})
	exit := service.ExitRequest{Reason: ledger.ExitResignation, Date: "2025-03-01"}
	if _, err := l.Exit(ctx, "hr", "x-401", idNumber(401), exit, "hr"); ledger.CodeOf(err) != ledger.CodeConflict {
		t.Fatalf("exit while the merger holds the person: %v, want conflict", err)
	}
	if _, err := l.MoveIncumbents(ctx, "units", "merge-1", "old", "other", "并编〔2025〕22号", "units"); ledger.CodeOf(err) != ledger.CodeIdempotencyKeyReused {
		t.Fatalf("same key, other target: %v, want idempotency_key_reused", err)
	}
	if n, err := l.MoveIncumbents(ctx, "units", "merge-1", "old", "new", "并编〔2025〕22号", "units"); err != nil || n != 3 {
		t.Fatalf("retry: moved %d, %v", n, err)
	}
	if p, err := l.Exit(ctx, "hr", "x-401", idNumber(401), exit, "hr"); err != nil || p.Unit != "new" {
		t.Fatalf("exit after the merger: %+v %v", p, err)
	}
	samePeople(t, l, "new", 400, 402)
	if b := balance(t, l, "new"); b != (ledger.Balance{Approved: 8, Occupied: 2}) {
		t.Fatalf("new unit %+v", b)
	}
	mustCheck(t, l)
}

// TestCheckerFindsOccupancyMismatch: a person record written behind the
// ledger's back (moved to another unit's account without its post) is
// reported by the occupancy check on both accounts.
func TestCheckerFindsOccupancyMismatch(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	l := service.New(store, service.Hooks{})
	seed(t, l, 5, "a", "b")
	for i := range 2 {
		if _, err := l.Hire(ctx, "hr", fmt.Sprint("h", i), hireReq("a", 600+i)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := l.Check(ctx)
	if err != nil || !res.OK || res.People != 2 {
		t.Fatalf("before: %+v %v", res, err)
	}
	rec, err := store.Incumbent(ctx, idNumber(600))
	if err != nil {
		t.Fatal(err)
	}
	rec.Account, rec.Unit = ledger.UnitAccount("b", kind), "b"
	rec.OpSeq++
	if ok, err := store.UpdateIncumbent(ctx, rec); err != nil || !ok {
		t.Fatal(ok, err)
	}
	res, err = l.Check(ctx)
	if err != nil || res.OK {
		t.Fatalf("after: %+v %v, want problems", res, err)
	}
	got := map[string]bool{}
	for _, p := range res.Problems {
		if p.Rule != ledger.RuleOccupancy {
			t.Fatalf("unexpected problem %+v", p)
		}
		got[p.Subject] = true
	}
	if len(got) != 2 || !got[string(ledger.UnitAccount("a", kind))] || !got[string(ledger.UnitAccount("b", kind))] {
		t.Fatalf("problems %+v, want one for each of a and b", res.Problems)
	}
}

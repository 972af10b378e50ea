package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

// TestHoldLifecycle places a hold, hires against it, voids the rest, and
// proves held posts count against the red line in between.
func TestHoldLifecycle(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	seed(t, l, 5, "u1")
	acc := ledger.UnitAccount("u1", kind)
	h, err := l.PlaceHold(ctx, "office", "plan-2025", ledger.HoldRequest{Account: acc, Amount: 3, Purpose: "公开招聘", ExpiresAt: time.Now().Add(time.Hour)}, "office", "")
	if err != nil {
		t.Fatal(err)
	}
	if b := balance(t, l, "u1"); b != (ledger.Balance{Approved: 5, Held: 3}) {
		t.Fatalf("after hold %+v", b)
	}
	if _, err := l.PlaceHold(ctx, "office", "too-much", ledger.HoldRequest{Account: acc, Amount: 3, ExpiresAt: time.Now().Add(time.Hour)}, "office", ""); ledger.CodeOf(err) != ledger.CodeQuotaExhausted {
		t.Fatalf("second hold beyond vacancy: %v", err)
	}
	for i := range 2 {
		r := hireReq("u1", 100+i)
		r.HoldID = h.ID
		if _, err := l.Hire(ctx, "hr", "hh"+string(rune('a'+i)), r); err != nil {
			t.Fatalf("hire from hold %d: %v", i, err)
		}
	}
	// Two free vacancies outside the hold; the third open-market hire is refused.
	for i := range 3 {
		_, err := l.Hire(ctx, "hr", "free"+string(rune('a'+i)), hireReq("u1", 200+i))
		if want := i < 2; (err == nil) != want {
			t.Fatalf("open hire %d: %v", i, err)
		}
	}
	h, err = l.VoidHold(ctx, h.ID, "office")
	if err != nil || h.State != ledger.HoldClosed || h.Posted != 2 || h.Voided != 1 {
		t.Fatalf("void: %+v %v", h, err)
	}
	r := hireReq("u1", 300)
	r.HoldID = h.ID
	if _, err := l.Hire(ctx, "hr", "late", r); ledger.CodeOf(err) != ledger.CodeConflict {
		t.Fatalf("hire from a voided hold: %v", err)
	}
	if b := balance(t, l, "u1"); b != (ledger.Balance{Approved: 5, Occupied: 4}) {
		t.Fatalf("final %+v", b)
	}
	mustCheck(t, l)
}

func TestExpiredHoldsAreVoided(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	seed(t, l, 5, "u1")
	if _, err := l.PlaceHold(ctx, "office", "h", ledger.HoldRequest{Account: ledger.UnitAccount("u1", kind), Amount: 4, ExpiresAt: time.Now().Add(time.Hour)}, "office", ""); err != nil {
		t.Fatal(err)
	}
	if n, err := l.ExpireHolds(ctx); err != nil || n != 0 {
		t.Fatalf("expired %d before expiry (%v)", n, err)
	}
	l.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
	if n, err := l.ExpireHolds(ctx); err != nil || n != 1 {
		t.Fatalf("expired %d (%v), want 1", n, err)
	}
	if b := balance(t, l, "u1"); b != (ledger.Balance{Approved: 5}) {
		t.Fatalf("after expiry %+v", b)
	}
	if n, _ := l.ExpireHolds(ctx); n != 0 {
		t.Fatalf("expired again: %d", n)
	}
	mustCheck(t, l)
}

// TestTalentPoolLoan lends posts from the talent pool through a hold and
// returns them: quota moves, is never created.
func TestTalentPoolLoan(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	seed(t, l, 0, "u1")
	pool := ledger.TalentAccount("city", kind)
	if _, _, err := l.OpenAccount(ctx, service.AccountRequest{ID: pool, Region: "140105"}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Move(ctx, "office", "fund", ledger.MoveRequest{Kind: ledger.TransferReturn, From: ledger.UnitAccount("u1", kind), To: pool, Amount: 1}); ledger.CodeOf(err) != ledger.CodeQuotaExhausted {
		t.Fatalf("returning posts the unit does not have: %v", err)
	}
	// The pool is funded the way the report describes: units hand posts in.
	if _, err := l.Move(ctx, "office", "appr", ledger.MoveRequest{Kind: ledger.TransferApprove, From: ledger.ControlAccount("140105", kind), To: ledger.UnitAccount("u1", kind), Amount: 4, DocNo: "d"}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Move(ctx, "office", "ret", ledger.MoveRequest{Kind: ledger.TransferReturn, From: ledger.UnitAccount("u1", kind), To: pool, Amount: 4}); err != nil {
		t.Fatal(err)
	}
	h, err := l.PlaceHold(ctx, "talent", "case-1", ledger.HoldRequest{Account: pool, Amount: 2, ExpiresAt: time.Now().Add(time.Hour)}, "talent", "")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := l.LendFromHold(ctx, h.ID, ledger.UnitAccount("u1", kind), "talent")
	if err != nil || tr.State != ledger.StatePosted {
		t.Fatalf("lend: %+v %v", tr, err)
	}
	if again, err := l.LendFromHold(ctx, h.ID, ledger.UnitAccount("u1", kind), "talent"); err != nil || again.ID != tr.ID {
		t.Fatalf("retried lend: %+v %v", again, err)
	}
	_, ph, _ := l.Balance(ctx, pool)
	if ph.Balance != (ledger.Balance{Approved: 2}) || balance(t, l, "u1") != (ledger.Balance{Approved: 2}) {
		t.Fatalf("pool %+v unit %+v", ph.Balance, balance(t, l, "u1"))
	}
	mustCheck(t, l)
}

// TestDisciplineBlocksRequests proves 整改与审批联动: an open case against a
// unit's department refuses its hires, holds and incoming quota; closing
// the case lifts the block.
func TestDisciplineBlocksRequests(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	seed(t, l, 5, "src")
	if _, _, err := l.OpenAccount(ctx, service.AccountRequest{ID: ledger.UnitAccount("school", kind), Region: "140105", Department: "edu"}); err != nil {
		t.Fatal(err)
	}
	c, err := l.OpenCase(ctx, "office", "case-1", ledger.CaseRequest{Subject: "edu", Region: "140105", Violation: ledger.ViolationOverQuota, Facts: "超编进人3名"}, "office")
	if err != nil {
		t.Fatal(err)
	}
	move := ledger.MoveRequest{Kind: ledger.TransferMoveUnit, From: ledger.UnitAccount("src", kind), To: ledger.UnitAccount("school", kind), Amount: 2, DocNo: "d"}
	if _, err := l.Move(ctx, "office", "m1", move); ledger.CodeOf(err) != ledger.CodeRectificationPending {
		t.Fatalf("incoming quota during the case: %v", err)
	}
	if _, err := l.Hire(ctx, "hr", "h1", hireReq("school", 1)); ledger.CodeOf(err) != ledger.CodeRectificationPending {
		t.Fatalf("hire during the case: %v", err)
	}
	if _, err := l.CloseCase(ctx, c.ID, "已清退超编人员"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Move(ctx, "office", "m1", move); err != nil {
		t.Fatalf("incoming quota after closing: %v", err)
	}
	if _, err := l.Hire(ctx, "hr", "h1", hireReq("school", 1)); err != nil {
		t.Fatalf("hire after closing: %v", err)
	}
	p, err := l.Exit(ctx, "hr", "x1", idNumber(1), service.ExitRequest{Reason: ledger.ExitRetirement, Date: "2025-05-01"}, "hr")
	if err != nil || p.State != ledger.IncumbentExited {
		t.Fatalf("exit: %+v %v", p.State, err)
	}
	if _, err := l.Exit(ctx, "hr", "x1", idNumber(1), service.ExitRequest{Reason: ledger.ExitRetirement, Date: "2025-05-01"}, "hr"); err != nil {
		t.Fatalf("retried exit: %v", err)
	}
	if b := balance(t, l, "school"); b != (ledger.Balance{Approved: 2}) {
		t.Fatalf("school %+v", b)
	}
	mustCheck(t, l)
}

// TestUsagePlan files a plan, approves it (a hold lapsing at year end) and
// hires under it.
func TestUsagePlan(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	seed(t, l, 4, "u1")
	year := ledger.Year(time.Now())
	p, err := l.FilePlan(ctx, "hr", "plan", ledger.PlanRequest{Unit: "u1", Kind: kind, Count: 3, Purpose: "补充一线执法人员", Year: year}, "hr")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.DecidePlan(ctx, p.ID, true, "", "office"); ledger.CodeOf(err) != ledger.CodeInvalidArgument {
		t.Fatalf("approval without a document: %v", err)
	}
	p, err = l.DecidePlan(ctx, p.ID, true, "并编〔2025〕9号", "office")
	if err != nil || p.State != ledger.PlanApproved {
		t.Fatalf("approve: %+v %v", p, err)
	}
	if again, err := l.DecidePlan(ctx, p.ID, true, "并编〔2025〕9号", "office"); err != nil || again.HoldID != p.HoldID {
		t.Fatalf("approving twice: %+v %v", again, err)
	}
	h, _ := l.Hold(ctx, p.HoldID)
	if !h.ExpiresAt.Equal(ledger.YearEnd(year)) {
		t.Fatalf("plan hold expires %v, want the year end", h.ExpiresAt)
	}
	r := hireReq("u1", 1)
	r.HoldID = p.HoldID
	if _, err := l.Hire(ctx, "hr", "under-plan", r); err != nil {
		t.Fatal(err)
	}
	if b := balance(t, l, "u1"); b != (ledger.Balance{Approved: 4, Held: 2, Occupied: 1}) {
		t.Fatalf("after a hire under the plan %+v", b)
	}
	mustCheck(t, l)
}

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

package service_test

import (
	"context"
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

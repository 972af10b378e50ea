package service_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/talent/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

const pool = "pool:talent:research:institution_full"

type fixture struct {
	cases  *service.Cases
	ledger *fakeLedger
	units  *fakeUnits
	now    time.Time
	mu     sync.Mutex
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testkit.Mongo(t)
	if err := mongox.EnsureIndexes(context.Background(), db, mongostore.Indexes); err != nil {
		t.Fatal(err)
	}
	f := &fixture{ledger: newFakeLedger(), units: newFakeUnits(), now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	f.cases = service.New(mongostore.New(db), f.ledger, f.units, service.Policy{HoldTTL: 90 * 24 * time.Hour,
		LoanTerm: 3 * 365 * 24 * time.Hour, StaleAfter: time.Minute, Baseline: 2776}, service.Hooks{})
	f.cases.SetClock(func() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now })
	return f
}

func (f *fixture) advance(d time.Duration) { f.mu.Lock(); f.now = f.now.Add(d); f.mu.Unlock() }

func application(t *testing.T, n int) recruit.Application {
	t.Helper()
	first17 := "1401051988031" + string(rune('0'+n/1000%10)) + string(rune('0'+n/100%10)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
	return recruit.Application{
		Candidate: recruit.Candidate{Name: "张伟", IDNumber: first17 + string(recruit.IDCheckDigit(first17)),
			Degree: recruit.DegreeDoctorate, Title: recruit.TitleAssociate, Field: "人工智能"},
		Post: "算法研究员", Ground: recruit.GroundSpecialField, Reason: "人工智能为本市重点发展领域", Tier: recruit.TierSenior,
		SubPool: recruit.SubPoolResearch, Kind: recruit.KindInstitutionFull,
	}
}

func (f *fixture) file(t *testing.T, unit string, n int) recruit.Case {
	t.Helper()
	c, err := f.cases.File(context.Background(), unit, "", application(t, n), "hr")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) act(t *testing.T, id string, e recruit.Event) recruit.Case {
	t.Helper()
	c, err := f.cases.Act(context.Background(), id, service.Action{Event: e, Actor: "office", EntryDate: "2026-04-01"})
	if err != nil {
		t.Fatalf("%s %s: %v", e, id, err)
	}
	return c
}

// TestLifecycleLeavesThePoolWhole: file → accept → hire → an exit opens a vacancy → the job returns
// the loan; the pool ends where it began.
func TestLifecycleLeavesThePoolWhole(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.ledger.set(pool, 5, 0)
	f.ledger.set(service.UnitAccount("u-1", "institution_full"), 10, 10) // a full unit

	c := f.file(t, "u-1", 1)
	c = f.act(t, c.ID, recruit.EventAccept)
	if c.Status != recruit.StatusAccepted || c.HoldID == "" || f.ledger.balance(pool).Held != 1 {
		t.Fatalf("accepted: %+v pool %+v", c, f.ledger.balance(pool))
	}
	f.advance(30 * 24 * time.Hour)
	c = f.act(t, c.ID, recruit.EventHire)
	if c.Status != recruit.StatusHired || c.LoanID == "" || c.LoanDueAt.IsZero() {
		t.Fatalf("hired: %+v", c)
	}
	if u := f.ledger.balance(service.UnitAccount("u-1", "institution_full")); u.Approved != 11 || u.Occupied != 11 {
		t.Fatalf("unit after the loan: %+v", u)
	}
	rep, err := f.cases.ReturnDue(ctx)
	if err != nil || rep.Returned != 0 {
		t.Fatalf("no vacancy yet, nothing to return: %+v %v", rep, err)
	}
	f.ledger.set(service.UnitAccount("u-1", "institution_full"), 11, 10) // someone retired
	rep, err = f.cases.ReturnDue(ctx)
	if err != nil || rep.Returned != 1 || len(rep.Failed) != 0 {
		t.Fatalf("return: %+v %v", rep, err)
	}
	c, _ = f.cases.Get(ctx, c.ID)
	if c.Status != recruit.StatusReturnedToPool || c.ClosedAt.IsZero() {
		t.Fatalf("after return: %+v", c)
	}
	if p := f.ledger.balance(pool); p != (service.Balance{Approved: 5}) {
		t.Fatalf("pool not whole: %+v", p)
	}
	steps, _ := f.cases.History(ctx, c.ID)
	if len(steps) != 3 || steps[2].Event != recruit.EventReturnLoan || steps[2].Outcome != recruit.OutcomeDone {
		t.Fatalf("history %+v", steps)
	}
}

// TestLostAnswersAreRetriedNeverAppliedTwice: the ledger applies each call but the answer is lost; the
// case stays pending and the retry (same key) completes it: one hold, one loan.
func TestLostAnswersAreRetriedNeverAppliedTwice(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.ledger.set(pool, 5, 0)
	f.ledger.set(service.UnitAccount("u-1", "institution_full"), 10, 10)
	c := f.file(t, "u-1", 2)
	for _, step := range []struct {
		e  recruit.Event
		op string
		to recruit.Status
	}{{recruit.EventAccept, "hold", recruit.StatusAccepted}, {recruit.EventHire, "lend", recruit.StatusHired}} {
		f.ledger.loseNext[step.op] = true
		_, err := f.cases.Act(ctx, c.ID, service.Action{Event: step.e, Actor: "office", EntryDate: "2026-04-01"})
		if !apperr.Is(err, apperr.CodeUnavailable) {
			t.Fatalf("%s with a lost answer: %v", step.e, err)
		}
		got, _ := f.cases.Get(ctx, c.ID)
		if got.Pending == nil || got.Pending.Event != step.e || got.Status == step.to {
			t.Fatalf("after a lost answer the step must stay pending: %+v", got)
		}
		if _, err := f.cases.Act(ctx, c.ID, service.Action{Event: recruit.EventWithdraw, Actor: "hr"}); !apperr.Is(err, apperr.CodeConflict) {
			t.Fatalf("another event while %s is pending: %v", step.e, err)
		}
		c = f.act(t, c.ID, step.e)
		if c.Status != step.to || f.ledger.applied(step.op) != 1 {
			t.Fatalf("%s retried: %+v, applied %d times", step.e, c, f.ledger.applied(step.op))
		}
	}
	if p := f.ledger.balance(pool); p.Approved != 4 || p.Held != 0 {
		t.Fatalf("pool after one loan: %+v", p)
	}
}

// TestJobFinishesStaleSteps: a request died after the ledger applied its call; the job finishes it.
func TestJobFinishesStaleSteps(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.ledger.set(pool, 1, 0)
	c := f.file(t, "u-1", 3)
	f.ledger.loseNext["hold"] = true
	if _, err := f.cases.Act(ctx, c.ID, service.Action{Event: recruit.EventAccept, Actor: "office"}); err == nil {
		t.Fatal("want the lost answer")
	}
	rep, _ := f.cases.ReturnDue(ctx)
	if rep.Resumed != 0 {
		t.Fatalf("a fresh pending step is left to its request: %+v", rep)
	}
	f.advance(2 * time.Minute)
	rep, err := f.cases.ReturnDue(ctx)
	if err != nil || rep.Resumed != 1 {
		t.Fatalf("job: %+v %v", rep, err)
	}
	c, _ = f.cases.Get(ctx, c.ID)
	if c.Status != recruit.StatusAccepted || f.ledger.applied("hold") != 1 {
		t.Fatalf("resumed: %+v", c)
	}
}

func TestRefusalsLeaveTheCaseAsItWas(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.ledger.set(pool, 0, 0)
	c := f.file(t, "u-1", 4)
	_, err := f.cases.Act(ctx, c.ID, service.Action{Event: recruit.EventAccept, Actor: "office"})
	if !apperr.Is(err, apperr.CodeQuotaExhausted) {
		t.Fatalf("accept on an empty pool: %v", err)
	}
	c, _ = f.cases.Get(ctx, c.ID)
	if c.Status != recruit.StatusFiled || c.Pending != nil || c.Seq != 1 || c.Note == "" {
		t.Fatalf("refused case: %+v", c)
	}
	f.ledger.set(pool, 1, 0)
	if c = f.act(t, c.ID, recruit.EventAccept); c.Status != recruit.StatusAccepted {
		t.Fatalf("accept once the pool has a post: %+v", c)
	}
}

func TestUnitsUnderRectificationCannotFileOrBeAccepted(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.ledger.set(pool, 3, 0)
	c := f.file(t, "u-1", 5)
	f.ledger.blocked["u-1"] = true
	if _, err := f.cases.File(ctx, "u-1", "", application(t, 6), "hr"); !apperr.Is(err, apperr.CodeRectificationPending) {
		t.Fatalf("file: %v", err)
	}
	if _, err := f.cases.Act(ctx, c.ID, service.Action{Event: recruit.EventAccept, Actor: "office"}); !apperr.Is(err, apperr.CodeRectificationPending) {
		t.Fatalf("accept: %v", err)
	}
	if got, _ := f.cases.Get(ctx, c.ID); got.Seq != 0 || f.ledger.balance(pool).Held != 0 {
		t.Fatalf("a refused precheck must claim nothing: %+v", got)
	}
	f.ledger.unreached = true
	if _, err := f.cases.File(ctx, "u-2", "", application(t, 7), "hr"); !apperr.Is(err, apperr.CodeUnavailable) {
		t.Fatalf("file while the ledger is down: %v", err)
	}
}

func TestFilingIsIdempotent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a, err := f.cases.File(ctx, "u-1", "k1", application(t, 8), "hr")
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.cases.File(ctx, "u-1", "k1", application(t, 8), "hr")
	if err != nil || b.ID != a.ID {
		t.Fatalf("repeat: %v %v", b.ID, err)
	}
	if _, err := f.cases.File(ctx, "u-1", "k1", application(t, 9), "hr"); !apperr.Is(err, apperr.CodeIdempotencyKeyReused) {
		t.Fatalf("same key, another candidate: %v", err)
	}
	if c, _ := f.cases.File(ctx, "u-2", "k1", application(t, 8), "hr"); c.ID == a.ID {
		t.Fatal("keys are per unit")
	}
}

// TestRacingReviewersDecideOnce: accept and reject race on one case; exactly one decides it.
func TestRacingReviewersDecideOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.ledger.set(pool, 5, 0)
	for i := range 5 {
		c := f.file(t, "u-1", 20+i)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for j, e := range []recruit.Event{recruit.EventAccept, recruit.EventReject} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[j] = f.cases.Act(ctx, c.ID, service.Action{Event: e, Actor: "office", Note: "理由"})
			}()
		}
		wg.Wait()
		c, _ = f.cases.Get(ctx, c.ID)
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if !apperr.Is(err, apperr.CodeConflict) && !apperr.Is(err, apperr.CodeInvalidState) {
				t.Fatalf("loser's error: %v", err)
			}
		}
		if ok != 1 || (c.Status != recruit.StatusAccepted && c.Status != recruit.StatusRejected) {
			t.Fatalf("round %d: %d winners, status %s", i, ok, c.Status)
		}
		if (c.Status == recruit.StatusAccepted) != (c.HoldID != "") {
			t.Fatalf("hold and status disagree: %+v", c)
		}
	}
	held := f.ledger.balance(pool).Held
	accepted, _ := f.cases.List(ctx, recruit.Filter{Statuses: []recruit.Status{recruit.StatusAccepted}})
	if int(held) != len(accepted) {
		t.Fatalf("%d holds for %d accepted cases", held, len(accepted))
	}
}

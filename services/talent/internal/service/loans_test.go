package service_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

func TestJobExpiresLapsedHoldsAndMarksOverdueLoans(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.ledger.set(pool, 3, 0)
	unit := service.UnitAccount("u-1", "institution_full")
	f.ledger.set(unit, 2, 2)
	lapsing := f.act(t, f.file(t, "u-1", 40).ID, recruit.EventAccept)
	loan := f.act(t, f.act(t, f.file(t, "u-1", 41).ID, recruit.EventAccept).ID, recruit.EventHire)

	f.advance(91 * 24 * time.Hour)
	rep, err := f.cases.ReturnDue(ctx)
	if err != nil || rep.Expired != 1 || rep.Overdue != 0 {
		t.Fatalf("after 91 days: %+v %v", rep, err)
	}
	if c, _ := f.cases.Get(ctx, lapsing.ID); c.Status != recruit.StatusExpired {
		t.Fatalf("lapsed hold: %+v", c)
	}
	if p := f.ledger.balance(pool); p.Held != 0 || p.Approved != 2 {
		t.Fatalf("pool after the void: %+v", p)
	}
	f.advance(3 * 365 * 24 * time.Hour)
	rep, _ = f.cases.ReturnDue(ctx)
	if rep.Overdue != 1 {
		t.Fatalf("after the loan term: %+v", rep)
	}
	over, err := service.NewReports(f.cases).Overdue(ctx, "140100")
	if err != nil || len(over) != 1 || over[0].Case != loan.ID || over[0].UnitVacant != 0 || over[0].DaysOverdue < 1 {
		t.Fatalf("overdue list: %+v %v", over, err)
	}
	rep, _ = f.cases.ReturnDue(ctx)
	if rep.Overdue != 0 {
		t.Fatalf("an overdue loan is marked once: %+v", rep)
	}
	f.ledger.set(unit, 3, 2)
	if rep, _ = f.cases.ReturnDue(ctx); rep.Returned != 1 {
		t.Fatalf("an overdue loan is still returned: %+v", rep)
	}
	st, err := service.NewReports(f.cases).Pool(ctx, "140100")
	if err != nil || st.Recruited != 2776+1 || st.Total.Returned != 1 || st.HireTime.Count != 1 {
		t.Fatalf("statement: %+v %v", st, err)
	}
}

// TestOneVacancyReturnsOneLoan: two loans in a unit, one vacancy: the older loan goes back.
func TestOneVacancyReturnsOneLoan(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.ledger.set(pool, 2, 0)
	unit := service.UnitAccount("u-1", "institution_full")
	f.ledger.set(unit, 0, 0)
	older := f.act(t, f.act(t, f.file(t, "u-1", 50).ID, recruit.EventAccept).ID, recruit.EventHire)
	f.advance(time.Hour)
	f.act(t, f.act(t, f.file(t, "u-1", 51).ID, recruit.EventAccept).ID, recruit.EventHire)
	f.ledger.set(unit, 2, 1)
	rep, err := f.cases.ReturnDue(ctx)
	if err != nil || rep.Returned != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if c, _ := f.cases.Get(ctx, older.ID); c.Status != recruit.StatusReturnedToPool {
		t.Fatalf("the older loan should go first: %+v", c)
	}
}

// TestThirtyAcceptsAgainstTwentyPosts: the ledger's red line admits 20 holds; the other 10 cases
// get quota_exhausted and stay filed.
func TestThirtyAcceptsAgainstTwentyPosts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.ledger.set(pool, 20, 0)
	ids := make([]string, 30)
	for i := range ids {
		ids[i] = f.file(t, "u-1", 100+i).ID
	}
	var wg sync.WaitGroup
	errs := make([]error, 30)
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.cases.Act(ctx, id, service.Action{Event: recruit.EventAccept, Actor: "office"})
		}()
	}
	wg.Wait()
	ok, exhausted := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case apperr.Is(err, apperr.CodeQuotaExhausted):
			exhausted++
		default:
			t.Errorf("unexpected: %v", err)
		}
	}
	cs, _ := f.cases.List(ctx, recruit.Filter{})
	byStatus := map[recruit.Status]int{}
	for _, c := range cs {
		byStatus[c.Status]++
	}
	if ok != 20 || exhausted != 10 || byStatus[recruit.StatusAccepted] != 20 || byStatus[recruit.StatusFiled] != 10 ||
		f.ledger.balance(pool).Held != 20 {
		t.Fatalf("ok %d exhausted %d statuses %v pool %+v", ok, exhausted, byStatus, f.ledger.balance(pool))
	}
}

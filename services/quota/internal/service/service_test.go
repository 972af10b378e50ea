package service_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

const kind = ledger.KindAdministrative

// newStore returns a store on a fresh database of the shared embedded FerretDB.
func newStore(t testing.TB) *mongostore.Store {
	t.Helper()
	s := mongostore.New(testkit.Mongo(t))
	if err := s.EnsureIndexes(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// seed opens the province source, a county's control total and units, and
// approves approved posts to each unit.
func seed(t testing.TB, l *service.Ledger, approved int64, units ...string) {
	t.Helper()
	ctx := context.Background()
	open := func(id ledger.AccountID, region string) {
		if _, _, err := l.OpenAccount(ctx, service.AccountRequest{ID: id, Region: region}); err != nil {
			t.Fatalf("open %s: %v", id, err)
		}
	}
	open(ledger.ExternalAccount(ledger.LevelProvince, kind), "")
	open(ledger.ControlAccount("140105", kind), "")
	move := func(k ledger.TransferKind, from, to ledger.AccountID, n int64) {
		_, err := l.Move(ctx, "seed", fmt.Sprintf("%s-%s-%d", k, to, n), ledger.MoveRequest{Kind: k, From: from, To: to, Amount: n, DocNo: "并编〔2025〕1号", Actor: "seed"})
		if err != nil {
			t.Fatalf("%s %s→%s: %v", k, from, to, err)
		}
	}
	move(ledger.TransferAdjustControl, ledger.ExternalAccount(ledger.LevelProvince, kind), ledger.ControlAccount("140105", kind), approved*int64(len(units))+1000)
	for _, u := range units {
		open(ledger.UnitAccount(u, kind), "140105")
		if approved == 0 {
			continue
		}
		move(ledger.TransferApprove, ledger.ControlAccount("140105", kind), ledger.UnitAccount(u, kind), approved)
	}
}

// idNumber returns the i-th valid ID number of a test population.
func idNumber(i int) string {
	first := fmt.Sprintf("140105198%d%02d%02d%03d", i%10, 1+i/28%12, 1+i%28, i%1000)
	return first + string(ledger.IDCheckDigit(first))
}

func hireReq(unit string, i int) ledger.HireRequest {
	return ledger.HireRequest{IDNumber: idNumber(i), Name: fmt.Sprintf("测试%d", i), Unit: unit, Kind: kind,
		Channel: ledger.ChannelExam, EntryDate: "2024-09-01"}
}

func mustCheck(t testing.TB, l *service.Ledger) {
	t.Helper()
	res, err := l.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK {
		t.Fatalf("ledger check failed: %+v", res.Problems)
	}
}

func balance(t testing.TB, l *service.Ledger, unit string) ledger.Balance {
	t.Helper()
	_, head, err := l.Balance(context.Background(), ledger.UnitAccount(unit, kind))
	if err != nil {
		t.Fatal(err)
	}
	return head.Balance
}

// TestConcurrentHiresNeverOverAllocate races two ledger instances (each
// with its own caches, as two service processes have), 50 goroutines each,
// into one unit with 100 vacancies: exactly 100 hires succeed.
func TestConcurrentHiresNeverOverAllocate(t *testing.T) {
	store := newStore(t)
	a, b := service.New(store, service.Hooks{}), service.New(store, service.Hooks{})
	seed(t, a, 100, "u1")
	var ok, full, other int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := 0; g < 100; g++ {
		inst := a
		if g%2 == 1 {
			inst = b
		}
		wg.Add(1)
		go func(g int, inst *service.Ledger) {
			defer wg.Done()
			for k := 0; k < 2; k++ {
				i := g*2 + k
				_, err := inst.Hire(context.Background(), "hr", fmt.Sprintf("key-%d", i), hireReq("u1", i))
				mu.Lock()
				switch {
				case err == nil:
					ok++
				case ledger.CodeOf(err) == ledger.CodeQuotaExhausted:
					full++
				default:
					other++
					t.Errorf("hire %d: %v", i, err)
				}
				mu.Unlock()
			}
		}(g, inst)
	}
	wg.Wait()
	if ok != 100 || full != 100 || other != 0 {
		t.Fatalf("hired %d, refused %d, failed %d; want 100, 100, 0", ok, full, other)
	}
	if got := balance(t, a, "u1"); got != (ledger.Balance{Approved: 100, Occupied: 100}) {
		t.Fatalf("balance %+v", got)
	}
	people, err := store.Incumbents(context.Background(), "u1")
	if err != nil || len(people) != 100 {
		t.Fatalf("%d incumbent records (%v), want 100", len(people), err)
	}
	mustCheck(t, a)
}

// TestRetriesHaveOneEffect sends one Idempotency-Key ten times at once.
func TestRetriesHaveOneEffect(t *testing.T) {
	store := newStore(t)
	l := service.New(store, service.Hooks{})
	seed(t, l, 10, "u1", "u2")
	req := ledger.MoveRequest{Kind: ledger.TransferMoveUnit, From: ledger.UnitAccount("u1", kind), To: ledger.UnitAccount("u2", kind), Amount: 3, DocNo: "调〔2025〕7号"}
	var wg sync.WaitGroup
	ids := make([]string, 10)
	errs := make([]error, 10)
	for i := range 10 {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// A separate instance per retry: the retries may land anywhere.
			tr, err := service.New(store, service.Hooks{}).Move(context.Background(), "caller", "same-key", req)
			ids[i], errs[i] = tr.ID, err
		}(i)
	}
	wg.Wait()
	for i := range 10 {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("retry %d: %s %v", i, ids[i], errs[i])
		}
	}
	if b := balance(t, l, "u2"); b.Approved != 13 {
		t.Fatalf("u2 approved %d, want 13 (one move of 3)", b.Approved)
	}
	req.Amount = 4
	if _, err := l.Move(context.Background(), "caller", "same-key", req); ledger.CodeOf(err) != ledger.CodeIdempotencyKeyReused {
		t.Fatalf("reused key with another request: %v", err)
	}
	hire := hireReq("u1", 1)
	for i := range 3 {
		if _, err := l.Hire(context.Background(), "hr", "hire-key", hire); err != nil {
			t.Fatalf("hire attempt %d: %v", i, err)
		}
	}
	if _, err := l.Hire(context.Background(), "hr", "other-key", hire); ledger.CodeOf(err) != ledger.CodeDuplicatePerson {
		t.Fatalf("second hire of one person: %v, want duplicate_person", err)
	}
	if b := balance(t, l, "u1"); b.Occupied != 1 {
		t.Fatalf("occupied %d after retried hire, want 1", b.Occupied)
	}
	mustCheck(t, l)
}

var errCrash = errors.New("injected crash")

// TestRecoveryFinishesInterruptedWork crashes a transfer after its debit
// and a hire batch after its journal entry, then runs recovery.
func TestRecoveryFinishesInterruptedWork(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	l := service.New(store, service.Hooks{})
	seed(t, l, 10, "u1", "u2")

	crashing := service.New(store, service.Hooks{})
	crashing.FaultAfterLeg = func(string, int) error { return errCrash }
	req := ledger.MoveRequest{Kind: ledger.TransferMoveUnit, From: ledger.UnitAccount("u1", kind), To: ledger.UnitAccount("u2", kind), Amount: 4, DocNo: "d"}
	if _, err := crashing.Move(ctx, "c", "k1", req); !errors.Is(err, errCrash) {
		t.Fatalf("move: %v, want the crash", err)
	}
	crashing.FaultAfterLeg = nil
	crashing.FaultBeforeActivate = func(string) error { return errCrash }
	if _, err := crashing.Hire(ctx, "hr", "h1", hireReq("u2", 7)); !errors.Is(err, errCrash) {
		t.Fatalf("hire: %v, want the crash", err)
	}
	if b := balance(t, l, "u1"); b.Approved != 6 {
		t.Fatalf("debit not applied before the crash: %+v", b)
	}
	if res, _ := l.Check(ctx); res.InFlight != 2 || !res.OK {
		t.Fatalf("checker sees %d pieces of work in flight (%+v), want 2 (the transfer, the hire batch) and no problem", res.InFlight, res.Problems)
	}

	restarted := service.New(store, service.Hooks{})
	restarted.RecoveryGrace = 0
	restarted.SetClock(func() time.Time { return time.Now().Add(time.Second) })
	rep, err := restarted.Recover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.TransfersPosted != 1 || rep.HiresActivated != 1 {
		t.Fatalf("recovery report %+v", rep)
	}
	if b := balance(t, l, "u2"); b.Approved != 14 || b.Occupied != 1 {
		t.Fatalf("u2 after recovery %+v, want approved 14 occupied 1", b)
	}
	p, err := l.Incumbent(ctx, idNumber(7))
	if err != nil || p.State != ledger.IncumbentActive {
		t.Fatalf("person after recovery: %+v %v", p.State, err)
	}
	again, err := restarted.Recover(ctx)
	if err != nil || again != (service.RecoveryReport{}) {
		t.Fatalf("second recovery did something: %+v %v", again, err)
	}
	// The client's retry after the crash returns the recovered result.
	if tr, err := l.Move(ctx, "c", "k1", req); err != nil || tr.State != ledger.StatePosted {
		t.Fatalf("retry after recovery: %+v %v", tr.State, err)
	}
	mustCheck(t, l)
}

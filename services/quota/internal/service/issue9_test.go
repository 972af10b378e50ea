package service_test

// Regression tests of issue 9: each case the adversarial review found, in
// the interleaving that broke the ledger. Each fails on the code before the
// fix (commit 4d5f3c5) and passes now.

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

var exitReq = service.ExitRequest{Reason: ledger.ExitRetirement, Date: "2025-06-30"}

// recoverNow runs recovery as another process would, with no grace period.
func recoverNow(t *testing.T, store ledger.Store) service.RecoveryReport {
	t.Helper()
	r := service.New(store, service.Hooks{})
	r.RecoveryGrace = 0
	r.SetClock(func() time.Time { return time.Now().Add(time.Second) })
	rep, err := r.Recover(context.Background())
	if err != nil {
		t.Fatalf("recover: %v", err)
	}
	return rep
}

// hires tries n open-market hires into unit and returns how many succeeded.
func hires(t *testing.T, l *service.Ledger, unit string, from, n int) int {
	t.Helper()
	ok := 0
	for i := range n {
		_, err := l.Hire(context.Background(), "hr", fmt.Sprintf("fill-%s-%d", unit, from+i), hireReq(unit, from+i))
		switch ledger.CodeOf(err) {
		case "":
			ok++
		case ledger.CodeQuotaExhausted:
		default:
			t.Fatalf("hire %d: %v", from+i, err)
		}
	}
	return ok
}

func TestIssue9Case01TwoExitsOfOnePersonReleaseOnePost(t *testing.T) {
	ctx := context.Background()
	raw := newStore(t)
	a, b := service.New(raw, service.Hooks{}), service.New(raw, service.Hooks{})
	seed(t, a, 2, "u")
	if hires(t, a, "u", 1, 2) != 2 {
		t.Fatal("seed hires")
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for i := range 8 {
		l := a
		if i%2 == 1 {
			l = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := l.Exit(ctx, "hr", fmt.Sprint("exit-", i), idNumber(1), exitReq, "hr")
			mu.Lock()
			defer mu.Unlock()
			switch ledger.CodeOf(err) {
			case "":
				ok++
			case ledger.CodeConflict, ledger.CodeNotFound:
				refused++
			default:
				t.Errorf("exit %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || refused != 7 {
		t.Fatalf("%d exits succeeded, %d refused; want 1 and 7", ok, refused)
	}
	if got := hires(t, a, "u", 10, 2); got != 1 {
		t.Fatalf("%d hires fit after one exit, want 1", got)
	}
	mustCheck(t, a)

	// A crashed exit retried with a new key does not release a second post.
	hs := hooked(raw)
	crashing := service.New(hs, service.Hooks{})
	hs.on("UpdateIncumbent", func(phase string, _ any) error {
		if phase == "before" {
			return errCrash
		}
		return nil
	})
	if _, err := crashing.Exit(ctx, "hr", "exit-crash", idNumber(2), exitReq, "hr"); err == nil {
		t.Fatal("the crash did not stop the exit")
	}
	if _, err := a.Exit(ctx, "hr", "exit-new-key", idNumber(2), exitReq, "hr"); ledger.CodeOf(err) != ledger.CodeConflict {
		t.Fatalf("exit with a new key after a crash: %v, want conflict (already exited)", err)
	}
	recoverNow(t, raw)
	if _, err := a.Incumbent(ctx, idNumber(2)); ledger.CodeOf(err) != ledger.CodeNotFound {
		t.Fatalf("recovery did not finish the crashed exit: %v", err)
	}
	if got := hires(t, a, "u", 20, 2); got != 1 {
		t.Fatalf("%d hires fit after the second exit, want 1", got)
	}
	if bal := balance(t, a, "u"); bal != (ledger.Balance{Approved: 2, Occupied: 2}) {
		t.Fatalf("balance %+v", bal)
	}
	mustCheck(t, a)
}

// holdFor places a hold of n posts on unit's account.
func holdFor(t *testing.T, l *service.Ledger, unit string, n int64, key string) ledger.Hold {
	t.Helper()
	h, err := l.PlaceHold(context.Background(), "office", key, ledger.HoldRequest{Account: ledger.UnitAccount(unit, kind), Amount: n,
		Purpose: "公开招聘", ExpiresAt: time.Now().Add(time.Hour)}, "office", "")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func fromHold(unit string, i int, holdID string) ledger.HireRequest {
	r := hireReq(unit, i)
	r.HoldID = holdID
	return r
}

func TestIssue9Case02HoldHireFencedByRecoveryStaysUndone(t *testing.T) {
	for _, running := range []bool{false, true} {
		t.Run(fmt.Sprint("running=", running), func(t *testing.T) {
			ctx := context.Background()
			raw := newStore(t)
			hs := hooked(raw)
			l := service.New(hs, service.Hooks{})
			seed(t, l, 3, "u")
			h := holdFor(t, l, "u", 1, "plan")
			g := newGate()
			hs.on("ClaimSlots", func(phase string, arg any) error {
				if phase != "after" || arg.([]ledger.Slot)[0].Use != "hire" {
					return nil
				}
				if running {
					g.hold() // the hire is slow, not dead
					return nil
				}
				return errCrash
			})
			done := make(chan error, 1)
			go func() {
				_, err := l.Hire(ctx, "hr", "k1", fromHold("u", 1, h.ID))
				done <- err
			}()
			if running {
				g.wait(t)
				recoverNow(t, raw) // another instance's ticker
				g.release()
			}
			if err := <-done; err == nil {
				t.Fatal("the hire succeeded although recovery undid it")
			}
			hs.on("ClaimSlots", nil)
			recoverNow(t, raw)
			if _, err := l.Hire(ctx, "hr", "k1", fromHold("u", 1, h.ID)); err == nil {
				t.Fatal("the retry of an undone hold hire succeeded")
			}
			if got := hires(t, l, "u", 10, 4); got != 3 {
				t.Fatalf("%d open-market hires fit, want 3", got)
			}
			if bal := balance(t, l, "u"); bal != (ledger.Balance{Approved: 3, Occupied: 3}) {
				t.Fatalf("balance %+v", bal)
			}
			mustCheck(t, l)
		})
	}
}

func TestIssue9Case03ExitRacingAMergerReleasesWhereThePostIs(t *testing.T) {
	ctx := context.Background()
	raw := newStore(t)
	hs := hooked(raw)
	exiting := service.New(hs, service.Hooks{})
	l := service.New(raw, service.Hooks{})
	seed(t, l, 4, "old", "new")
	if hires(t, l, "old", 1, 3) != 3 {
		t.Fatal("seed hires")
	}
	g := newGate()
	hs.on("InsertTenureOp", func(phase string, arg any) error {
		if phase == "before" && arg.(ledger.TenureOp).Kind == ledger.OpExit {
			g.hold()
		}
		return nil
	})
	done := make(chan error, 1)
	go func() {
		_, err := exiting.Exit(ctx, "hr", "x1", idNumber(1), exitReq, "hr")
		done <- err
	}()
	g.wait(t) // the exit has read the person on the old unit
	if n, err := l.MoveIncumbents(ctx, "units", "merge", "old", "new", "并编〔2025〕1号", "units"); err != nil || n != 3 {
		t.Fatalf("merger: %d %v", n, err)
	}
	if hires(t, l, "old", 10, 1) != 1 {
		t.Fatal("the old unit's remaining vacancy")
	}
	g.release()
	if err := <-done; err != nil {
		t.Fatalf("exit: %v", err)
	}
	if hires(t, l, "old", 20, 1) != 0 {
		t.Fatal("a hire fitted into the full old unit")
	}
	if o, n := balance(t, l, "old"), balance(t, l, "new"); o != (ledger.Balance{Approved: 1, Occupied: 1}) || n != (ledger.Balance{Approved: 7, Occupied: 2}) {
		t.Fatalf("old %+v new %+v", o, n)
	}
	mustCheck(t, l)
}

func TestIssue9Case04CrashedExitIsFinishedByRecovery(t *testing.T) {
	ctx := context.Background()
	raw := newStore(t)
	hs := hooked(raw)
	crashing := service.New(hs, service.Hooks{})
	l := service.New(raw, service.Hooks{})
	seed(t, l, 1, "u")
	if hires(t, l, "u", 1, 1) != 1 {
		t.Fatal("seed hire")
	}
	hs.on("UpdateIncumbent", func(phase string, _ any) error {
		if phase == "before" {
			return errCrash
		}
		return nil
	})
	if _, err := crashing.Exit(ctx, "hr", "x1", idNumber(1), exitReq, "hr"); err == nil {
		t.Fatal("no crash")
	}
	rep := recoverNow(t, raw)
	if rep.ExitsFinished != 1 {
		t.Fatalf("recovery %+v, want one exit finished", rep)
	}
	if hires(t, l, "u", 10, 2) != 1 {
		t.Fatal("want exactly one hire into the freed post")
	}
	if p, err := l.Exit(ctx, "hr", "x1", idNumber(1), exitReq, "hr"); err != nil || p.State != ledger.IncumbentExited {
		t.Fatalf("the crashed exit's retry: %+v %v", p.State, err)
	}
	mustCheck(t, l)
}

func TestIssue9Case05OldExitKeyAfterRehireTouchesNothing(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	seed(t, l, 2, "a", "b")
	if _, err := l.Hire(ctx, "hr", "h1", hireReq("a", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Exit(ctx, "hr", "x1", idNumber(1), exitReq, "hr"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Hire(ctx, "hr", "h2", hireReq("b", 1)); err != nil {
		t.Fatal(err)
	}
	p, err := l.Exit(ctx, "hr", "x1", idNumber(1), exitReq, "hr")
	if err != nil || p.Unit != "a" || p.State != ledger.IncumbentExited {
		t.Fatalf("old key: %+v %v, want the first exit's answer", p, err)
	}
	cur, err := l.Incumbent(ctx, idNumber(1))
	if err != nil || cur.Unit != "b" || cur.State != ledger.IncumbentActive {
		t.Fatalf("the new tenure: %+v %v", cur, err)
	}
	if bal := balance(t, l, "b"); bal.Occupied != 1 {
		t.Fatalf("b %+v", bal)
	}
	mustCheck(t, l)
}

func TestIssue9Case06RunningHireBatchFencedByRecovery(t *testing.T) {
	ctx := context.Background()
	raw := newStore(t)
	hs := hooked(raw)
	l := service.New(hs, service.Hooks{})
	seed(t, l, 2, "u")
	g := newGate()
	hs.on("AppendEntry", func(phase string, arg any) error {
		if phase == "before" && arg.(ledger.Entry).Kind == ledger.TransferHire {
			g.hold()
		}
		return nil
	})
	done := make(chan error, 1)
	go func() {
		_, err := l.Hire(ctx, "hr", "h1", hireReq("u", 1))
		done <- err
	}()
	g.wait(t)
	if rep := recoverNow(t, raw); rep.HiresRemoved != 1 {
		t.Fatalf("recovery %+v, want the stalled hire removed", rep)
	}
	g.release()
	if err := <-done; ledger.CodeOf(err) != ledger.CodeConflict {
		t.Fatalf("the fenced hire: %v, want conflict", err)
	}
	if bal := balance(t, l, "u"); bal.Occupied != 0 {
		t.Fatalf("balance %+v: the fenced batch appended its entry", bal)
	}
	mustCheck(t, l)
	if _, err := l.Hire(ctx, "hr", "h1", hireReq("u", 1)); err != nil {
		t.Fatalf("retry after the fence: %v", err)
	}
	mustCheck(t, l)
}

// talentPool funds a talent pool with n posts from unit u and places a hold of n.
func talentPool(t *testing.T, l *service.Ledger, n int64) (ledger.AccountID, ledger.Hold) {
	t.Helper()
	ctx := context.Background()
	pool := ledger.TalentAccount("city", kind)
	if _, _, err := l.OpenAccount(ctx, service.AccountRequest{ID: pool, Region: "140105"}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Move(ctx, "office", "ret", ledger.MoveRequest{Kind: ledger.TransferReturn, From: ledger.UnitAccount("donor", kind), To: pool, Amount: n}); err != nil {
		t.Fatal(err)
	}
	h, err := l.PlaceHold(ctx, "talent", "case-1", ledger.HoldRequest{Account: pool, Amount: n, ExpiresAt: time.Now().Add(time.Hour)}, "talent", "")
	if err != nil {
		t.Fatal(err)
	}
	return pool, h
}

func TestIssue9Case07LoanCrashedAfterItsClaimIsFinished(t *testing.T) {
	ctx := context.Background()
	raw := newStore(t)
	hs := hooked(raw)
	l := service.New(hs, service.Hooks{})
	seed(t, l, 2, "donor", "u")
	pool, h := talentPool(t, l, 2)
	hs.on("ClaimSlots", func(phase string, arg any) error {
		if phase == "after" && arg.([]ledger.Slot)[0].Use == "loan" {
			return errCrash
		}
		return nil
	})
	if _, err := l.LendFromHold(ctx, h.ID, ledger.UnitAccount("u", kind), "talent"); err == nil {
		t.Fatal("no crash")
	}
	hs.on("ClaimSlots", nil)
	recoverNow(t, raw)
	tr, err := l.LendFromHold(ctx, h.ID, ledger.UnitAccount("u", kind), "talent")
	if err != nil || tr.State != ledger.StatePosted {
		t.Fatalf("the loan after recovery: %+v %v", tr, err)
	}
	_, ph, _ := l.Balance(ctx, pool)
	if ph.Balance != (ledger.Balance{}) || balance(t, l, "u") != (ledger.Balance{Approved: 4}) {
		t.Fatalf("pool %+v unit %+v", ph.Balance, balance(t, l, "u"))
	}
	if got, _ := l.Hold(ctx, h.ID); got.State != ledger.HoldClosed || got.Posted != 2 {
		t.Fatalf("hold %+v", got)
	}
	mustCheck(t, l)
}

func TestIssue9Case08RehireFromTheSameHold(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	seed(t, l, 2, "u")
	h := holdFor(t, l, "u", 2, "plan")
	for round := range 2 {
		if _, err := l.Hire(ctx, "hr", fmt.Sprint("h", round), fromHold("u", 1, h.ID)); err != nil {
			t.Fatalf("hire %d from the hold: %v", round, err)
		}
		if bal := balance(t, l, "u"); bal.Occupied != 1 {
			t.Fatalf("round %d: %+v", round, bal)
		}
		if _, err := l.Exit(ctx, "hr", fmt.Sprint("x", round), idNumber(1), exitReq, "hr"); err != nil {
			t.Fatalf("exit %d: %v", round, err)
		}
	}
	if got, _ := l.Hold(ctx, h.ID); got.State != ledger.HoldClosed || got.Posted != 2 {
		t.Fatalf("hold %+v", got)
	}
	if bal := balance(t, l, "u"); bal != (ledger.Balance{Approved: 2}) {
		t.Fatalf("balance %+v", bal)
	}
	mustCheck(t, l)
}

func TestIssue9Case09HoldCrashBetweenRecordAndPosts(t *testing.T) {
	for _, where := range []string{"before the transfer", "after the transfer"} {
		t.Run(where, func(t *testing.T) {
			ctx := context.Background()
			raw := newStore(t)
			hs := hooked(raw)
			l := service.New(hs, service.Hooks{})
			seed(t, l, 3, "u")
			if where == "before the transfer" {
				hs.on("InsertTransfer", func(phase string, arg any) error {
					if phase == "before" && arg.(ledger.Transfer).Kind == ledger.TransferHold {
						return errCrash
					}
					return nil
				})
			} else {
				hs.on("SetTransferState", func(phase string, arg any) error {
					if phase == "after" && arg.(ledger.TransferState) == ledger.StatePosted {
						return errCrash
					}
					return nil
				})
			}
			if _, err := l.PlaceHold(ctx, "office", "h", ledger.HoldRequest{Account: ledger.UnitAccount("u", kind), Amount: 2,
				ExpiresAt: time.Now().Add(time.Hour)}, "office", ""); err == nil {
				t.Fatal("no crash")
			}
			hs.on("InsertTransfer", nil)
			hs.on("SetTransferState", nil)
			recoverNow(t, raw)
			mustCheck(t, l)
			later := service.New(raw, service.Hooks{})
			later.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
			if _, err := later.ExpireHolds(ctx); err != nil {
				t.Fatal(err)
			}
			if bal := balance(t, l, "u"); bal != (ledger.Balance{Approved: 3}) {
				t.Fatalf("after expiry %+v: posts still held", bal)
			}
			mustCheck(t, l)
		})
	}
}

func TestIssue9Case11ReusedCaseKeyBlocksNobodyElse(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	seed(t, l, 2, "a", "b")
	req := ledger.CaseRequest{Subject: "a", Region: "140105", Violation: ledger.ViolationOverQuota, Facts: "超编进人"}
	if _, err := l.OpenCase(ctx, "office", "case-1", req, "office"); err != nil {
		t.Fatal(err)
	}
	req.Subject = "b"
	if _, err := l.OpenCase(ctx, "office", "case-1", req, "office"); ledger.CodeOf(err) != ledger.CodeIdempotencyMismatch {
		t.Fatalf("reused case key: %v, want idempotency_mismatch", err)
	}
	if blocked, err := l.Blocked(ctx, "b", ""); err != nil || len(blocked) != 0 {
		t.Fatalf("b blocked by a reused key: %v %v", blocked, err)
	}
	if hires(t, l, "b", 1, 1) != 1 {
		t.Fatal("b cannot hire")
	}
}

func TestIssue9Case13RejectRacingAFinisher(t *testing.T) {
	ctx := context.Background()
	raw := newStore(t)
	hsA, hsB := hooked(raw), hooked(raw)
	a := service.New(hsA, service.Hooks{})
	other := service.New(raw, service.Hooks{})
	seed(t, other, 10, "u1", "u2")
	req := ledger.MoveRequest{Kind: ledger.TransferMoveUnit, From: ledger.UnitAccount("u1", kind), To: ledger.UnitAccount("u2", kind), Amount: 10, DocNo: "d"}
	tid := ledger.ScopedID("t", "c", "k13")
	gA, gB := newGate(), newGate()
	hsA.on("AppendEntry", func(phase string, arg any) error {
		if e := arg.(ledger.Entry); phase == "before" && e.TransferID == tid && e.Leg == 0 {
			gA.hold()
		}
		return nil
	})
	hsB.on("SetTransferState", func(phase string, arg any) error {
		if phase == "before" && arg.(ledger.TransferState) == ledger.StateRejected {
			gB.hold()
		}
		return nil
	})
	doneA := make(chan error, 1)
	go func() { _, err := a.Move(ctx, "c", "k13", req); doneA <- err }()
	gA.wait(t) // A is about to apply the debit
	mv := func(key string, k ledger.TransferKind, from, to ledger.AccountID) {
		if _, err := other.Move(ctx, "c", key, ledger.MoveRequest{Kind: k, From: from, To: to, Amount: 1, DocNo: "d"}); err != nil {
			t.Fatal(err)
		}
	}
	mv("t2", ledger.TransferMoveUnit, ledger.UnitAccount("u1", kind), ledger.UnitAccount("u2", kind)) // no room for A's 10 now
	doneB := make(chan struct{})
	go func() { recoverNow(t, hsB); close(doneB) }() // B finds A's transfer pending, is refused, rejects
	gB.wait(t)
	mv("t3", ledger.TransferApprove, ledger.ControlAccount("140105", kind), ledger.UnitAccount("u1", kind)) // room again
	gA.release()
	errA := <-doneA
	gB.release()
	<-doneB
	tr, err := other.Transfer(ctx, tid)
	if err != nil {
		t.Fatal(err)
	}
	if tr.State == ledger.StatePosted && errA == nil {
		t.Log("A applied the transfer before B could reject it: no race")
	}
	if tr.State != ledger.StateRejected {
		t.Fatalf("transfer %s, want rejected (B rejected it while A was applying it)", tr.State)
	}
	if bal := balance(t, other, "u1"); bal.Approved != 10 {
		t.Fatalf("u1 %+v: the rejected transfer's debit is in", bal)
	}
	mustCheck(t, other)
}

func TestIssue9HoldHiresCheckDisciplineAbolitionAndExpiry(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	seed(t, l, 3, "u")
	h := holdFor(t, l, "u", 2, "plan")
	if _, err := l.OpenCase(ctx, "office", "c", ledger.CaseRequest{Subject: "u", Region: "140105", Violation: ledger.ViolationOverQuota, Facts: "超编"}, "office"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Hire(ctx, "hr", "b1", fromHold("u", 1, h.ID)); ledger.CodeOf(err) != ledger.CodeRectificationPending {
		t.Fatalf("hold hire under an open case: %v", err)
	}
	if _, err := l.CloseCase(ctx, ledger.ScopedID("c", "office", "c"), "已整改", "office"); err != nil {
		t.Fatal(err)
	}
	late := service.New(l.Store(), service.Hooks{})
	late.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
	if _, err := late.Hire(ctx, "hr", "b2", fromHold("u", 2, h.ID)); ledger.CodeOf(err) != ledger.CodeConflict {
		t.Fatalf("hire from an expired hold: %v", err)
	}
	if _, err := l.SetAbolished(ctx, "u", true); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Hire(ctx, "hr", "b3", fromHold("u", 3, h.ID)); ledger.CodeOf(err) != ledger.CodeAccountAbolished {
		t.Fatalf("hold hire into an abolished unit: %v", err)
	}
	mustCheck(t, l)
}

// TestIssue9PenaltyCountsOnlyPostedDeductions: a deduction refused because
// the vacancy was taken meanwhile is not counted when the case's opening is
// retried after a crash.
func TestIssue9PenaltyCountsOnlyPostedDeductions(t *testing.T) {
	ctx := context.Background()
	raw := newStore(t)
	hs := hooked(raw)
	l := service.New(hs, service.Hooks{})
	inst := ledger.KindInstitutionFull
	open := func(id ledger.AccountID, region, dept string) {
		if _, _, err := l.OpenAccount(ctx, service.AccountRequest{ID: id, Region: region, Department: dept}); err != nil {
			t.Fatal(err)
		}
	}
	open(ledger.ExternalAccount(ledger.LevelProvince, inst), "", "")
	open(ledger.ControlAccount("140105", inst), "", "")
	open(ledger.UnitAccount("school", inst), "140105", "edu")
	open(ledger.UnitAccount("clinic", inst), "140105", "health")
	for _, m := range []ledger.MoveRequest{
		{Kind: ledger.TransferAdjustControl, From: ledger.ExternalAccount(ledger.LevelProvince, inst), To: ledger.ControlAccount("140105", inst), Amount: 10, DocNo: "d"},
		{Kind: ledger.TransferApprove, From: ledger.ControlAccount("140105", inst), To: ledger.UnitAccount("school", inst), Amount: 2, DocNo: "d"},
	} {
		if _, err := l.Move(ctx, "seed", string(m.Kind), m); err != nil {
			t.Fatal(err)
		}
	}
	g := newGate()
	hs.on("InsertTransfer", func(phase string, arg any) error {
		if phase == "before" && arg.(ledger.Transfer).Kind == ledger.TransferRecover {
			g.hold()
		}
		return nil
	})
	hs.on("UpdateCase", func(phase string, _ any) error {
		if phase == "before" {
			return errCrash
		}
		return nil
	})
	req := ledger.CaseRequest{Subject: "edu", Region: "140105", Violation: ledger.ViolationMisuse, Facts: "挤占编制", PenaltyPosts: 2}
	done := make(chan error, 1)
	go func() { _, err := l.OpenCase(ctx, "office", "penalty", req, "office"); done <- err }()
	g.wait(t) // the deduction read 2 vacant posts
	other := service.New(raw, service.Hooks{})
	if _, err := other.Move(ctx, "office", "away", ledger.MoveRequest{Kind: ledger.TransferMoveUnit, From: ledger.UnitAccount("school", inst),
		To: ledger.UnitAccount("clinic", inst), Amount: 2, DocNo: "调〔2026〕1号"}); err != nil {
		t.Fatal(err)
	}
	g.release()
	if err := <-done; err == nil {
		t.Fatal("no crash")
	}
	hs.on("InsertTransfer", nil)
	hs.on("UpdateCase", nil)
	c, err := l.OpenCase(ctx, "office", "penalty", req, "office")
	if err != nil {
		t.Fatal(err)
	}
	if c.Deducted != 0 {
		t.Fatalf("deducted %d: a refused deduction was counted", c.Deducted)
	}
	mustCheck(t, l)
}

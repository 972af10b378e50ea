package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

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
	if c.Deducted != 0 {
		t.Fatalf("a case without penalty deducted %d", c.Deducted)
	}
	if _, err := l.CloseCase(ctx, c.ID, "已清退超编人员", "office"); err != nil {
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

// TestCasePenaltyDeductsVacantInstitutionPosts: the penalty takes vacant
// institution posts of the units a department supervises into the
// recovered pool, never occupied ones, and a retry takes nothing more.
func TestCasePenaltyDeductsVacantInstitutionPosts(t *testing.T) {
	ctx := context.Background()
	l := service.New(newStore(t), service.Hooks{})
	inst := ledger.KindInstitutionFull
	open := func(id ledger.AccountID, region, dept string) {
		if _, _, err := l.OpenAccount(ctx, service.AccountRequest{ID: id, Region: region, Department: dept}); err != nil {
			t.Fatal(err)
		}
	}
	open(ledger.ExternalAccount(ledger.LevelProvince, inst), "", "")
	open(ledger.ControlAccount("140105", inst), "", "")
	open(ledger.UnitAccount("school1", inst), "140105", "edu")
	open(ledger.UnitAccount("school2", inst), "140105", "edu")
	open(ledger.UnitAccount("clinic", inst), "140105", "health")
	mv := func(k ledger.TransferKind, from, to ledger.AccountID, n int64) {
		if _, err := l.Move(ctx, "seed", string(k)+string(to), ledger.MoveRequest{Kind: k, From: from, To: to, Amount: n, DocNo: "d"}); err != nil {
			t.Fatal(err)
		}
	}
	mv(ledger.TransferAdjustControl, ledger.ExternalAccount(ledger.LevelProvince, inst), ledger.ControlAccount("140105", inst), 30)
	for _, u := range []string{"school1", "school2", "clinic"} {
		mv(ledger.TransferApprove, ledger.ControlAccount("140105", inst), ledger.UnitAccount(u, inst), 10)
	}
	r := hireReq("school1", 1)
	r.Kind = inst
	for i := range 8 {
		r.IDNumber = idNumber(500 + i)
		if _, err := l.Hire(ctx, "hr", fmt.Sprint("s", i), r); err != nil {
			t.Fatal(err)
		}
	}
	req := ledger.CaseRequest{Subject: "edu", Region: "140105", Violation: ledger.ViolationMisuse, Facts: "挤占编制", PenaltyPosts: 5}
	c, err := l.OpenCase(ctx, "office", "penalty", req, "office")
	if err != nil || c.Deducted != 5 {
		t.Fatalf("case: deducted %d, %v", c.Deducted, err)
	}
	// school1 had 2 vacant posts, school2 gave the other 3; the clinic is another department's.
	_, h1, _ := l.Balance(ctx, ledger.UnitAccount("school1", inst))
	_, h2, _ := l.Balance(ctx, ledger.UnitAccount("school2", inst))
	_, hc, _ := l.Balance(ctx, ledger.UnitAccount("clinic", inst))
	_, hp, _ := l.Balance(ctx, ledger.RecoveredAccount("140105", inst))
	if h1.Balance.Approved != 8 || h2.Balance.Approved != 7 || hc.Balance.Approved != 10 || hp.Balance.Approved != 5 {
		t.Fatalf("school1 %+v school2 %+v clinic %+v pool %+v", h1.Balance, h2.Balance, hc.Balance, hp.Balance)
	}
	if again, err := l.OpenCase(ctx, "office", "penalty", req, "office"); err != nil || again.Deducted != 5 {
		t.Fatalf("retried case: %+v %v", again.Deducted, err)
	}
	if _, hp, _ = l.Balance(ctx, ledger.RecoveredAccount("140105", inst)); hp.Balance.Approved != 5 {
		t.Fatalf("a retry deducted again: pool %+v", hp.Balance)
	}
	mustCheck(t, l)
}

package app_test

import (
	"context"
	"testing"

	quota "github.com/bianzhi/bianzhi/services/quota/client"

	"github.com/bianzhi/bianzhi/services/talent/internal/app"
)

// TestReturnLoansCommand runs the job as the CronJob does (`talent return-loans`: no listener, its
// own connections) against the store the running service uses.
func TestReturnLoansCommand(t *testing.T) {
	ctx := context.Background()
	s := startStack(t)
	office := s.office(t)
	office.fundPool("general", 1)
	office.fullUnit("centre-1", "dept-gen", 1)
	hr := s.talentAs(t, s.tokens.UnitHR(t, "140105", "centre-1"))
	city := s.talentAs(t, s.tokens.CityAdmin(t))
	var c caseView
	hr.must("POST", "/v1/cases", "", filing("centre-1", 60, "general"), &c)
	city.must("POST", "/v1/cases/"+c.ID+"/accept", "", nil, &c)
	hr.must("POST", "/v1/cases/"+c.ID+"/hire", "", map[string]any{"entryDate": "2026-05-01"}, &c)

	rep, err := app.ReturnDue(ctx, s.cfg)
	if err != nil || rep.Returned != 0 || len(rep.Failed) != 0 {
		t.Fatalf("before a vacancy: %+v %v", rep, err)
	}
	office.must("POST", "/v1/incumbents/"+staffID(0)+"/exit", "exit", quota.Exit{Reason: "transfer_out", Date: "2026-07-01"}, nil)
	if rep, err = app.ReturnDue(ctx, s.cfg); err != nil || rep.Returned != 1 {
		t.Fatalf("after a vacancy: %+v %v", rep, err)
	}
	city.must("GET", "/v1/cases/"+c.ID, "", nil, &c)
	if c.Status != "returned_to_pool" {
		t.Fatalf("case: %+v", c)
	}
	if b := office.balance("pool:talent:general:" + kind); b != (quota.Balance{Approved: 1, Vacant: 1}) {
		t.Fatalf("pool: %+v", b)
	}
	office.checkClean()
}

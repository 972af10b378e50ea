package app_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	qc "github.com/bianzhi/bianzhi/services/quota/client"
	quota "github.com/bianzhi/bianzhi/services/quota/inproc"
	"github.com/bianzhi/bianzhi/services/units/internal/app"
	"github.com/bianzhi/bianzhi/services/units/internal/config"
)

// TestMergerAgainstTheRealQuotaService wires units to the quota service as in
// production: charters approved through units set the ledger's posts, a merger moves
// them, and the ledger's own checker is clean afterwards.
func TestMergerAgainstTheRealQuotaService(t *testing.T) {
	ctx := context.Background()
	q, err := quota.Start(ctx, testkit.Env(t, nil), platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	qurl := testkit.StartApp(t, q)
	tok := testkit.NewTokens(t)
	// The units service opens its units' quota accounts under its own identity.
	cfg, err := config.Load(testkit.Env(t, map[string]string{"QUOTA_URL": qurl, "SERVICE_TOKEN": tok.Service(t, "units")}))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, cfg, platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := &stack{t: t, url: testkit.StartApp(t, a), tok: tok, city: tok.CityAdmin(t), decider: deciderToken(t, tok)}
	city := s.city
	qcl, err := svcclient.New(svcclient.Options{BaseURL: qurl, Service: "quota", TokenSource: func(context.Context) (string, error) { return city, nil }})
	if err != nil {
		t.Fatal(err)
	}
	must := func(path, key string, in, out any) {
		t.Helper()
		if err := qcl.Do(ctx, "POST", path, in, out, svcclient.WithIdempotencyKey(key)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	k := "institution_full"
	must("/v1/accounts", "o1", qc.OpenAccount{ID: "ext:province:" + k}, nil)
	must("/v1/accounts", "o2", qc.OpenAccount{ID: "pool:control:140100:" + k, Region: "140100"}, nil)
	must("/v1/transfers", "adj", qc.TransferRequest{Kind: "adjust_control", From: "ext:province:" + k, To: "pool:control:140100:" + k, Amount: 100, DocNo: "晋编〔2024〕1号"}, nil)

	s.must(http.StatusOK, "POST", "/v1/batch/units", city, map[string]any{"units": []map[string]any{
		deptDTO("D-GARDEN", "太原市园林局", "140100"),
		instDTO("PARK-A", "太原市迎泽公园管理处", "140100", nil), instDTO("PARK-B", "太原市儿童公园管理处", "140100", nil),
		instDTO("CENTRE", "太原市公园服务中心", "140100", nil)}})
	for id, n := range map[string]int{"PARK-A": 14, "PARK-B": 11, "CENTRE": 20} {
		s.must(http.StatusCreated, "POST", "/v1/units/"+id+"/charters", city, map[string]any{
			"functions": []map[string]any{{"text": "负责公园管理", "workSafety": true}}, "quotas": []map[string]any{{"kind": k, "count": n}}})
		s.must(http.StatusOK, "POST", "/v1/units/"+id+"/charters/1/approve", city, map[string]any{"documentNo": "并编〔2024〕2号", "effectiveFrom": "2024-01-01"})
	}
	s.must(http.StatusCreated, "POST", "/v1/proposals", city, map[string]any{"id": "P-REAL", "kind": "merge", "title": "公园整合",
		"regionCode": "140100", "filedBy": "D-GARDEN", "effectiveFrom": "2024-07-01", "unitIds": []string{"PARK-A", "PARK-B"}, "targetUnitId": "CENTRE"})
	s.approve("P-REAL")
	if p := s.must(http.StatusOK, "POST", "/v1/proposals/P-REAL/execute", city, nil); str(p["state"]) != "executed" {
		t.Fatalf("state %v", p["state"])
	}
	var acc qc.Account
	if err := qcl.Do(ctx, "GET", "/v1/accounts/unit:CENTRE:"+k, nil, &acc); err != nil || acc.Balance.Approved != 45 {
		t.Fatalf("centre %+v %v, want 45 approved", acc.Balance, err)
	}
	var check qc.Check
	if err := qcl.Do(ctx, "GET", "/v1/checks/ledger", nil, &check); err != nil || !check.OK {
		t.Fatalf("ledger check %+v %v", check, err)
	}
}

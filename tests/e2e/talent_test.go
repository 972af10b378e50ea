package e2e

import (
	"context"
	"strings"
	"testing"
)

// TestTalentLoanThroughTheGateway: a unit with no vacancy recruits a high-level talent on a post lent
// from the city's revolving pool, with people acting through the gateway and the talent service calling
// the quota service under its own service identity (the gateway's service-token grant).
func TestTalentLoanThroughTheGateway(t *testing.T) {
	s, _ := startStack(t)
	city := client{t: t, gw: s.Gateway, token: login(t, s, "city_admin")}
	hr := client{t: t, gw: s.Gateway, token: login(t, s, "unit_hr")}
	const kind = "institution_full"
	const unit = "demo-unit-hr" // the unit of the demo HR account
	pool := "pool:talent:health:" + kind
	// Units' accounts are opened by the units service (quota lets no person open one).
	svc, err := s.ServiceToken(context.Background(), "units")
	if err != nil {
		t.Fatal(err)
	}
	units := client{t: t, gw: s.Gateway, token: svc}

	// The unit is recorded in units, the owner of its region: talent reads it from there (the HR
	// officer's token names the unit, no region).
	city.must("POST", "/api/units/v1/batch/units", "", map[string]any{"units": []map[string]any{
		{"id": "E2E-HEALTH", "name": "太原市卫生健康委员会", "kind": "government_department", "regionCode": "140100",
			"effectiveFrom": "2019-01-01", "rank": "正处级"},
		{"id": unit, "name": "太原市第一人民医院", "kind": "public_institution", "category": "public_welfare_2",
			"regionCode": "140100", "supervisorId": "E2E-HEALTH", "effectiveFrom": "2020-01-01", "documentNo": "并编〔2020〕1号"}}})

	for i, acc := range []map[string]any{
		{"id": "ext:province:" + kind},
		{"id": "pool:control:140100:" + kind, "region": "140100"},
		{"id": "unit:fund-health:" + kind, "region": "140100", "name": "周转池资金单位"},
		{"id": pool, "region": "140100", "name": "人才引进编制周转池"},
		{"id": "unit:" + unit + ":" + kind, "region": "140100", "name": "太原市第一人民医院"},
	} {
		opener := city
		if strings.HasPrefix(acc["id"].(string), "unit:") {
			opener = units
		}
		opener.must("POST", "/api/quota/v1/accounts", "t-open-"+string(rune('a'+i)), acc)
	}
	// Order matters: control total, then approval, then the pool.
	city.must("POST", "/api/quota/v1/transfers", "t1", map[string]any{"kind": "adjust_control", "from": "ext:province:" + kind, "to": "pool:control:140100:" + kind, "amount": 2, "docNo": "晋编〔2026〕1号"})
	city.must("POST", "/api/quota/v1/transfers", "t2", map[string]any{"kind": "approve", "from": "pool:control:140100:" + kind, "to": "unit:fund-health:" + kind, "amount": 2, "docNo": "并编〔2026〕2号"})
	city.must("POST", "/api/quota/v1/transfers", "t3", map[string]any{"kind": "return", "from": "unit:fund-health:" + kind, "to": pool, "amount": 2, "reason": "设立人才引进编制周转池"})

	c := hr.must("POST", "/api/talent/v1/cases", "case-1", map[string]any{"unit": unit,
		"candidate": map[string]any{"name": "李博士", "idNumber": idNumber(900), "degree": "doctorate", "title": "associate", "field": "心血管内科"},
		"post":      "心内科学科带头人", "ground": "key_post", "reason": "市级重点专科建设急需", "tier": "leading",
		"subPool": "health", "kind": kind})
	id, _ := c["id"].(string)
	if id == "" || c["region"] != "140100" || c["unitName"] != "太原市第一人民医院" {
		t.Fatalf("filed case: %v", c)
	}
	if c = city.must("POST", "/api/talent/v1/cases/"+id+"/accept", "", nil); c["status"] != "accepted" {
		t.Fatalf("accept: %v", c)
	}
	if c = hr.must("POST", "/api/talent/v1/cases/"+id+"/hire", "", map[string]any{"entryDate": "2026-11-01"}); c["status"] != "hired" {
		t.Fatalf("hire: %v", c)
	}
	acct := city.must("GET", "/api/quota/v1/accounts/unit:"+unit+":"+kind, "", nil)
	if bal, _ := acct["balance"].(map[string]any); bal["approved"] != float64(1) || bal["occupied"] != float64(1) {
		t.Fatalf("the unit should hold the lent post with the doctor on it: %v", acct)
	}
	poolAcct := city.must("GET", "/api/quota/v1/accounts/"+pool, "", nil)
	if bal, _ := poolAcct["balance"].(map[string]any); bal["approved"] != float64(1) {
		t.Fatalf("the pool should have lent one of its two posts: %v", poolAcct)
	}
	if check := city.must("GET", "/api/quota/v1/checks/ledger", "", nil); check["ok"] != true {
		t.Fatalf("ledger checker: %v", check)
	}
}

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// client talks to the platform through the gateway as one logged-in person.
type client struct {
	t     *testing.T
	gw    string
	token string
}

// call sends a JSON request through the gateway and decodes the JSON answer.
func (c client) call(method, path, key string, in any) (int, map[string]any) {
	c.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.gw+path, body)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	if out == nil {
		out = map[string]any{"raw": string(raw)}
	}
	return resp.StatusCode, out
}

func (c client) must(method, path, key string, in any) map[string]any {
	c.t.Helper()
	code, out := c.call(method, path, key, in)
	if code >= 300 {
		c.t.Fatalf("%s %s: %d %v", method, path, code, out)
	}
	return out
}

// idNumber makes a valid 18-digit resident ID (GB 11643 check character).
func idNumber(i int) string {
	first := fmt.Sprintf("14010019850101%03d", i)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, w := range weights {
		sum += int(first[k]-'0') * w
	}
	return first + string("10X98765432"[sum%11])
}

// TestMergerAcrossUnitsAndQuotaThroughTheGateway is the reform the report describes (parks merged into one
// park service centre), done as the city office does it through the portal's API: the parks' posts and
// their people move to the centre, the parks are marked merged, the ledger checker is clean, and the
// audit log records who executed it.
func TestMergerAcrossUnitsAndQuotaThroughTheGateway(t *testing.T) {
	s, _ := startStack(t)
	city := client{t: t, gw: s.Gateway, token: login(t, s, "city_admin")}
	const kind = "institution_full"

	city.must("POST", "/api/quota/v1/accounts", "e2e-o1", map[string]any{"id": "ext:province:" + kind})
	city.must("POST", "/api/quota/v1/accounts", "e2e-o2", map[string]any{"id": "pool:control:140100:" + kind, "region": "140100"})
	city.must("POST", "/api/quota/v1/transfers", "e2e-adj", map[string]any{"kind": "adjust_control",
		"from": "ext:province:" + kind, "to": "pool:control:140100:" + kind, "amount": 100, "docNo": "晋编〔2024〕1号"})

	inst := func(id, name string) map[string]any {
		return map[string]any{"id": id, "name": name, "kind": "public_institution", "category": "public_welfare_1",
			"regionCode": "140100", "effectiveFrom": "2020-01-01", "documentNo": "并编〔2020〕1号"}
	}
	city.must("POST", "/api/units/v1/batch/units", "", map[string]any{"units": []map[string]any{
		{"id": "E2E-GARDEN", "name": "太原市园林局", "kind": "government_department", "regionCode": "140100",
			"effectiveFrom": "2019-01-01", "rank": "正处级"},
		inst("E2E-PARK-A", "太原市迎泽公园管理处"), inst("E2E-PARK-B", "太原市儿童公园管理处"), inst("E2E-CENTRE", "太原市公园服务中心"),
	}})
	for id, n := range map[string]int{"E2E-PARK-A": 14, "E2E-PARK-B": 11, "E2E-CENTRE": 20} {
		city.must("POST", "/api/units/v1/units/"+id+"/charters", "", map[string]any{
			"functions": []map[string]any{{"text": "负责公园管理", "workSafety": true}},
			"quotas":    []map[string]any{{"kind": kind, "count": n}}})
		city.must("POST", "/api/units/v1/units/"+id+"/charters/1/approve", "",
			map[string]any{"documentNo": "并编〔2024〕2号", "effectiveFrom": "2024-01-01"})
	}
	// People on the parks' posts: 3 in park A, 2 in park B.
	for i, unit := range []string{"E2E-PARK-A", "E2E-PARK-A", "E2E-PARK-A", "E2E-PARK-B", "E2E-PARK-B"} {
		city.must("POST", "/api/quota/v1/incumbents", fmt.Sprintf("e2e-hire-%d", i), map[string]any{
			"idNumber": idNumber(i), "name": fmt.Sprintf("职工%d", i), "unit": unit, "kind": kind,
			"channel": "exam", "entryDate": "2023-09-01"})
	}

	city.must("POST", "/api/units/v1/proposals", "", map[string]any{"id": "P-E2E", "kind": "merge", "title": "公园整合",
		"regionCode": "140100", "filedBy": "E2E-GARDEN", "effectiveFrom": "2024-07-01",
		"unitIds": []string{"E2E-PARK-A", "E2E-PARK-B"}, "targetUnitId": "E2E-CENTRE"})
	for _, a := range []string{"submit", "advance", "advance"} {
		city.must("POST", "/api/units/v1/proposals/P-E2E/transitions", "", map[string]any{"action": a})
	}
	// Four eyes: city_admin filed and submitted it, so the second city office login approves it.
	reviewer := client{t: t, gw: s.Gateway, token: login(t, s, "city_reviewer")}
	reviewer.must("POST", "/api/units/v1/proposals/P-E2E/transitions", "", map[string]any{"action": "approve", "documentNo": "并编发〔2024〕12号"})
	if p := city.must("POST", "/api/units/v1/proposals/P-E2E/execute", "", nil); p["state"] != "executed" {
		t.Fatalf("proposal state %v", p["state"])
	}

	centre := city.must("GET", "/api/quota/v1/accounts/unit:E2E-CENTRE:"+kind, "", nil)
	bal, _ := centre["balance"].(map[string]any)
	if bal["approved"] != float64(45) || bal["occupied"] != float64(5) {
		t.Fatalf("centre balance %v: want 45 approved (20+14+11) and the parks' 5 people", bal)
	}
	people := city.must("GET", "/api/quota/v1/units/E2E-CENTRE/incumbents", "", nil)
	if people["count"] != float64(5) {
		t.Fatalf("centre incumbents %v", people)
	}
	for _, park := range []string{"E2E-PARK-A", "E2E-PARK-B"} {
		u := city.must("GET", "/api/units/v1/units/"+park, "", nil)
		if !strings.Contains(fmt.Sprint(u["status"]), "merged") {
			t.Errorf("%s status %v, want merged", park, u["status"])
		}
	}
	// The checker's occupancy rule counted the 5 people on posts and found them matching the balances.
	if check := city.must("GET", "/api/quota/v1/checks/ledger", "", nil); check["ok"] != true || check["people"] != float64(5) {
		t.Fatalf("ledger checker: %v", check)
	}

	auditor := client{t: t, gw: s.Gateway, token: login(t, s, "auditor")}
	audit := auditor.must("GET", "/api/v1/audit?limit=200", "", nil)
	raw, _ := json.Marshal(audit)
	if !strings.Contains(string(raw), "/api/units/v1/proposals/P-E2E/execute") {
		t.Fatalf("the execution is not in the audit log: %s", raw)
	}
}

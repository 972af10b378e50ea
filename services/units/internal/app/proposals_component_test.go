package app_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

const full = unit.QuotaInstitutionFull

// seedCity loads a department, n park institutions with quotas and people, and a filler.
func seedCity(s *stack, parks int) {
	us := []map[string]any{deptDTO("D-GARDEN", "太原市园林局", "140100")}
	for i := range parks {
		id := fmt.Sprintf("PARK-%02d", i)
		us = append(us, instDTO(id, fmt.Sprintf("太原市第%d公园管理处", i+1), "140100", map[string]any{"supervisorId": "D-GARDEN"}))
		s.quota.Seed(id, full, 12, 8)
	}
	s.must(http.StatusOK, "POST", "/v1/batch/units", s.city, map[string]any{"units": us})
}

func (s *stack) file(p map[string]any) map[string]any {
	s.t.Helper()
	if p["filedBy"] == nil {
		p["filedBy"] = "D-GARDEN"
	}
	if p["regionCode"] == nil {
		p["regionCode"] = "140100"
	}
	if p["effectiveFrom"] == nil {
		p["effectiveFrom"] = "2024-07-01"
	}
	return s.must(http.StatusCreated, "POST", "/v1/proposals", s.city, p)
}

func (s *stack) act(id, action string, extra map[string]any) reply {
	s.t.Helper()
	body := map[string]any{"action": action}
	for k, v := range extra {
		body[k] = v
	}
	tok := s.city
	if action == "approve" || action == "reject" {
		tok = s.decider
	}
	return s.do("POST", "/v1/proposals/"+id+"/transitions", tok, body)
}

// approve walks a proposal through review to an approval.
func (s *stack) approve(id string) {
	s.t.Helper()
	for _, a := range []string{"submit", "advance", "advance"} {
		if r := s.act(id, a, nil); r.status != 200 {
			s.t.Fatalf("%s %s: %d %s", id, a, r.status, r.raw)
		}
	}
	if r := s.act(id, "approve", map[string]any{"documentNo": "并编发〔2024〕12号"}); r.status != 200 {
		s.t.Fatalf("approve %s: %s", id, r.raw)
	}
}

func TestMergeOfParksIntoOneCentre(t *testing.T) {
	s := start(t)
	seedCity(s, 22)
	var ids []string
	for i := range 22 {
		ids = append(ids, fmt.Sprintf("PARK-%02d", i))
	}
	approvedBefore, occupiedBefore := s.quota.Total()
	p := s.file(map[string]any{"id": "P-PARKS", "kind": "merge", "title": "22个公园管理机构整合为市公园服务中心", "unitIds": ids,
		"newUnit": map[string]any{"id": "PARK-CENTRE", "name": "太原市公园服务中心", "kind": "public_institution",
			"category": "public_welfare_1", "regionCode": "140100", "leadershipPosts": []map[string]any{{"rank": "正处级", "count": 1}}},
		"quotaCuts": []map[string]any{{"kind": full, "count": 80}}})
	if str(p["state"]) != "draft" {
		t.Fatalf("filed %v", p)
	}
	sim := s.must(http.StatusOK, "POST", "/v1/proposals/P-PARKS/simulate", s.city, nil)
	if len(list(sim["findings"])) != 0 || len(list(sim["overQuota"])) != 0 {
		t.Fatalf("simulation %v / %v", sim["findings"], sim["overQuota"])
	}
	if s.quota.Applied != 0 {
		t.Fatal("simulate wrote to the ledger")
	}
	s.approve("P-PARKS")
	done := s.must(http.StatusOK, "POST", "/v1/proposals/P-PARKS/execute", s.city, nil)
	if str(done["state"]) != "executed" || len(list(done["transitions"])) != 6 {
		t.Fatalf("executed %v", done["state"])
	}
	if a, o := s.quota.Get("PARK-CENTRE", full); a != 22*12-80 || o != 22*8 {
		t.Fatalf("centre holds %d/%d, want %d/%d", a, o, 22*12-80, 22*8)
	}
	if a, _ := s.quota.Get("pool:140100", full); a != 80 {
		t.Fatalf("pool %d, want the 80 cut", a)
	}
	if a, o := s.quota.Total(); a != approvedBefore || o != occupiedBefore {
		t.Fatalf("merger changed totals: %d/%d → %d/%d", approvedBefore, occupiedBefore, a, o)
	}
	for _, id := range ids {
		u := s.must(http.StatusOK, "GET", "/v1/units/"+id, s.city, nil)
		if str(u["status"]) != "merged" || str(u["mergedInto"]) != "PARK-CENTRE" {
			t.Fatalf("%s: %v", id, u)
		}
		if old := s.must(http.StatusOK, "GET", "/v1/units/"+id+"?asOf=2024-06-30", s.city, nil); str(old["status"]) != "active" {
			t.Fatalf("history lost for %s", id)
		}
	}
	applied := s.quota.Applied
	again := s.must(http.StatusOK, "POST", "/v1/proposals/P-PARKS/execute", s.city, nil)
	if str(again["state"]) != "executed" || s.quota.Applied != applied {
		t.Fatal("re-executing an executed proposal did something")
	}
	st := s.must(http.StatusOK, "GET", "/v1/reports/reform?from=2024-01-01&to=2024-12-31", s.city, nil)
	if num(st["merged"]) != 22 || num(st["established"]) != 1 || num(obj(st["creditBalanceByRegion"])["140100"]) != 21 {
		t.Fatalf("reform stats %v", st)
	}
	steps := s.must(http.StatusOK, "GET", "/v1/proposals/P-PARKS/steps", s.city, nil)
	for _, x := range list(steps["steps"]) {
		if !obj(x)["done"].(bool) {
			t.Fatalf("step not done: %v", x)
		}
	}
}

// TestQuotaFailureMidExecution breaks the quota service after a few writes: the
// proposal stays executing, and the retry finishes without repeating a move.
func TestQuotaFailureMidExecution(t *testing.T) {
	s := start(t)
	seedCity(s, 3)
	s.quota.Seed("PARK-00", full, 15, 8) // 7 vacant
	s.must(http.StatusOK, "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{
		instDTO("TARGET", "太原市园林服务中心", "140100", nil)}})
	s.quota.Seed("TARGET", full, 20, 20)
	s.file(map[string]any{"id": "P-M", "kind": "merge", "title": "三个公园并入园林服务中心",
		"unitIds": []string{"PARK-00", "PARK-01", "PARK-02"}, "targetUnitId": "TARGET"})
	s.approve("P-M")
	s.quota.SucceedFirst, s.quota.FailWrites = 3, 100 // moves PARK-00's people and vacancies and PARK-01's people, then fails
	s.problem(503, "unavailable", "", "POST", "/v1/proposals/P-M/execute", s.city, nil)
	p := s.must(http.StatusOK, "GET", "/v1/proposals/P-M", s.city, nil)
	if str(p["state"]) != "executing" {
		t.Fatalf("state %v, want executing", p["state"])
	}
	if u := s.must(http.StatusOK, "GET", "/v1/units/PARK-00", s.city, nil); str(u["status"]) != "merged" {
		t.Fatalf("first source not marked merged: %v", u["status"])
	}
	if u := s.must(http.StatusOK, "GET", "/v1/units/PARK-01", s.city, nil); str(u["status"]) != "active" {
		t.Fatalf("second source marked before its quotas moved: %v", u["status"])
	}
	// The retry fails too, but later: the ledger applies the next move and its reply is
	// lost. The step is not marked done, so the next retry re-sends it with the same key.
	s.quota.SucceedFirst, s.quota.FailWrites, s.quota.LoseReplies = 0, 0, 1
	s.problem(503, "unavailable", "", "POST", "/v1/proposals/P-M/execute", s.city, nil)
	done := s.must(http.StatusOK, "POST", "/v1/proposals/P-M/execute", s.city, nil)
	if str(done["state"]) != "executed" {
		t.Fatalf("state %v", done["state"])
	}
	a, o := s.quota.Get("TARGET", full)
	if a != 20+15+12+12 || o != 20+8+8+8 {
		t.Fatalf("target %d/%d, want 59/44: a move was lost or repeated", a, o)
	}
	for _, id := range []string{"PARK-00", "PARK-01", "PARK-02"} {
		if a, o := s.quota.Get(id, full); a != 0 || o != 0 {
			t.Fatalf("%s left with %d/%d", id, a, o)
		}
	}
	if s.quota.Applied != 6 {
		t.Fatalf("%d ledger writes, want 6 (people and vacancies of three units)", s.quota.Applied)
	}
	h := s.must(http.StatusOK, "GET", "/v1/units/PARK-00/history", s.city, nil)
	if len(list(h["versions"])) != 2 {
		t.Fatalf("PARK-00 has %d versions, want 2: a step was repeated", len(list(h["versions"])))
	}
}

func TestProposalRulesAndOtherKinds(t *testing.T) {
	s := start(t)
	seedCity(s, 2)
	s.quota.Seed("PARK-01", full, 12, 0) // empty: can be abolished
	newInst := func(cat string, n int64) map[string]any {
		return map[string]any{"name": "太原市数据服务中心", "kind": "public_institution", "category": cat, "regionCode": "140100",
			"quotas": []map[string]any{{"kind": full, "count": n}}}
	}
	// 撤一建一: no abolition and no credit → refused at legality review, with the finding kept.
	s.file(map[string]any{"id": "P-E1", "kind": "establish", "title": "新设数据服务中心", "newUnit": newInst("public_welfare_1", 10),
		"quotaSources": []map[string]any{{"fromUnitId": "PARK-01", "kind": full, "count": 10}}})
	s.act("P-E1", "submit", nil)
	s.act("P-E1", "advance", nil)
	s.problem(422, "rule_violation", unit.RuleNoAbolitionOffset, "POST", "/v1/proposals/P-E1/transitions", s.city, map[string]any{"action": "advance"})
	if p := s.must(http.StatusOK, "GET", "/v1/proposals/P-E1", s.city, nil); str(p["state"]) != "legality_review" || len(list(p["findings"])) != 1 {
		t.Fatalf("after failed review %v %v", p["state"], p["findings"])
	}
	// Administrative functions, business nature, under 10 quotas: each a named reason in the what-if.
	for cat, reason := range map[string]string{"administrative_function": unit.RuleAdministrativeFunction, "business": unit.RuleBusinessInstitution} {
		sim := s.must(http.StatusOK, "POST", "/v1/proposals/simulate", s.city, map[string]any{"kind": "establish", "title": "x",
			"regionCode": "140100", "filedBy": "D-GARDEN", "effectiveFrom": "2024-07-01", "unitIds": []string{"PARK-01"},
			"newUnit": newInst(cat, 12), "quotaSources": []map[string]any{{"kind": full, "count": 12}}})
		if f := list(sim["findings"]); len(f) != 1 || str(obj(f[0])["code"]) != reason {
			t.Fatalf("%s: findings %v", cat, f)
		}
	}
	sim := s.must(http.StatusOK, "POST", "/v1/proposals/simulate", s.city, map[string]any{"kind": "establish", "title": "x",
		"regionCode": "140100", "filedBy": "D-GARDEN", "effectiveFrom": "2024-07-01", "unitIds": []string{"PARK-01"},
		"newUnit": newInst("public_welfare_1", 9), "quotaSources": []map[string]any{{"kind": full, "count": 9}}})
	if f := list(sim["findings"]); len(f) != 1 || str(obj(f[0])["code"]) != unit.RuleTooFewQuotas {
		t.Fatalf("under 10: %v", f)
	}
	s.problem(400, "invalid_argument", "invalid_proposal_kind", "POST", "/v1/proposals", s.city, map[string]any{"id": "P-X", "kind": "split",
		"title": "x", "regionCode": "140100", "filedBy": "D-GARDEN", "effectiveFrom": "2024-07-01"})
	s.problem(403, "forbidden", "", "POST", "/v1/proposals", s.tok.CountyAdmin(t, "140105"), map[string]any{"id": "P-Y", "kind": "abolish",
		"title": "x", "regionCode": "140100", "filedBy": "D-GARDEN", "effectiveFrom": "2024-07-01", "unitIds": []string{"PARK-01"}})

	// Abolition recovers the vacancies and grants a credit; the establishment then uses it.
	s.file(map[string]any{"id": "P-A", "kind": "abolish", "title": "撤销第二公园管理处", "unitIds": []string{"PARK-01"}})
	s.approve("P-A")
	s.must(http.StatusOK, "POST", "/v1/proposals/P-A/execute", s.city, nil)
	if a, _ := s.quota.Get("pool:140100", full); a != 12 {
		t.Fatalf("pool after abolition %d", a)
	}
	s.act("P-E1", "return", map[string]any{"reason": "改由收回编制池划转"})
	// The draft cannot be edited, so a corrected proposal is filed: posts from the pool.
	s.file(map[string]any{"id": "P-E2", "kind": "establish", "title": "新设数据服务中心", "newUnit": newInst("public_welfare_1", 10),
		"quotaSources": []map[string]any{{"kind": full, "count": 10}}})
	s.approve("P-E2")
	e := s.must(http.StatusOK, "POST", "/v1/proposals/P-E2/execute", s.city, nil)
	if str(e["state"]) != "executed" {
		t.Fatal(e)
	}
	if a, _ := s.quota.Get("U-P-E2", full); a != 10 {
		t.Fatalf("new unit holds %d", a)
	}
	st := s.must(http.StatusOK, "GET", "/v1/reports/reform?from=2024-01-01&to=2024-12-31", s.city, nil)
	if num(obj(st["creditBalanceByRegion"])["140100"]) != 0 || num(st["abolished"]) != 1 || num(st["established"]) != 1 {
		t.Fatalf("stats %v", st)
	}

	// Rename, hand over, change category: each a new version of the unit.
	s.file(map[string]any{"id": "P-R", "kind": "rename", "title": "更名", "unitIds": []string{"PARK-00"}, "newName": "太原市迎泽公园管理中心"})
	s.file(map[string]any{"id": "P-H", "kind": "hand_over", "title": "下放", "unitIds": []string{"PARK-00"},
		"newManagingAuthorityId": "U-P-E2", "newGuidingAuthorityId": "D-GARDEN"})
	s.file(map[string]any{"id": "P-C", "kind": "change_category", "title": "调整类别", "unitIds": []string{"PARK-00"}, "newCategory": "public_welfare_2"})
	for _, id := range []string{"P-R", "P-H", "P-C"} {
		s.approve(id)
		s.must(http.StatusOK, "POST", "/v1/proposals/"+id+"/execute", s.city, nil)
	}
	u := s.must(http.StatusOK, "GET", "/v1/units/PARK-00", s.city, nil)
	if str(u["name"]) != "太原市迎泽公园管理中心" || str(u["managingAuthorityId"]) != "U-P-E2" || str(u["guidingAuthorityId"]) != "D-GARDEN" ||
		str(u["category"]) != "public_welfare_2" || num(u["version"]) != 4 {
		t.Fatalf("unit after three changes %v", u)
	}

	// A rejected proposal cannot be executed; an open discipline case blocks filing.
	s.file(map[string]any{"id": "P-Z", "kind": "rename", "title": "更名", "unitIds": []string{"PARK-00"}, "newName": "x"})
	for _, a := range []string{"submit", "advance", "advance"} {
		s.act("P-Z", a, nil)
	}
	s.problem(400, "invalid_argument", "required", "POST", "/v1/proposals/P-Z/transitions", s.city, map[string]any{"action": "reject"})
	s.must(http.StatusOK, "POST", "/v1/proposals/P-Z/transitions", s.city, map[string]any{"action": "reject", "reason": "名称不规范"})
	s.problem(409, "invalid_state", "invalid_transition", "POST", "/v1/proposals/P-Z/execute", s.city, nil)
	s.quota.SetDiscipline("D-GARDEN", true)
	s.problem(409, "rectification_pending", unit.RuleOpenDisciplineCase, "POST", "/v1/proposals", s.city, map[string]any{"id": "P-D",
		"kind": "rename", "title": "x", "regionCode": "140100", "filedBy": "D-GARDEN", "effectiveFrom": "2024-07-01",
		"unitIds": []string{"PARK-00"}, "newName": "y"})
	list := s.must(http.StatusOK, "GET", "/v1/proposals?state=executed", s.city, nil)
	if num(list["count"]) != 5 {
		t.Fatalf("executed proposals %v", list["count"])
	}
}

package app_test

import (
	"net/http"
	"testing"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

func instDTO(id, name, region string, extra map[string]any) map[string]any {
	m := map[string]any{"id": id, "name": name, "kind": "public_institution", "category": "public_welfare_1",
		"regionCode": region, "effectiveFrom": "2020-01-01", "documentNo": "并编〔2020〕1号"}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func deptDTO(id, name, region string) map[string]any {
	return map[string]any{"id": id, "name": name, "kind": "government_department", "regionCode": region,
		"effectiveFrom": "2019-01-01", "rank": "正处级"}
}

func TestUnitsRegionsScopeAndHistory(t *testing.T) {
	s := start(t)
	uscc, _ := unit.MakeUSCC("12", "140100", "70001234")
	s.must(http.StatusOK, "PUT", "/v1/regions", s.city, map[string]any{"regions": []map[string]any{
		{"code": "140105001", "name": "坞城街道", "kind": "street", "parent": "140105"},
	}})
	tree := s.must(http.StatusOK, "GET", "/v1/regions", s.city, nil)
	root := obj(list(tree["regions"])[0])
	if str(root["code"]) != "140100" || len(list(root["children"])) != 10 {
		t.Fatalf("tree root %v", root)
	}
	s.problem(400, "invalid_argument", "invalid_region_parent", "PUT", "/v1/regions", s.city, map[string]any{"regions": []map[string]any{
		{"code": "140105002", "name": "x", "kind": "street", "parent": "140106"}}})
	s.problem(403, "forbidden", "", "PUT", "/v1/regions", s.tok.CountyAdmin(t, "140105"), map[string]any{"regions": []map[string]any{
		{"code": "140105002", "name": "x", "kind": "street", "parent": "140105"}}})

	res := s.must(http.StatusOK, "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{
		deptDTO("D-EDU", "太原市教育局", "140100"),
		instDTO("I-A", "太原市教育信息中心", "140100", map[string]any{"uscc": uscc, "supervisorId": "D-EDU"}),
		instDTO("I-X", "小店区文化馆", "140105", nil),
	}})
	if num(res["created"]) != 3 {
		t.Fatalf("batch %v", res)
	}
	again := s.must(http.StatusOK, "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{deptDTO("D-EDU", "太原市教育局", "140100")}})
	if num(again["created"]) != 0 {
		t.Fatalf("re-import created %v", again)
	}
	bad := s.problem(400, "invalid_argument", "invalid_uscc", "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{
		instDTO("I-B", "坏代码", "140100", map[string]any{"uscc": "12140100700012340X"})}})
	if str(bad["field"]) != "units[0].uscc" {
		t.Fatalf("field %v", bad["field"])
	}
	s.problem(400, "unknown_field", "", "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{{"id": "x", "colour": "red"}}})
	s.problem(400, "invalid_argument", "", "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{}})

	// Scope: a county office sees its own units, not the city's; a unit HR officer only their unit.
	county := s.tok.CountyAdmin(t, "140105")
	s.must(http.StatusOK, "GET", "/v1/units/I-X", county, nil)
	s.problem(403, "forbidden", "", "GET", "/v1/units/I-A", county, nil)
	if l := s.must(http.StatusOK, "GET", "/v1/units", county, nil); num(l["count"]) != 1 {
		t.Fatalf("county list %v", l)
	}
	s.problem(403, "forbidden", "", "GET", "/v1/units?region=140100", county, nil)
	hr := s.tok.UnitHR(t, "140100", "I-A")
	s.must(http.StatusOK, "GET", "/v1/units/I-A", hr, nil)
	s.problem(403, "forbidden", "", "GET", "/v1/units/D-EDU", hr, nil)
	if l := s.must(http.StatusOK, "GET", "/v1/units", hr, nil); num(l["count"]) != 1 {
		t.Fatalf("hr list %v", l)
	}
	s.problem(403, "forbidden", "", "PUT", "/v1/units/I-A/sections", s.tok.Auditor(t, "140100"),
		map[string]any{"sections": []any{}, "effectiveFrom": "2024-01-01", "documentNo": "x"})
	s.problem(404, "not_found", "unit_not_found", "GET", "/v1/units/none", s.city, nil)

	// Effective dating: a new version, and the old one as of an earlier day.
	s.must(http.StatusOK, "PUT", "/v1/units/D-EDU/sections", s.city, map[string]any{
		"sections":      []map[string]any{{"name": "综合科", "large": true}, {"name": "基础教育科", "large": true}},
		"effectiveFrom": "2023-03-01", "documentNo": "并编〔2023〕5号"})
	now := s.must(http.StatusOK, "GET", "/v1/units/D-EDU", s.city, nil)
	before := s.must(http.StatusOK, "GET", "/v1/units/D-EDU?asOf=2022-12-31", s.city, nil)
	if num(now["version"]) != 2 || len(list(now["sections"])) != 2 || num(before["version"]) != 1 {
		t.Fatalf("now v%v, before v%v", now["version"], before["version"])
	}
	s.problem(404, "not_found", "unit_not_yet_established", "GET", "/v1/units/D-EDU?asOf=2018-01-01", s.city, nil)
	s.problem(400, "invalid_argument", "invalid_date", "GET", "/v1/units/D-EDU?asOf=yesterday", s.city, nil)
	hist := s.must(http.StatusOK, "GET", "/v1/units/D-EDU/history", s.city, nil)
	if len(list(hist["versions"])) != 2 {
		t.Fatalf("history %v", hist)
	}
	old := s.must(http.StatusOK, "GET", "/v1/units?asOf=2019-06-01", s.city, nil)
	if num(old["count"]) != 1 {
		t.Fatalf("units in force on 2019-06-01: %v", old["count"])
	}
}

func TestChartersApproveSetsQuotasOnceAndCoverage(t *testing.T) {
	s := start(t)
	s.must(http.StatusOK, "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{
		deptDTO("D-EDU", "太原市教育局", "140100"), deptDTO("D-HEALTH", "太原市卫生健康委员会", "140100")}})
	draft := func(admin int64, safety bool) map[string]any {
		return map[string]any{
			"functions":       []map[string]any{{"text": "负责全市教育工作"}, {"text": "负责教育系统安全生产", "workSafety": safety}},
			"sections":        []map[string]any{{"name": "办公室", "large": true}, {"name": "基础教育科", "large": true}},
			"quotas":          []map[string]any{{"kind": "administrative", "count": admin}},
			"leadershipPosts": []map[string]any{{"rank": "正处级", "count": 1}, {"rank": "副处级", "count": 3}},
		}
	}
	c1 := s.must(http.StatusCreated, "POST", "/v1/units/D-EDU/charters", s.city, draft(30, true))
	if num(c1["version"]) != 1 || str(c1["status"]) != "draft" {
		t.Fatalf("draft %v", c1)
	}
	s.problem(400, "invalid_argument", "invalid_quota_kind", "POST", "/v1/units/D-EDU/charters", s.city,
		map[string]any{"functions": []map[string]any{{"text": "x"}}, "quotas": []map[string]any{{"kind": "gold", "count": 1}}})
	s.problem(400, "invalid_argument", "", "POST", "/v1/units/D-EDU/charters/1/approve", s.city, map[string]any{"effectiveFrom": "2024-01-01"})

	// The quota service fails: nothing is approved, and a retry approves once.
	s.quota.FailWrites = 1
	s.problem(503, "unavailable", "", "POST", "/v1/units/D-EDU/charters/1/approve", s.city,
		map[string]any{"documentNo": "并编〔2024〕7号", "effectiveFrom": "2024-01-01"})
	if c := s.must(http.StatusOK, "GET", "/v1/units/D-EDU/charters/1", s.city, nil); str(c["status"]) != "draft" {
		t.Fatalf("charter approved though the ledger failed: %v", c["status"])
	}
	for range 2 {
		s.must(http.StatusOK, "POST", "/v1/units/D-EDU/charters/1/approve", s.city,
			map[string]any{"documentNo": "并编〔2024〕7号", "effectiveFrom": "2024-01-01"})
	}
	if a, _ := s.quota.Get("D-EDU", unit.QuotaAdministrative); a != 30 || s.quota.Applied != 1 {
		t.Fatalf("ledger approved %d after %d writes, want 30 after 1", a, s.quota.Applied)
	}
	if a, _ := s.quota.Get("D-EDU", "leader_fuchu"); a != 3 {
		t.Fatalf("leadership posts not set: %d", a)
	}
	u := s.must(http.StatusOK, "GET", "/v1/units/D-EDU", s.city, nil)
	if num(u["charterVersion"]) != 1 || num(u["version"]) != 2 {
		t.Fatalf("unit after approval %v", u)
	}
	s.must(http.StatusCreated, "POST", "/v1/units/D-EDU/charters", s.city, draft(26, false))
	s.must(http.StatusOK, "POST", "/v1/units/D-EDU/charters/2/approve", s.city, map[string]any{"documentNo": "并编〔2025〕2号", "effectiveFrom": "2025-01-01"})
	if a, _ := s.quota.Get("D-EDU", unit.QuotaAdministrative); a != 26 {
		t.Fatalf("ledger approved %d, want 26", a)
	}
	d := s.must(http.StatusOK, "GET", "/v1/units/D-EDU/charters/diff?from=1&to=2", s.city, nil)
	q := obj(list(d["quotas"])[0])
	if num(q["from"]) != 30 || num(q["to"]) != 26 || len(list(d["functionsAdded"])) != 1 {
		t.Fatalf("diff %v", d)
	}
	if cur := s.must(http.StatusOK, "GET", "/v1/units/D-EDU/charters/current", s.city, nil); num(cur["version"]) != 2 {
		t.Fatalf("current %v", cur)
	}
	s.problem(404, "not_found", "charter_not_found", "GET", "/v1/units/D-HEALTH/charters/current", s.city, nil)
	s.problem(400, "invalid_argument", "", "GET", "/v1/units/D-EDU/charters/diff?from=0&to=2", s.city, nil)

	cov := s.must(http.StatusOK, "GET", "/v1/reports/coverage", s.city, nil)
	items := list(cov["coverages"])
	want := []struct {
		total, covered int64
	}{{2, 1}, {2, 1}, {1, 0}, {0, 0}}
	for i, w := range want {
		it := obj(items[i])
		if num(it["total"]) != w.total || num(it["covered"]) != w.covered {
			t.Fatalf("coverage %d: %v", i, it)
		}
	}
	if gap := obj(list(obj(items[0])["gaps"])[0]); str(gap["id"]) != "D-HEALTH" {
		t.Fatalf("gap %v", gap)
	}
}

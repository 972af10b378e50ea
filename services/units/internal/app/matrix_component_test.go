package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/units/internal/httpapi"
)

// persona is one caller of the matrix, with the test's own model of its scope: the county
// regions it covers (written out, not computed by pkg/auth) and the units it holds.
type persona struct {
	name    string
	role    auth.Role
	token   string
	regions []string // of the fixture counties, those the persona covers
	units   []string // a unit HR officer's units
	office  string   // the region of an office token ("" for unit HR and services)
}

func (p persona) covers(region string) bool {
	return p.role == auth.RoleService || slices.Contains(p.regions, region)
}

// target is the object a case acts on: a unit and a proposal of one county, or (own) no
// object at all, for lists without ?region=.
type target struct {
	name, region, unit, dept, proposal string
}

var (
	targetA   = target{"A(140105)", "140105", "M-UA", "M-DXD", "M-PXD"}
	targetB   = target{"B(140181)", "140181", "M-UB", "M-DGJ", "M-PGJ"}
	targetOwn = target{name: "own"}
)

// sample builds the body of a write route for a persona and target; n makes IDs and dates
// unique. A write route without a sample fails the matrix: add one when you add the route.
type sample func(p persona, tg target, n int) any

func proposalBody(id string, p persona, tg target) map[string]any {
	region := p.office // an office files in its own region; the units it names decide the scope
	if region == "" {
		region = tg.region
	}
	return map[string]any{"id": id, "kind": "abolish", "title": "撤销测试机构", "regionCode": region,
		"filedBy": tg.dept, "effectiveFrom": "2026-01-01", "unitIds": []string{tg.unit}}
}

var samples = map[string]sample{
	"PUT /v1/regions": func(_ persona, tg target, n int) any {
		return map[string]any{"regions": []map[string]any{{"code": fmt.Sprintf("%s%03d", tg.region, 100+n%800),
			"name": "测试街道", "kind": "street", "parent": tg.region}}}
	},
	"PUT /v1/units/:id/sections": func(_ persona, _ target, n int) any {
		return map[string]any{"sections": []map[string]any{{"name": "综合科", "large": true}},
			"effectiveFrom": time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format(time.DateOnly), "documentNo": "并编〔2025〕9号"}
	},
	"POST /v1/units/:id/charters": func(persona, target, int) any {
		return map[string]any{"functions": []map[string]any{{"text": "负责测试", "workSafety": true}},
			"quotas": []map[string]any{{"kind": full, "count": 12}}}
	},
	"POST /v1/units/:id/charters/:version/approve": func(persona, target, int) any {
		return map[string]any{"documentNo": "并编〔2025〕3号", "effectiveFrom": "2025-01-01"}
	},
	"POST /v1/batch/units": func(_ persona, tg target, n int) any {
		return map[string]any{"units": []map[string]any{instDTO(fmt.Sprintf("M-NEW-%d", n), "矩阵测试单位", tg.region, nil)}}
	},
	"POST /v1/batch/charters": func(_ persona, tg target, _ int) any {
		return map[string]any{"charters": []map[string]any{{"unitId": tg.unit, "version": 1, "documentNo": "并编〔2024〕1号",
			"effectiveFrom": "2024-01-01", "functions": []map[string]any{{"text": "负责测试", "workSafety": true}},
			"quotas": []map[string]any{{"kind": full, "count": 12}}}}}
	},
	"POST /v1/proposals": func(p persona, tg target, n int) any {
		return proposalBody(fmt.Sprintf("M-NEW-P-%d", n), p, tg)
	},
	"POST /v1/proposals/simulate":        func(p persona, tg target, _ int) any { return proposalBody("", p, tg) },
	"POST /v1/proposals/:id/simulate":    func(persona, target, int) any { return nil },
	"POST /v1/proposals/:id/transitions": func(persona, target, int) any { return map[string]any{"action": "submit"} },
	"POST /v1/proposals/:id/execute":     func(persona, target, int) any { return nil },
}

// queries are the query strings some read routes need to answer at all.
var queries = map[string]string{"GET /v1/units/:id/charters/diff": "from=1&to=1"}

// seedMatrix loads a department and a unit with a charter in each of two counties, and a
// draft proposal in each.
func seedMatrix(s *stack) {
	s.t.Helper()
	s.must(http.StatusOK, "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{
		deptDTO(targetA.dept, "小店区测试局", targetA.region),
		instDTO(targetA.unit, "小店区测试中心", targetA.region, map[string]any{"supervisorId": targetA.dept}),
		deptDTO(targetB.dept, "古交市测试局", targetB.region),
		instDTO(targetB.unit, "古交市测试中心", targetB.region, map[string]any{"supervisorId": targetB.dept}),
	}})
	for _, tg := range []target{targetA, targetB} {
		s.quota.Seed(tg.unit, full, 12, 8)
		s.must(http.StatusCreated, "POST", "/v1/units/"+tg.unit+"/charters", s.city, map[string]any{
			"functions": []map[string]any{{"text": "负责测试", "workSafety": true}}, "quotas": []map[string]any{{"kind": full, "count": 12}}})
		s.must(http.StatusOK, "POST", "/v1/units/"+tg.unit+"/charters/1/approve", s.city,
			map[string]any{"documentNo": "并编〔2024〕1号", "effectiveFrom": "2024-01-01"})
		s.must(http.StatusCreated, "POST", "/v1/proposals", s.tok.CountyAdmin(s.t, tg.region), map[string]any{"id": tg.proposal,
			"kind": "abolish", "title": "撤销测试中心", "regionCode": tg.region, "filedBy": tg.dept, "effectiveFrom": "2026-01-01",
			"unitIds": []string{tg.unit}})
	}
}

// allowed is the matrix's expectation, from the route's declared policy and the persona's
// scope as the test models it.
func allowed(p persona, r httpapi.Route, tg target) bool {
	if !slices.Contains(r.Policy.Roles, p.role) {
		return false
	}
	switch r.Policy.Scope {
	case httpapi.ScopeSelf, httpapi.ScopeReference:
		return true
	case httpapi.ScopeUnit:
		return p.covers(tg.region) || slices.Contains(p.units, tg.unit)
	case httpapi.ScopeCallerUnits:
		if len(p.units) > 0 {
			return true // a filtered list of their own units
		}
		return tg.region == "" && (p.office != "" || p.role == auth.RoleService) || tg.region != "" && p.covers(tg.region)
	case httpapi.ScopeCallerRegion:
		return tg.region == "" && (p.office != "" || p.role == auth.RoleService) || tg.region != "" && p.covers(tg.region)
	default: // the stored region of a proposal, or of every unit a body names
		return p.covers(tg.region)
	}
}

func targetsOf(r httpapi.Route) []target {
	switch r.Policy.Scope {
	case httpapi.ScopeSelf:
		return []target{targetOwn}
	case httpapi.ScopeCallerRegion, httpapi.ScopeCallerUnits:
		return []target{targetOwn, targetA, targetB}
	}
	return []target{targetA, targetB}
}

func pathFor(r httpapi.Route, tg target) string {
	p := r.Path
	if strings.HasPrefix(p, "/v1/proposals/:id") {
		p = strings.Replace(p, ":id", tg.proposal, 1)
	}
	p = strings.Replace(p, ":id", tg.unit, 1)
	p = strings.Replace(p, ":version", "1", 1)
	q := url.Values{}
	if tg.region != "" {
		switch r.Policy.Scope {
		case httpapi.ScopeCallerRegion, httpapi.ScopeCallerUnits:
			q.Set("region", tg.region)
		case httpapi.ScopeReference:
			q.Set("root", tg.region)
		}
	}
	extra, _ := url.ParseQuery(queries[r.Method+" "+r.Path])
	for k, v := range extra {
		q[k] = v
	}
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// TestRoutePolicyMatrix calls every units route, as declared in routes.go, as each persona on
// objects of two counties, over HTTP against the real store, and checks the answer: 200 for a
// permitted read (lists holding only what the persona may see), a domain answer (2xx, 409 or
// 422) for a permitted write, and 403 problem+json for everything else.
func TestRoutePolicyMatrix(t *testing.T) {
	s := start(t)
	seedMatrix(s)
	personas := []persona{
		{name: "city_admin 140100", role: auth.RoleCityAdmin, token: s.city, regions: []string{"140105", "140181"}, office: "140100"},
		{name: "county_admin 140105", role: auth.RoleCountyAdmin, token: s.tok.CountyAdmin(t, "140105"), regions: []string{"140105"}, office: "140105"},
		{name: "county_admin 140181", role: auth.RoleCountyAdmin, token: s.tok.CountyAdmin(t, "140181"), regions: []string{"140181"}, office: "140181"},
		// The unit HR tokens carry a region claim, as tokens issued before the gateway stopped
		// sending one did: it must not widen their scope.
		{name: "unit_hr of A", role: auth.RoleUnitHR, token: s.tok.UnitHR(t, "140100", targetA.unit), units: []string{targetA.unit}},
		{name: "unit_hr of B", role: auth.RoleUnitHR, token: s.tok.UnitHR(t, "", targetB.unit), units: []string{targetB.unit}},
		{name: "auditor 140100", role: auth.RoleAuditor, token: s.tok.Auditor(t, "140100"), regions: []string{"140105", "140181"}, office: "140100"},
		{name: "service", role: auth.RoleService, token: s.tok.Service(t, "matrix")},
	}
	table := httpapi.Table()
	cases, permitted := 0, 0
	for _, r := range table {
		key := r.Method + " " + r.Path
		mk, hasSample := samples[key]
		if r.Method != http.MethodGet && !hasSample {
			t.Errorf("%s has no sample request in the matrix: add one to samples", key)
			continue
		}
		for _, tg := range targetsOf(r) {
			for _, p := range personas {
				cases++
				var body any
				if hasSample {
					body = mk(p, tg, cases)
				}
				path := pathFor(r, tg)
				name := fmt.Sprintf("%s %s as %s on %s", r.Method, path, p.name, tg.name)
				got := s.do(r.Method, path, p.token, body)
				want := allowed(p, r, tg)
				if want {
					permitted++
				}
				switch {
				case !want:
					if got.status != http.StatusForbidden || !strings.HasPrefix(got.ctype, "application/problem+json") ||
						got.body["code"] != "forbidden" || !hasHan(str(got.body["title"])) {
						t.Errorf("%s: %d %s, want 403 forbidden problem+json", name, got.status, got.raw)
					}
				case r.Method == http.MethodGet:
					if got.status != http.StatusOK {
						t.Errorf("%s: %d %s, want 200", name, got.status, got.raw)
						continue
					}
					if r.Path == "/v1/units" || r.Path == "/v1/proposals" {
						checkList(t, name, p, tg, got.body)
					}
				default:
					if ok := got.status < 300 || got.status == http.StatusConflict || got.status == http.StatusUnprocessableEntity; !ok {
						t.Errorf("%s: %d %s, want the domain's answer (2xx, 409 or 422)", name, got.status, got.raw)
					}
				}
			}
		}
	}
	t.Logf("route policy matrix: %d routes × %d personas × their targets → %d cases (%d permitted, %d refused)",
		len(table), len(personas), cases, permitted, cases-permitted)
}

// checkList asserts that a units or proposals list holds only what p may see, and holds the
// target's object when p may see it.
func checkList(t *testing.T, name string, p persona, tg target, body map[string]any) {
	t.Helper()
	for key, fixture := range map[string]string{"units": tg.unit, "proposals": tg.proposal} {
		items, ok := body[key].([]any)
		if !ok {
			continue
		}
		found := false
		for _, it := range items {
			o := obj(it)
			id, region := str(o["id"]), str(o["regionCode"])
			if !p.covers(region) && !slices.Contains(p.units, id) {
				t.Errorf("%s: %s lists %s of %s, outside the caller's scope", name, key, id, region)
			}
			found = found || id == fixture
		}
		if fixture != "" && (p.covers(tg.region) || slices.Contains(p.units, fixture)) && !found {
			t.Errorf("%s: %s lacks %s", name, key, fixture)
		}
		if len(p.units) > 0 && tg.region == "" && len(items) != len(p.units) {
			t.Errorf("%s: a unit HR officer's list holds %d items, want their %d units", name, len(items), len(p.units))
		}
	}
}

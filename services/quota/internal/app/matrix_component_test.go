package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/quota/internal/httpapi"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// The matrix's ledger: in each of two counties (小店区 140105, 古交市 140181) a unit with people,
// a hold, a plan and an approve transfer (U), a spare unit to abolish and merge from (S), a merger
// target (T), and a unit under discipline (C) supervised by a department without accounts (D).
const mkind = "institution_full"

// persona is one caller of the matrix, with the test's own model of its scope.
type persona struct {
	name    string
	role    auth.Role
	token   string
	regions []string // of the fixture counties, those the persona covers
	units   []string // a unit HR officer's units
	office  string   // the region of an office or auditor token
}

func (p persona) service() bool { return p.role == auth.RoleService }

func (p persona) covers(region string) bool {
	return p.service() || slices.Contains(p.regions, region)
}

// canUnit is auth.Claims.CanUnit as the test models it.
func (p persona) canUnit(unit, region string) bool {
	return p.covers(region) || slices.Contains(p.units, unit)
}

// target is what one case acts on. kind says which: a county's objects ("county"), an account
// of a given holder type ("unit", "pool", "ext"), a case opened by the city ("cityCase"), a
// department supervising units but holding nothing ("dept"), a subject the ledger does not know
// ("unknown"), or nothing (own: lists without ?region=).
type target struct {
	name, kind, region string
	unit, spare, other string // U, S, T
	caseUnit, dept     string // C, D
	hr                 string // U's supervising department (no cases)
}

func county(code, tag string) target {
	return target{name: tag + "(" + code + ")", kind: "county", region: code, unit: "M-U" + tag, spare: "M-S" + tag,
		other: "M-T" + tag, caseUnit: "M-C" + tag, dept: "M-D" + tag, hr: "M-H" + tag}
}

var (
	mA = county("140105", "A")
	mB = county("140181", "B")
)

func variant(tg target, kind string) target {
	tg.kind, tg.name = kind, kind+" "+tg.name
	return tg
}

// fixture is what the seed made: IDs of the objects each county holds.
type fixture struct {
	transfer, hold, plan, person, kase map[string]string // region → ID
}

type mstack struct {
	t           *testing.T
	url         string
	svc, city   string
	tok         *testkit.Tokens
	fx          fixture
	n           int
	personSeq   int
	countyToken map[string]string
}

type answer struct {
	status int
	ctype  string
	raw    []byte
	body   map[string]any
}

func (s *mstack) do(method, path, token, key string, in any) answer {
	s.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+path, body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), raw: raw}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

// must sends a write (or read) that has to succeed and returns its body.
func (s *mstack) must(method, path, token string, in any) map[string]any {
	s.t.Helper()
	s.n++
	key := ""
	if method == http.MethodPost {
		key = fmt.Sprintf("seed-%d", s.n)
	}
	a := s.do(method, path, token, key, in)
	if a.status >= 300 {
		s.t.Fatalf("seed %s %s: %d %s", method, path, a.status, a.raw)
	}
	return a.body
}

func (s *mstack) newPerson(unit string) string {
	s.personSeq++
	id := idNumber(4000 + s.personSeq)
	s.must("POST", "/v1/incumbents", s.svc, client.Hire{IDNumber: id, Name: fmt.Sprintf("矩阵人员%d", s.personSeq), Unit: unit,
		Kind: mkind, Channel: "exam", EntryDate: "2024-09-01"})
	return id
}

func (s *mstack) newHold(unit string) string {
	return str(s.must("POST", "/v1/holds", s.svc, client.PlaceHold{Account: "unit:" + unit + ":" + mkind, Amount: 1,
		Purpose: "矩阵测试", ExpiresAt: time.Now().Add(24 * time.Hour)})["id"])
}

func (s *mstack) newPlan(unit string) string {
	return str(s.must("POST", "/v1/plans", s.svc, map[string]any{"unit": unit, "kind": mkind, "count": 1, "purpose": "矩阵测试",
		"year": ledger.Year(time.Now())})["id"])
}

// newCase opens a case in tg's county against its case unit, as the county office or (cityCase)
// as the city office, whom alone (or a service) may then close it.
func (s *mstack) newCase(tg target) string {
	tok := s.countyToken[tg.region]
	if tg.kind == "cityCase" {
		tok = s.city
	}
	return str(s.must("POST", "/v1/cases", tok, client.OpenCase{Subject: tg.caseUnit, Region: tg.region, Violation: "over_quota_hiring",
		Facts: "矩阵测试"})["id"])
}

func (s *mstack) seed() {
	s.fx = fixture{transfer: map[string]string{}, hold: map[string]string{}, plan: map[string]string{}, person: map[string]string{},
		kase: map[string]string{}}
	s.must("POST", "/v1/accounts", s.city, client.OpenAccount{ID: "ext:province:" + mkind})
	for _, tg := range []target{mA, mB} {
		ctl := "pool:control:" + tg.region + ":" + mkind
		s.must("POST", "/v1/accounts", s.city, client.OpenAccount{ID: ctl})
		s.must("POST", "/v1/accounts", s.countyToken[tg.region], client.OpenAccount{ID: "pool:recovered:" + tg.region + ":" + mkind})
		s.must("POST", "/v1/transfers", s.city, client.TransferRequest{Kind: "adjust_control", From: "ext:province:" + mkind, To: ctl,
			Amount: 1000, DocNo: "晋编〔2026〕1号"})
		for _, u := range []struct{ id, dept string }{{tg.unit, tg.hr}, {tg.spare, tg.hr}, {tg.other, tg.hr}, {tg.caseUnit, tg.dept}} {
			s.must("POST", "/v1/accounts", s.svc, client.OpenAccount{ID: "unit:" + u.id + ":" + mkind, Region: tg.region,
				Department: u.dept, Name: "矩阵测试单位"})
			tr := s.must("POST", "/v1/transfers", s.svc, client.TransferRequest{Kind: "approve", From: ctl, To: "unit:" + u.id + ":" + mkind,
				Amount: 100, DocNo: "并编〔2026〕2号"})
			if u.id == tg.unit {
				s.fx.transfer[tg.region] = str(tr["id"])
			}
		}
		s.fx.person[tg.region] = s.newPerson(tg.unit)
		s.fx.hold[tg.region] = s.newHold(tg.unit)
		s.fx.plan[tg.region] = s.newPlan(tg.unit)
		s.fx.kase[tg.region] = s.newCase(tg)
	}
}

// targetsOf lists the targets a route is called on.
func targetsOf(r httpapi.Route) []target {
	own := target{name: "own", kind: "own"}
	switch r.Policy.Scope {
	case httpapi.ScopeSelf, httpapi.ScopeLedger:
		return []target{own}
	case httpapi.ScopeOpenAccount:
		return []target{variant(mA, "unit"), variant(mB, "unit"), variant(mA, "pool"), variant(mB, "pool"), {name: "ext", kind: "ext"}}
	case httpapi.ScopeAccount:
		return []target{variant(mA, "unit"), variant(mB, "unit"), variant(mA, "pool"), variant(mB, "pool"), {name: "ext", kind: "ext"}}
	case httpapi.ScopeBalances:
		return []target{own, mA, mB, variant(mA, "unit"), variant(mB, "unit")}
	case httpapi.ScopeCallerRegion:
		return []target{own, mA, mB}
	case httpapi.ScopeCaseSubject:
		return []target{mA, mB, variant(mA, "dept"), variant(mB, "dept"), {name: "unknown", kind: "unknown", region: "140105"}}
	case httpapi.ScopeCase:
		if r.Method == http.MethodPost {
			return []target{mA, mB, variant(mA, "cityCase")}
		}
	}
	if r.Path == "/v1/units/:unit/case-check" {
		return []target{mA, mB, variant(mA, "dept"), variant(mB, "dept"), {name: "unknown", kind: "unknown"}}
	}
	return []target{mA, mB}
}

// outcome is what the matrix expects: 200/2xx (or the domain's answer), 403, or 404.
type outcome int

const (
	refused outcome = iota
	permitted
	notFound
)

// expect is the matrix's model of each route's policy, written from the declared roles and
// the scope's meaning (docs/security.md), not from the handlers.
func expect(p persona, r httpapi.Route, tg target) outcome {
	if !slices.Contains(r.Policy.Roles, p.role) {
		return refused
	}
	ok := func(b bool) outcome {
		if b {
			return permitted
		}
		return refused
	}
	acct := func() bool { // an account of tg.kind
		switch tg.kind {
		case "unit":
			return p.canUnit(tg.unit, tg.region)
		case "ext":
			return p.service() || p.role == auth.RoleCityAdmin || p.role == auth.RoleAuditor
		}
		return p.role != auth.RoleUnitHR && p.covers(tg.region)
	}
	switch r.Policy.Scope {
	case httpapi.ScopeSelf:
		return permitted
	case httpapi.ScopeLedger:
		return permitted
	case httpapi.ScopeOpenAccount:
		switch tg.kind {
		case "unit":
			return ok(p.service())
		case "ext":
			return ok(p.service() || p.role == auth.RoleCityAdmin)
		}
		return ok(p.covers(tg.region))
	case httpapi.ScopeAccount:
		return ok(acct())
	case httpapi.ScopeBalances:
		switch tg.kind {
		case "own":
			return ok(p.office != "" || p.service())
		case "unit":
			return ok(p.office != "" || p.service() || slices.Contains(p.units, tg.unit))
		}
		return ok(p.role != auth.RoleUnitHR && p.covers(tg.region))
	case httpapi.ScopeCallerRegion:
		if tg.kind == "own" {
			return ok(p.office != "" || p.service())
		}
		return ok(p.covers(tg.region))
	case httpapi.ScopeCaseSubject:
		if tg.kind == "unknown" {
			if p.office == "" && !p.service() {
				return refused
			}
			return notFound
		}
		return ok(p.covers(tg.region))
	case httpapi.ScopeCase:
		if tg.kind == "cityCase" {
			return ok(p.service() || p.office == "140100")
		}
		return ok(p.covers(tg.region))
	case httpapi.ScopeTransfer: // the legs: a control total and a unit of the county
		return ok(p.role != auth.RoleUnitHR && p.covers(tg.region))
	case httpapi.ScopeBodyAccounts, httpapi.ScopeHold, httpapi.ScopePerson, httpapi.ScopePlan:
		return ok(p.canUnit(tg.unit, tg.region))
	case httpapi.ScopeUnit:
		switch tg.kind {
		case "unknown":
			if p.service() {
				return permitted
			}
			return notFound
		case "dept":
			return ok(p.covers(tg.region))
		}
		if r.Method == http.MethodPost { // abolish and merge: the spare unit (and the target)
			return ok(p.covers(tg.region))
		}
		return ok(p.canUnit(tg.unit, tg.region))
	}
	panic("no model for scope " + string(r.Policy.Scope))
}

// call builds and sends the request of route r as p on tg; n makes IDs unique.
func (s *mstack) call(r httpapi.Route, p persona, tg target, n int) (string, answer) {
	path := r.Path
	q := url.Values{}
	var body any
	key := fmt.Sprintf("m-%d", n)
	unitAcct := "unit:" + tg.unit + ":" + mkind
	officeRegion := p.office
	if officeRegion == "" {
		officeRegion = tg.region
	}
	switch r.Method + " " + r.Path {
	case "POST /v1/accounts", "POST /v1/accounts/batch":
		var a client.OpenAccount
		switch tg.kind {
		case "unit":
			// An office names its own region for another county's unit (the attack of issue 10).
			a = client.OpenAccount{ID: fmt.Sprintf("unit:M-NEW-%d:%s", n, mkind), Region: officeRegion, Name: "新单位"}
		case "pool":
			a = client.OpenAccount{ID: "pool:recovered:" + tg.region + ":administrative"}
		default:
			a = client.OpenAccount{ID: "ext:national:administrative"}
		}
		body = a
		if strings.HasSuffix(r.Path, "/batch") {
			body = client.BatchAccounts{Rows: []client.OpenAccount{a}}
		}
	case "GET /v1/accounts/:id", "GET /v1/accounts/:id/journal":
		id := unitAcct
		switch tg.kind {
		case "pool":
			id = "pool:control:" + tg.region + ":" + mkind
		case "ext":
			id = "ext:province:" + mkind
		}
		path = strings.Replace(path, ":id", id, 1)
	case "GET /v1/balances":
		switch tg.kind {
		case "county":
			q.Set("region", tg.region)
		case "unit":
			q.Set("unit", tg.unit)
		}
	case "POST /v1/units/:unit/abolish":
		path = strings.Replace(path, ":unit", tg.spare, 1)
	case "POST /v1/units/:unit/incumbents/transfer":
		path = strings.Replace(path, ":unit", tg.spare, 1)
		body = client.MoveIncumbents{To: tg.other, DocNo: "并编〔2026〕5号"}
	case "GET /v1/units/:unit/incumbents":
		path = strings.Replace(path, ":unit", tg.unit, 1)
	case "GET /v1/units/:unit/case-check":
		switch tg.kind {
		case "dept":
			path = strings.Replace(path, ":unit", tg.dept, 1)
		case "unknown":
			path = strings.Replace(path, ":unit", "M-NOBODY", 1)
		default:
			path = strings.Replace(path, ":unit", tg.unit, 1)
			q.Set("department", tg.hr)
		}
	case "POST /v1/transfers", "POST /v1/transfers/batch":
		t := client.TransferRequest{Kind: "move_unit", From: unitAcct, To: "unit:" + tg.other + ":" + mkind, Amount: 1, DocNo: "并编〔2026〕6号"}
		body = t
		if strings.HasSuffix(r.Path, "/batch") {
			body = client.BatchTransfers{Rows: []client.TransferRequest{t}}
		}
	case "GET /v1/transfers/:id":
		path = strings.Replace(path, ":id", s.fx.transfer[tg.region], 1)
	case "POST /v1/holds":
		body = client.PlaceHold{Account: unitAcct, Amount: 1, Purpose: "矩阵测试", ExpiresAt: time.Now().Add(24 * time.Hour)}
	case "GET /v1/holds/:id":
		path = strings.Replace(path, ":id", s.fx.hold[tg.region], 1)
	case "POST /v1/holds/:id/void":
		path = strings.Replace(path, ":id", s.newHold(tg.unit), 1)
	case "POST /v1/holds/:id/lend":
		path = strings.Replace(path, ":id", s.newHold(tg.unit), 1)
		body = client.Lend{To: "unit:" + tg.other + ":" + mkind}
	case "POST /v1/incumbents", "POST /v1/incumbents/batch":
		h := client.Hire{IDNumber: idNumber(6000 + n), Name: "矩阵新人", Unit: tg.unit, Kind: mkind, Channel: "exam", EntryDate: "2025-09-01"}
		body = h
		if strings.HasSuffix(r.Path, "/batch") {
			body = client.BatchHires{Rows: []client.Hire{h}}
		}
	case "GET /v1/incumbents/:idNumber":
		path = strings.Replace(path, ":idNumber", s.fx.person[tg.region], 1)
	case "POST /v1/incumbents/:idNumber/exit":
		path = strings.Replace(path, ":idNumber", s.newPerson(tg.unit), 1)
		body = client.Exit{Reason: "retirement", Date: "2026-11-01", DocNo: "并人〔2026〕9号"}
	case "POST /v1/plans":
		body = map[string]any{"unit": tg.unit, "kind": mkind, "count": 1, "purpose": "矩阵测试", "year": ledger.Year(time.Now())}
	case "GET /v1/plans/:id":
		path = strings.Replace(path, ":id", s.fx.plan[tg.region], 1)
	case "POST /v1/plans/:id/decision":
		path = strings.Replace(path, ":id", s.newPlan(tg.unit), 1)
		body = map[string]any{"approve": true, "docNo": "并编〔2026〕7号"}
	case "POST /v1/cases":
		subject := tg.caseUnit
		switch tg.kind {
		case "dept":
			subject = tg.dept
		case "unknown":
			subject = "M-NOBODY"
		}
		body = client.OpenCase{Subject: subject, Region: officeRegion, Violation: "over_quota_hiring", Facts: "矩阵测试"}
	case "GET /v1/cases/:id":
		path = strings.Replace(path, ":id", s.fx.kase[tg.region], 1)
	case "POST /v1/cases/:id/close":
		path = strings.Replace(path, ":id", s.newCase(tg), 1)
		body = client.CloseCase{Rectification: "已整改"}
	default:
		if strings.HasPrefix(r.Path, "/v1/reports/") && tg.kind == "county" {
			q.Set("region", tg.region)
		}
	}
	if r.Method == http.MethodPost && body == nil {
		body = map[string]any{}
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	if r.Method != http.MethodPost {
		key = ""
	}
	return path, s.do(r.Method, path, p.token, key, body)
}

// TestRoutePolicyMatrix calls every quota route, as declared in routes.go, as each persona on
// objects of two counties (and accounts of every holder type, cases opened by a county and by
// the city, a supervising department, a subject the ledger does not know), over HTTP against
// the real store, and checks the answer: 200 for a permitted read (lists holding only what the
// persona may see), the domain's answer for a permitted write, 404 for an unknown subject, and
// 403 problem+json for everything else.
func TestRoutePolicyMatrix(t *testing.T) {
	tok := testkit.NewTokens(t)
	s := &mstack{t: t, url: startQuota(t, testkit.Env(t, nil)), svc: tok.Service(t, "units"), city: tok.CityAdmin(t), tok: tok,
		countyToken: map[string]string{"140105": tok.CountyAdmin(t, "140105"), "140181": tok.CountyAdmin(t, "140181")}}
	s.seed()
	personas := []persona{
		{name: "city_admin 140100", role: auth.RoleCityAdmin, token: s.city, regions: []string{"140105", "140181"}, office: "140100"},
		{name: "county_admin 140105", role: auth.RoleCountyAdmin, token: s.countyToken["140105"], regions: []string{"140105"}, office: "140105"},
		{name: "county_admin 140181", role: auth.RoleCountyAdmin, token: s.countyToken["140181"], regions: []string{"140181"}, office: "140181"},
		// The first unit HR token carries a region claim, as tokens issued before the gateway
		// stopped sending one did: it must not widen their scope.
		{name: "unit_hr of A", role: auth.RoleUnitHR, token: tok.UnitHR(t, "140100", mA.unit), units: []string{mA.unit}},
		{name: "unit_hr of B", role: auth.RoleUnitHR, token: tok.UnitHR(t, "", mB.unit), units: []string{mB.unit}},
		{name: "auditor 140100", role: auth.RoleAuditor, token: tok.Auditor(t, "140100"), regions: []string{"140105", "140181"}, office: "140100"},
		{name: "service", role: auth.RoleService, token: s.svc},
	}
	table := httpapi.Table()
	cases, allowed, refusals, notFounds := 0, 0, 0, 0
	for _, r := range table {
		for _, tg := range targetsOf(r) {
			for _, p := range personas {
				cases++
				want := expect(p, r, tg)
				path, got := s.call(r, p, tg, cases)
				name := fmt.Sprintf("%s %s as %s on %s", r.Method, path, p.name, tg.name)
				switch want {
				case refused:
					refusals++
					if got.status != http.StatusForbidden || !strings.HasPrefix(got.ctype, "application/problem+json") ||
						got.body["code"] != "forbidden" || !containsHan(str(got.body["title"])) {
						t.Errorf("%s: %d %s, want 403 forbidden problem+json", name, got.status, got.raw)
					}
				case notFound:
					notFounds++
					if got.status != http.StatusNotFound || got.body["code"] != "not_found" {
						t.Errorf("%s: %d %s, want 404 not_found", name, got.status, got.raw)
					}
				case permitted:
					allowed++
					if r.Method == http.MethodGet {
						if got.status != http.StatusOK {
							t.Errorf("%s: %d %s, want 200", name, got.status, got.raw)
							continue
						}
						if r.Path == "/v1/balances" {
							checkBalances(t, name, p, tg, got.body)
						}
						continue
					}
					if got.status == http.StatusForbidden || got.status == http.StatusUnauthorized || got.status >= 500 {
						t.Errorf("%s: %d %s, want the domain's answer", name, got.status, got.raw)
					}
				}
			}
		}
	}
	t.Logf("route policy matrix: %d routes × %d personas × their targets → %d cases (%d permitted, %d refused, %d not found)",
		len(table), len(personas), cases, allowed, refusals, notFounds)
}

// checkBalances asserts that a balances list holds only accounts p may see, and the target
// unit's account when p may see it.
func checkBalances(t *testing.T, name string, p persona, tg target, body map[string]any) {
	t.Helper()
	items, _ := body["accounts"].([]any)
	found := false
	for _, it := range items {
		a, _ := it.(map[string]any)
		typ, holder, region := str(a["type"]), str(a["holder"]), str(a["region"])
		var ok bool
		switch typ {
		case "unit":
			ok = p.canUnit(holder, region)
		case "ext":
			ok = p.service() || p.role == auth.RoleCityAdmin || p.role == auth.RoleAuditor
		default:
			ok = p.role != auth.RoleUnitHR && p.covers(region)
		}
		if !ok {
			t.Errorf("%s: lists %s %s of %s, outside the caller's scope", name, typ, holder, region)
		}
		found = found || holder == tg.unit
	}
	if tg.unit != "" && p.canUnit(tg.unit, tg.region) && !found {
		t.Errorf("%s: lacks unit %s", name, tg.unit)
	}
	if len(p.units) > 0 && len(items) == 0 {
		t.Errorf("%s: a unit HR officer's own unit is missing", name)
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

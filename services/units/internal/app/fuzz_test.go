package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/units/internal/app"
	"github.com/bianzhi/bianzhi/services/units/internal/config"
	"github.com/bianzhi/bianzhi/services/units/internal/quotafake"
)

// FuzzWriteRoutes sends arbitrary bodies to every write route (POST, PUT) of the units service,
// running in-process on its real store (embedded FerretDB), Redis and token verifier, with the
// in-memory quota ledger, in a small world the path parameters point into: a department, two
// institutions, an approved and a draft charter, a draft proposal. It holds the API to two
// promises: never a 5xx (nor a panic), and a refused request (4xx) changes nothing, neither a
// document of the service's database nor a post of the quota ledger.
//
// The world is built once per process (a fresh database per input would cost seconds), so it
// drifts as valid inputs change it; each input is judged against the state just before it. The
// inputs are the route (an index into the sorted write routes), a variant (the token: city office,
// its second officer, a county office; whether the body has a Content-Length; whether it says it
// is JSON) and the body. `go test` runs the seed corpus, kept small; `make fuzz` explores.
func FuzzWriteRoutes(f *testing.F) {
	u := startFuzzUnits(f)
	for i, r := range u.routes {
		valid := unitsValidBodies[r.Method+" "+r.Path]
		for _, body := range testkit.BrokenBodies(valid) {
			f.Add(uint8(i), uint8(0), body)
		}
		for _, v := range []uint8{1, 2, 3, 6} {
			f.Add(uint8(i), v, valid)
		}
	}
	f.Fuzz(func(t *testing.T, route, variant uint8, body []byte) {
		u.check(t, u.routes[int(route)%len(u.routes)], variant, body)
	})
}

// unitsValidBodies holds, per write route, a body the city office's request succeeds with in the
// fresh world (or, for the routes without one, nil: they take no body).
var unitsValidBodies = map[string][]byte{
	"PUT /v1/regions": mustJSON(map[string]any{"regions": []map[string]any{{"code": "140105901", "name": "测试街道",
		"kind": "street", "parent": "140105"}}}),
	"PUT /v1/units/:id/sections": mustJSON(map[string]any{"sections": []map[string]any{{"name": "综合科", "large": true}},
		"effectiveFrom": "2025-01-01", "documentNo": "并编〔2025〕9号"}),
	"POST /v1/units/:id/charters": mustJSON(map[string]any{"functions": []map[string]any{{"text": "负责测试", "workSafety": true}},
		"quotas": []map[string]any{{"kind": full, "count": 12}}}),
	"POST /v1/units/:id/charters/:version/approve": mustJSON(map[string]any{"documentNo": "并编〔2025〕3号", "effectiveFrom": "2025-01-01"}),
	"POST /v1/batch/units": mustJSON(map[string]any{"units": []map[string]any{instDTO("FZ-NEW", "模糊测试单位", "140100",
		map[string]any{"supervisorId": "FZ-D"})}}),
	"POST /v1/batch/charters": mustJSON(map[string]any{"charters": []map[string]any{{"unitId": "FZ-U2", "version": 1,
		"documentNo": "并编〔2024〕1号", "effectiveFrom": "2024-01-01", "functions": []map[string]any{{"text": "负责测试", "workSafety": true}},
		"quotas": []map[string]any{{"kind": full, "count": 12}}}}}),
	"POST /v1/proposals":                 mustJSON(fuzzProposal("FZ-P2")),
	"POST /v1/proposals/simulate":        mustJSON(fuzzProposal("")),
	"POST /v1/proposals/:id/simulate":    []byte(`{}`),
	"POST /v1/proposals/:id/transitions": mustJSON(map[string]any{"action": "submit"}),
	"POST /v1/proposals/:id/execute":     []byte(`{}`),
}

func fuzzProposal(id string) map[string]any {
	return map[string]any{"id": id, "kind": "abolish", "title": "撤销测试机构", "regionCode": "140100",
		"filedBy": "FZ-D", "effectiveFrom": "2026-01-01", "unitIds": []string{"FZ-U2"}}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// fuzzParams fills the path parameters of the write routes, keyed "<segment>/:<param>"; a write
// route with a parameter missing here fails the fuzz target before it runs.
var fuzzParams = map[string]string{
	"units/:id":         "FZ-U1",
	"charters/:version": "2",
	"proposals/:id":     "FZ-P1",
}

type fuzzUnits struct {
	s      *stack
	db     *mongo.Database
	tokens [3]string
	keys   atomic.Int64
	routes []gin.RouteInfo
}

func startFuzzUnits(tb testing.TB) *fuzzUnits {
	tb.Helper()
	env := testkit.Env(tb, map[string]string{"LOG_LEVEL": "error"})
	cfg, err := config.Load(env)
	if err != nil {
		tb.Fatal(err)
	}
	q := quotafake.New()
	a, err := app.New(context.Background(), cfg, platform.Options{}, app.WithQuota(q))
	if err != nil {
		tb.Fatal(err)
	}
	s := &stack{t: tb, url: testkit.StartApp(tb, a), quota: q, tok: testkit.NewTokens(tb)}
	s.city = s.tok.CityAdmin(tb)
	s.decider = deciderToken(tb, s.tok)
	cl, err := mongox.Connect(context.Background(), cfg.MongoURI, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = cl.Disconnect(context.Background()) })
	u := &fuzzUnits{s: s, db: cl.Database(cfg.MongoDatabase), tokens: [3]string{s.city, s.decider, s.tok.CountyAdmin(tb, "140105")}}

	s.must(http.StatusOK, "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{
		deptDTO("FZ-D", "太原市模糊测试局", "140100"),
		instDTO("FZ-U1", "太原市模糊测试中心", "140100", map[string]any{"supervisorId": "FZ-D"}),
		instDTO("FZ-U2", "太原市模糊测试站", "140100", map[string]any{"supervisorId": "FZ-D"}),
	}})
	q.Seed("FZ-U1", full, 12, 8)
	q.Seed("FZ-U2", full, 12, 8)
	charter := map[string]any{"functions": []map[string]any{{"text": "负责测试", "workSafety": true}}, "quotas": []map[string]any{{"kind": full, "count": 12}}}
	s.must(http.StatusCreated, "POST", "/v1/units/FZ-U1/charters", s.city, charter)
	s.must(http.StatusOK, "POST", "/v1/units/FZ-U1/charters/1/approve", s.city, map[string]any{"documentNo": "并编〔2024〕1号", "effectiveFrom": "2024-01-01"})
	s.must(http.StatusCreated, "POST", "/v1/units/FZ-U1/charters", s.city, charter)
	s.must(http.StatusCreated, "POST", "/v1/proposals", s.city, fuzzProposal("FZ-P1"))

	for _, r := range a.Server.Engine().Routes() {
		if r.Method == http.MethodGet || !strings.HasPrefix(r.Path, "/v1/") {
			continue
		}
		if _, err := testkit.FillPath(r.Path, fuzzParams); err != nil {
			tb.Fatalf("write route %s %s: %v", r.Method, r.Path, err)
		}
		if _, ok := unitsValidBodies[r.Method+" "+r.Path]; !ok {
			tb.Fatalf("write route %s %s has no body in unitsValidBodies", r.Method, r.Path)
		}
		u.routes = append(u.routes, r)
	}
	slices.SortFunc(u.routes, func(a, b gin.RouteInfo) int { return strings.Compare(a.Path+" "+a.Method, b.Path+" "+b.Method) })
	return u
}

// snapshot digests every collection of the service's database and the quota ledger's totals.
func (u *fuzzUnits) snapshot(tb testing.TB) testkit.Digest {
	d := testkit.DigestDB(tb, u.db)
	approved, occupied := u.s.quota.Total()
	d["quota"] = sha256.Sum256(fmt.Appendf(nil, "%d/%d", approved, occupied))
	return d
}

func (u *fuzzUnits) check(t *testing.T, r gin.RouteInfo, variant uint8, body []byte) {
	path, err := testkit.FillPath(r.Path, fuzzParams)
	if err != nil {
		t.Fatal(err)
	}
	before := u.snapshot(t)
	req := testkit.FuzzRequest(r.Method, u.s.url+path, variant, u.tokens[variant%3], fmt.Sprintf("fuzz-%d", u.keys.Add(1)), body)
	testkit.DoFuzzedWrite(t, req, body, before, func() testkit.Digest { return u.snapshot(t) })
}

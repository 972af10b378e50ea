package app_test

import (
	"context"
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
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/talent/internal/httpapi"
)

// FuzzWriteRoutes sends arbitrary bodies to every write route (POST, PUT) of the talent service,
// running in-process on its real store (embedded FerretDB), with a real quota and a real units
// service beside it, in a small world the path parameters point into: a funded talent pool, a
// full unit, and a case filed by its HR officer. It holds the API to two promises: never a 5xx
// (nor a panic), and a refused request (4xx) changes nothing in the talent service's database.
//
// The world is built once per process, so it drifts as valid inputs change it; each input is
// judged against the state just before it. The inputs are the route (an index into the sorted
// write routes), a variant (the token: the unit's HR officer, the city office, a county office;
// whether the body has a Content-Length; whether it says it is JSON) and the body. `go test`
// runs the seed corpus, kept small; `make fuzz` explores.
func FuzzWriteRoutes(f *testing.F) {
	tl := startFuzzTalent(f)
	for i, r := range tl.routes {
		seed := talentValidBodies[r.Method+" "+r.Path]
		for _, body := range testkit.BrokenBodies(seed.body) {
			f.Add(uint8(i), seed.token, body)
		}
		f.Add(uint8(i), seed.token+3, seed.body) // chunked
		f.Add(uint8(i), seed.token+6, seed.body) // no Content-Type
	}
	f.Fuzz(func(t *testing.T, route, variant uint8, body []byte) {
		tl.check(t, tl.routes[int(route)%len(tl.routes)], variant, body)
	})
}

// talentSeed is a write route's valid body and the token (0 HR, 1 city office) it is sent with.
type talentSeed struct {
	body  []byte
	token uint8
}

var talentValidBodies = map[string]talentSeed{
	"POST /v1/cases":                {mustJSON(filing("fz-hosp", 2, "health")), 0},
	"PUT /v1/cases/:id/application": {mustJSON(amendment()), 0},
	"POST /v1/cases/:id/resubmit":   {[]byte(`{}`), 0},
	"POST /v1/cases/:id/accept":     {[]byte(`{}`), 1},
	"POST /v1/cases/:id/send-back":  {[]byte(`{"reason":"材料不全"}`), 1},
	"POST /v1/cases/:id/reject":     {[]byte(`{"reason":"不符合条件"}`), 1},
	"POST /v1/cases/:id/withdraw":   {[]byte(`{"reason":"候选人放弃"}`), 0},
	"POST /v1/cases/:id/hire":       {[]byte(`{"entryDate":"2026-01-05","docNo":"并人〔2026〕1号"}`), 0},
	"POST /v1/loans/return-due":     {[]byte(`{}`), 1},
}

func amendment() map[string]any {
	a := filing("fz-hosp", 1, "health")
	delete(a, "unit")
	return a
}

type fuzzTalent struct {
	url    string
	db     *mongo.Database
	tokens [3]string
	params map[string]string
	keys   atomic.Int64
	routes []gin.RouteInfo
}

func startFuzzTalent(tb testing.TB) *fuzzTalent {
	tb.Helper()
	s := startStack(tb)
	office := s.office(tb)
	office.fundPool("health", 3)
	office.fullUnit("fz-hosp", "fz-dept", 1)
	hr := s.tokens.UnitHR(tb, "140105", "fz-hosp")
	var c caseView
	s.talentAs(tb, hr).must("POST", "/v1/cases", "fz-file-1", filing("fz-hosp", 1, "health"), &c)

	cl, err := mongox.Connect(context.Background(), s.cfg.MongoURI, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = cl.Disconnect(context.Background()) })
	tl := &fuzzTalent{url: s.talent, db: cl.Database(s.cfg.MongoDatabase),
		tokens: [3]string{hr, s.tokens.CityAdmin(tb), s.tokens.CountyAdmin(tb, "140105")},
		// The path parameters of the write routes, keyed "<segment>/:<param>".
		params: map[string]string{"cases/:id": c.ID}}

	e := gin.New()
	httpapi.Routes(e, nil, httpapi.Deps{}) // the service's own table: a new route is fuzzed without a change here
	for _, r := range e.Routes() {
		if r.Method == http.MethodGet || !strings.HasPrefix(r.Path, "/v1/") {
			continue
		}
		if _, err := testkit.FillPath(r.Path, tl.params); err != nil {
			tb.Fatalf("write route %s %s: %v", r.Method, r.Path, err)
		}
		if _, ok := talentValidBodies[r.Method+" "+r.Path]; !ok {
			tb.Fatalf("write route %s %s has no body in talentValidBodies", r.Method, r.Path)
		}
		tl.routes = append(tl.routes, r)
	}
	slices.SortFunc(tl.routes, func(a, b gin.RouteInfo) int { return strings.Compare(a.Path+" "+a.Method, b.Path+" "+b.Method) })
	return tl
}

func (tl *fuzzTalent) check(t *testing.T, r gin.RouteInfo, variant uint8, body []byte) {
	path, err := testkit.FillPath(r.Path, tl.params)
	if err != nil {
		t.Fatal(err)
	}
	before := testkit.DigestDB(t, tl.db)
	req := testkit.FuzzRequest(r.Method, tl.url+path, variant, tl.tokens[variant%3], fmt.Sprintf("fuzz-%d", tl.keys.Add(1)), body)
	testkit.DoFuzzedWrite(t, req, body, before, func() testkit.Digest { return testkit.DigestDB(t, tl.db) })
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/redisx"
	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/quota/internal/httpapi"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/memstore"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

// FuzzWriteRoutes sends arbitrary bodies to every write route of the API,
// served by the real routes behind the real middleware stack and token
// verifier, on a ledger in memory holding a small world the path
// parameters point into (a fresh one per input, so a failure replays). It
// holds the API to two promises: never a 5xx (nor a panic, which recovery
// turns into one), and a refused request (4xx) changes nothing in the
// ledger; only the idempotency claim of its key may remain.
//
// The inputs are the route (an index into the write routes, sorted), a
// variant (which token: city office, county office, unit HR; whether the
// body has a Content-Length; whether it says it is JSON) and the body.
// `go test` runs the seed corpus (for every route a valid body and its
// broken variants, plus testdata/fuzz); `make fuzz` explores from there.
func FuzzWriteRoutes(f *testing.F) {
	h := newFuzzHarness(f)
	for i, r := range h.routes {
		valid := validBodies[r.path]
		for _, body := range testkit.BrokenBodies(valid) {
			f.Add(uint8(i), uint8(0), body)
		}
		for v := uint8(1); v < 12; v++ {
			f.Add(uint8(i), v, valid)
		}
	}
	f.Fuzz(func(t *testing.T, route, variant uint8, body []byte) {
		h.check(t, h.routes[int(route)%len(h.routes)], variant, body)
	})
}

// TestFuzzCoversEveryWriteRoute fails when a write route has no valid seed
// body that succeeds and shows in the snapshot, so every new route is
// fuzzed from a meaningful start (a path parameter the world has no value
// for fails newFuzzHarness itself).
func TestFuzzCoversEveryWriteRoute(t *testing.T) {
	h := newFuzzHarness(t)
	if len(h.routes) < 16 {
		t.Fatalf("only %d write routes found", len(h.routes))
	}
	for _, r := range h.routes {
		if validBodies[r.path] == nil {
			t.Errorf("write route %s %s has no body in validBodies", r.method, r.path)
			continue
		}
		// The snapshot must see what each route writes, or a refusal that
		// wrote would pass unnoticed.
		w := h.world(t)
		before := w.snapshot(t)
		_, rec := h.send(t, w, r, 0, validBodies[r.path])
		if rec.Code/100 != 2 {
			t.Errorf("valid body of %s %s answered %d: %s", r.method, r.path, rec.Code, rec.Body)
		} else if len(before.Changed(w.snapshot(t))) == 0 {
			t.Errorf("valid body of %s %s changed nothing the snapshot sees: %s", r.method, r.path, rec.Body)
		}
	}
}

const fuzzKind = "administrative"

// validBodies holds, per write route, a body the city office's request
// succeeds with in a fresh world.
var validBodies = map[string][]byte{
	"/v1/accounts":                        js(client.OpenAccount{ID: "pool:recovered:140105:" + fuzzKind, Name: "收回编制池"}),
	"/v1/accounts/batch":                  js(client.BatchAccounts{Rows: []client.OpenAccount{{ID: "pool:control:140106:" + fuzzKind}}}),
	"/v1/units/:unit/abolish":             []byte(`{}`),
	"/v1/units/:unit/incumbents/transfer": js(client.MoveIncumbents{To: "u2", DocNo: "并编〔2026〕9号"}),
	"/v1/transfers":                       js(client.TransferRequest{Kind: "approve", From: client.ControlAccount("140105", fuzzKind), To: client.UnitAccount("u2", fuzzKind), Amount: 1, DocNo: "并编〔2026〕3号"}),
	"/v1/transfers/batch":                 js(client.BatchTransfers{Rows: []client.TransferRequest{{Kind: "approve", From: client.ControlAccount("140105", fuzzKind), To: client.UnitAccount("u2", fuzzKind), Amount: 1, DocNo: "并编〔2026〕4号"}}}),
	"/v1/holds":                           js(client.PlaceHold{Account: client.TalentAccount("city", fuzzKind), Amount: 1, Purpose: "引进人才", ExpiresAt: time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)}),
	"/v1/holds/:id/void":                  []byte(`{}`),
	"/v1/holds/:id/lend":                  js(client.Lend{To: client.UnitAccount("u2", fuzzKind)}),
	"/v1/incumbents":                      js(fuzzHire(2)),
	"/v1/incumbents/batch":                js(client.BatchHires{Rows: []client.Hire{fuzzHire(3)}}),
	"/v1/incumbents/:idNumber/exit":       js(client.Exit{Reason: "retirement", Date: "2026-01-31"}),
	"/v1/plans":                           []byte(`{"unit":"u1","kind":"` + fuzzKind + `","count":1,"purpose":"补充","year":2026}`),
	"/v1/plans/:id/decision":              []byte(`{"approve":true,"docNo":"并编〔2026〕5号"}`),
	"/v1/cases":                           js(client.OpenCase{Subject: "u1", Region: "140105", Violation: "other", Facts: "超编进人"}),
	"/v1/cases/:id/close":                 js(client.CloseCase{Rectification: "已整改"}),
}

func js(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func fuzzIDNumber(i int) string {
	first := fmt.Sprintf("140105199%d%02d%02d%03d", i%10, 1+i/28%12, 1+i%28, i%1000)
	return first + string(ledger.IDCheckDigit(first))
}

func fuzzHire(i int) client.Hire {
	return client.Hire{IDNumber: fuzzIDNumber(i), Name: fmt.Sprintf("人员%d", i), Unit: "u1", Kind: fuzzKind, Channel: "exam", EntryDate: "2024-09-01"}
}

type fuzzRoute struct{ method, path string }

type fuzzHarness struct {
	tokens [3]string // city office, county office, unit HR of u1
	units  string    // the units service, which alone opens units' accounts
	rdb    *redis.Client
	cache  string
	verify *auth.Verifier
	log    *slog.Logger
	keys   atomic.Int64
	routes []fuzzRoute
}

func newFuzzHarness(tb testing.TB) *fuzzHarness {
	tb.Helper()
	tk := testkit.NewTokens(tb)
	h := &fuzzHarness{
		tokens: [3]string{tk.CityAdmin(tb), tk.CountyAdmin(tb, "140105"), tk.UnitHR(tb, "140105", "u1")},
		units:  tk.Service(tb, "units"),
		rdb:    redis.NewClient(&redis.Options{Addr: testkit.RedisAddr(tb)}),
		cache:  "fuzz:" + testkit.KeyPrefix(tb) + "quota_balances",
		verify: auth.NewJWKSVerifier(tk.JWKSURL),
		log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	tb.Cleanup(func() { _ = h.rdb.Close() })
	w := h.world(tb)
	for _, r := range w.engine.Routes() {
		if r.Method == http.MethodGet || !strings.HasPrefix(r.Path, "/v1/") {
			continue
		}
		if _, err := testkit.FillPath(r.Path, w.params); err != nil {
			tb.Fatalf("write route %s %s: %v", r.Method, r.Path, err)
		}
		h.routes = append(h.routes, fuzzRoute{method: r.Method, path: r.Path})
	}
	slices.SortFunc(h.routes, func(a, b fuzzRoute) int { return strings.Compare(a.path+" "+a.method, b.path+" "+b.method) })
	return h
}

// check sends one input to a fresh world and holds the answer to the promises.
func (h *fuzzHarness) check(t *testing.T, r fuzzRoute, variant uint8, body []byte) {
	w := h.world(t)
	before := w.snapshot(t)
	req, rec := h.send(t, w, r, variant, body)
	testkit.CheckFuzzedWrite(t, req, rec.Code, rec.Body.Bytes(), body, before, func() testkit.Digest { return w.snapshot(t) })
}

// send makes one request of the input in w under a fresh Idempotency-Key.
func (h *fuzzHarness) send(tb testing.TB, w *world, r fuzzRoute, variant uint8, body []byte) (*http.Request, *httptest.ResponseRecorder) {
	tb.Helper()
	path, err := testkit.FillPath(r.path, w.params)
	if err != nil {
		tb.Fatal(err)
	}
	req := testkit.FuzzRequest(r.method, path, variant, h.tokens[variant%3], fmt.Sprintf("fuzz-%d", h.keys.Add(1)), body)
	rec := httptest.NewRecorder()
	w.engine.ServeHTTP(rec, req)
	return req, rec
}

// world is what one input runs against: the quota API on a fresh ledger
// with two units, a control total, a talent pool, a person, a hold, a plan
// and a case.
type world struct {
	engine *gin.Engine
	store  *countingStore
	token  string
	params map[string]string // "<segment>/:<param>" → a record it names
}

func (h *fuzzHarness) world(tb testing.TB) *world {
	tb.Helper()
	store := &countingStore{Store: memstore.New()}
	l := service.New(store, service.Hooks{})
	srv := httpserver.New(httpserver.Options{Service: "quota", Logger: h.log})
	balances, err := redisx.NewCache(h.rdb, h.cache, 30*time.Second, nil, redisx.WithLogger(h.log))
	if err != nil {
		tb.Fatal(err)
	}
	httpapi.Routes(srv.Engine(), h.verify, httpapi.Deps{Service: "quota", Ledger: l, Balances: balances, Log: h.log})
	w := &world{engine: srv.Engine(), store: store, token: h.tokens[0], params: map[string]string{}}

	pool := client.ControlAccount("140105", fuzzKind)
	talent := client.TalentAccount("city", fuzzKind)
	u1, u2 := client.UnitAccount("u1", fuzzKind), client.UnitAccount("u2", fuzzKind)
	w.must(tb, "/v1/accounts", client.OpenAccount{ID: "ext:province:" + fuzzKind}, nil)
	w.must(tb, "/v1/accounts", client.OpenAccount{ID: pool}, nil)
	w.must(tb, "/v1/accounts", client.OpenAccount{ID: talent, Region: "140105"}, nil)
	units := &world{engine: w.engine, store: w.store, token: h.units}
	units.must(tb, "/v1/accounts", client.OpenAccount{ID: u1, Region: "140105", Name: "测试单位一"}, nil)
	units.must(tb, "/v1/accounts", client.OpenAccount{ID: u2, Region: "140105", Name: "测试单位二"}, nil)
	units.must(tb, "/v1/accounts", client.OpenAccount{ID: client.UnitAccount("u3", fuzzKind), Region: "140105", Name: "被查单位"}, nil)
	w.must(tb, "/v1/transfers", client.TransferRequest{Kind: "adjust_control", From: "ext:province:" + fuzzKind, To: pool, Amount: 20, DocNo: "晋编〔2026〕1号"}, nil)
	w.must(tb, "/v1/transfers", client.TransferRequest{Kind: "approve", From: pool, To: u1, Amount: 8, DocNo: "并编〔2026〕2号"}, nil)
	w.must(tb, "/v1/transfers", client.TransferRequest{Kind: "approve", From: pool, To: u2, Amount: 2, DocNo: "并编〔2026〕2号"}, nil)
	w.must(tb, "/v1/transfers", client.TransferRequest{Kind: "return", From: u1, To: talent, Amount: 3}, nil)
	w.must(tb, "/v1/incumbents", fuzzHire(1), nil)
	var hold client.Hold
	w.must(tb, "/v1/holds", client.PlaceHold{Account: talent, Amount: 1, Purpose: "人才引进", ExpiresAt: time.Now().Add(time.Hour)}, &hold)
	var plan struct{ ID string }
	w.must(tb, "/v1/plans", json.RawMessage(`{"unit":"u1","kind":"`+fuzzKind+`","count":1,"purpose":"补充人员","year":2026}`), &plan)
	var cs client.Case
	w.must(tb, "/v1/cases", client.OpenCase{Subject: "u3", Region: "140105", Violation: "other", Facts: "超职数配备"}, &cs)

	w.params = map[string]string{
		"units/:unit":          "u1",
		"incumbents/:idNumber": fuzzIDNumber(1),
		"holds/:id":            hold.ID,
		"plans/:id":            plan.ID,
		"cases/:id":            cs.ID,
	}
	return w
}

// must makes a seeding write as w's caller (the city office, or the units
// service for units' accounts) and fails on anything but 2xx.
func (w *world) must(tb testing.TB, path string, in, out any) {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(js(in)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.token)
	req.Header.Set("Idempotency-Key", fmt.Sprintf("seed-%d", w.store.seq.Add(1)))
	rec := httptest.NewRecorder()
	w.engine.ServeHTTP(rec, req)
	if rec.Code/100 != 2 {
		tb.Fatalf("seed POST %s: %d %s", path, rec.Code, rec.Body)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			tb.Fatalf("seed POST %s: %v", path, err)
		}
	}
}

// snapshot digests every part of the ledger the store can list, and counts
// the writes to the parts it cannot; the idempotency records are left out,
// since a refused request keeps the claim of its key.
func (w *world) snapshot(tb testing.TB) testkit.Digest {
	tb.Helper()
	ctx := context.Background()
	s := w.store
	out := testkit.Digest{}
	add := func(name string, v any, err error) {
		if err != nil {
			tb.Fatalf("snapshot %s: %v", name, err)
		}
		out[name] = sha256.Sum256(js(v))
	}
	accounts, err := s.Accounts(ctx, ledger.AccountFilter{})
	for i := range accounts {
		accounts[i].HeadHint = 0 // a hint where to start reading the journal, not ledger content
	}
	add("accounts", accounts, err)
	entries, err := s.AllEntries(ctx)
	add("entries", entries, err)
	transfers, err := s.AllTransfers(ctx)
	add("transfers", transfers, err)
	people, err := s.AllIncumbents(ctx)
	add("incumbents", people, err)
	batches, err := s.AllBatches(ctx)
	add("batches", batches, err)
	holds, err := s.AllHolds(ctx)
	add("holds", holds, err)
	slots, err := s.AllSlots(ctx)
	add("slots", slots, err)
	blocks, err := s.AllBlocks(ctx)
	add("blocks", blocks, err)
	cases, err := s.OpenCases(ctx)
	add("open cases", cases, err)
	add("other writes", s.writes.Load(), nil)
	return out
}

// countingStore counts the successful writes to the parts of the ledger
// the Store interface has no list for (plans, closed cases, tenure ops,
// exit requests, hire claims, mergers, the history of people).
type countingStore struct {
	ledger.Store
	writes atomic.Int64
	seq    atomic.Int64
}

func (s *countingStore) count(err error) error {
	if err == nil {
		s.writes.Add(1)
	}
	return err
}

func (s *countingStore) InsertPlan(ctx context.Context, p ledger.UsagePlan) error {
	return s.count(s.Store.InsertPlan(ctx, p))
}

func (s *countingStore) UpdatePlan(ctx context.Context, p ledger.UsagePlan) error {
	return s.count(s.Store.UpdatePlan(ctx, p))
}

func (s *countingStore) InsertCase(ctx context.Context, c ledger.Case) error {
	return s.count(s.Store.InsertCase(ctx, c))
}

func (s *countingStore) UpdateCase(ctx context.Context, c ledger.Case) error {
	return s.count(s.Store.UpdateCase(ctx, c))
}

func (s *countingStore) InsertTenureOp(ctx context.Context, op ledger.TenureOp) error {
	return s.count(s.Store.InsertTenureOp(ctx, op))
}

func (s *countingStore) SetTenureOpDone(ctx context.Context, id string) error {
	return s.count(s.Store.SetTenureOpDone(ctx, id))
}

func (s *countingStore) InsertExitRequest(ctx context.Context, r ledger.ExitRequestRecord) error {
	return s.count(s.Store.InsertExitRequest(ctx, r))
}

func (s *countingStore) InsertMoveSnapshot(ctx context.Context, m ledger.MoveSnapshot) error {
	return s.count(s.Store.InsertMoveSnapshot(ctx, m))
}

func (s *countingStore) SetMoveSnapshotDone(ctx context.Context, id string) error {
	return s.count(s.Store.SetMoveSnapshotDone(ctx, id))
}

func (s *countingStore) ArchiveIncumbent(ctx context.Context, r ledger.IncumbentRecord) error {
	return s.count(s.Store.ArchiveIncumbent(ctx, r))
}

func (s *countingStore) ClaimHires(ctx context.Context, claims []ledger.HireClaim) ([]int, error) {
	dup, err := s.Store.ClaimHires(ctx, claims)
	if err == nil && len(dup) < len(claims) {
		s.writes.Add(1)
	}
	return dup, err
}

package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/quota/internal/app"
	"github.com/bianzhi/bianzhi/services/quota/internal/config"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// startQuota starts a quota service on env and returns its URL.
func startQuota(t testing.TB, env map[string]string) string {
	t.Helper()
	cfg, err := config.Load(env)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	url := testkit.StartApp(t, a)
	t.Cleanup(func() { checkLedger(t, cfg) })
	return url
}

// checkLedger runs the invariant checker on the service's database after a
// test that wrote: every component test ends with a clean ledger.
func checkLedger(t testing.TB, cfg config.Config) {
	if t.Failed() {
		return
	}
	ctx := context.Background()
	c, err := mongo.Connect(options.Client().ApplyURI(cfg.MongoURI))
	if err != nil {
		t.Errorf("checker: connect: %v", err)
		return
	}
	defer func() { _ = c.Disconnect(ctx) }()
	res, err := service.New(mongostore.New(c.Database(cfg.MongoDatabase)), service.Hooks{}).Check(ctx)
	if err != nil {
		t.Errorf("checker: %v", err)
		return
	}
	if !res.OK {
		t.Errorf("the ledger check after the test found problems: %+v", res.Problems)
	}
}

type api struct {
	t     testing.TB
	url   string
	token string
}

// do sends a JSON request and decodes the answer into out (if not nil).
func (a api) do(method, path, key string, in, out any) (int, map[string]any) {
	a.t.Helper()
	status, header, raw := a.raw(method, path, key, in)
	if status >= 400 {
		if !strings.HasPrefix(header.Get("Content-Type"), "application/problem+json") {
			a.t.Fatalf("%s %s: %d with %s: %s", method, path, status, header.Get("Content-Type"), raw)
		}
		var problem map[string]any
		_ = json.Unmarshal(raw, &problem)
		return status, problem
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			a.t.Fatalf("decode %s: %v", raw, err)
		}
	}
	return status, nil
}

func (a api) must(method, path, key string, in, out any) {
	a.t.Helper()
	if code, p := a.do(method, path, key, in, out); code >= 300 {
		a.t.Fatalf("%s %s: %d %v", method, path, code, p)
	}
}

const kind = "administrative"

// asUnits is a on the same service as the units service, the one identity that opens a unit's
// account.
func (a api) asUnits() api { return api{a.t, a.url, testkit.NewTokens(a.t).Service(a.t, "units")} }

// seedUnit opens the accounts of a unit in 小店区 and approves n posts.
func seedUnit(a api, unit string, n int64) {
	a.must("POST", "/v1/accounts", "open:ext:province:"+kind, client.OpenAccount{ID: "ext:province:" + kind}, nil)
	a.must("POST", "/v1/accounts", "open:pool:control:140105:"+kind, client.OpenAccount{ID: "pool:control:140105:" + kind}, nil)
	a.asUnits().must("POST", "/v1/accounts", "open:unit:"+unit+":"+kind, client.OpenAccount{ID: "unit:" + unit + ":" + kind, Region: "140105", Name: "测试单位"}, nil)
	a.must("POST", "/v1/transfers", "adj-"+unit, client.TransferRequest{Kind: "adjust_control", From: "ext:province:" + kind, To: "pool:control:140105:" + kind, Amount: n, DocNo: "晋编〔2025〕1号"}, nil)
	a.must("POST", "/v1/transfers", "appr-"+unit, client.TransferRequest{Kind: "approve", From: "pool:control:140105:" + kind, To: "unit:" + unit + ":" + kind, Amount: n, DocNo: "并编〔2025〕2号"}, nil)
}

func idNumber(i int) string {
	first := fmt.Sprintf("140105199%d%02d%02d%03d", i%10, 1+i/28%12, 1+i%28, i%1000)
	return first + string(ledger.IDCheckDigit(first))
}

func hire(unit string, i int) client.Hire {
	return client.Hire{IDNumber: idNumber(i), Name: fmt.Sprintf("人员%d", i), Unit: unit, Kind: kind, Channel: "exam", EntryDate: "2024-09-01"}
}

// TestTwoInstancesNeverOverAllocate is the concurrency proof over
// HTTP: two quota service instances on one database, 50 goroutines each,
// hiring into one unit with 100 vacancies.
func TestTwoInstancesNeverOverAllocate(t *testing.T) {
	env := testkit.Env(t, nil)
	tok := testkit.NewTokens(t).CityAdmin(t)
	a := api{t, startQuota(t, env), tok}
	b := api{t, startQuota(t, env), tok}
	seedUnit(a, "u1", 100)

	var mu sync.Mutex
	counts := map[int]int{}
	codes := map[string]int{}
	var wg sync.WaitGroup
	for g := range 100 {
		inst := a
		if g%2 == 1 {
			inst = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 2 {
				i := g*2 + k
				code, p := inst.do("POST", "/v1/incumbents", fmt.Sprintf("k%d", i), hire("u1", i), nil)
				mu.Lock()
				counts[code]++
				if p != nil {
					codes[fmt.Sprint(p["code"])]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if counts[201] != 100 || counts[409] != 100 || codes["quota_exhausted"] != 100 {
		t.Fatalf("statuses %v codes %v; want 100 created and 100 quota_exhausted", counts, codes)
	}
	var acc client.Account
	b.must("GET", "/v1/accounts/unit:u1:"+kind, "", nil, &acc)
	if acc.Balance != (client.Balance{Approved: 100, Occupied: 100}) {
		t.Fatalf("balance %+v", acc.Balance)
	}
	var chk client.Check
	a.must("GET", "/v1/checks/ledger", "", nil, &chk)
	if !chk.OK {
		t.Fatalf("checker: %+v", chk.Problems)
	}
	code, p := a.do("POST", "/v1/incumbents", "one-more", hire("u1", 999), nil)
	if code != 409 || p["code"] != "quota_exhausted" || p["approved"] != float64(100) || p["occupied"] != float64(100) || p["held"] != float64(0) {
		t.Fatalf("red-line refusal %d %v lacks the numbers", code, p)
	}
}

// TestBadInputIsRefusedAndWritesNothing is the bad-input table.
func TestBadInputIsRefusedAndWritesNothing(t *testing.T) {
	env := testkit.Env(t, map[string]string{"MAX_BODY_BYTES": "65536"})
	tk := testkit.NewTokens(t)
	a := api{t, startQuota(t, env), tk.CityAdmin(t)}
	seedUnit(a, "u1", 10)
	a.asUnits().must("POST", "/v1/accounts", "open-gone", client.OpenAccount{ID: "unit:gone:" + kind, Region: "140105"}, nil)
	a.must("POST", "/v1/units/gone/abolish", "abolish-gone", nil, nil)
	ctl := "pool:control:140105:" + kind
	u1 := "unit:u1:" + kind
	move := func(kind, from, to string, n int64) client.TransferRequest {
		return client.TransferRequest{Kind: kind, From: from, To: to, Amount: n, DocNo: "d"}
	}
	badHire := hire("u1", 1)
	badHire.IDNumber = idNumber(1)[:17] + "0"
	if badHire.IDNumber == idNumber(1) {
		badHire.IDNumber = idNumber(1)[:17] + "1"
	}
	huge := client.BatchHires{}
	for i := range 2000 {
		huge.Rows = append(huge.Rows, hire("u1", i))
	}
	tests := []struct {
		name   string
		path   string
		key    string
		body   any
		status int
		code   string
		field  string
	}{
		{"zero amount", "/v1/transfers", "b1", move("approve", ctl, u1, 0), 400, "invalid_argument", "amount"},
		{"negative amount", "/v1/transfers", "b2", move("approve", ctl, u1, -5), 400, "invalid_argument", "amount"},
		{"unknown kind", "/v1/transfers", "b3", move("gift", ctl, u1, 1), 400, "invalid_argument", "kind"},
		{"malformed account", "/v1/transfers", "b4", move("approve", ctl, "unit:u1:vip", 1), 400, "invalid_argument", "to"},
		{"transfer to self", "/v1/transfers", "b5", move("move_unit", u1, u1, 1), 400, "invalid_argument", "to"},
		{"to an abolished unit", "/v1/transfers", "b6", move("move_unit", u1, "unit:gone:"+kind, 1), 409, "invalid_state", "to"},
		{"no idempotency key", "/v1/transfers", "", move("approve", ctl, u1, 1), 400, "invalid_argument", "Idempotency-Key"},
		{"bad ID number", "/v1/incumbents", "b7", badHire, 400, "invalid_argument", "idNumber"},
		{"unknown field", "/v1/incumbents", "b8", map[string]any{"idNumber": idNumber(2), "salary": 1}, 400, "unknown_field", "salary"},
		{"wrong type", "/v1/transfers", "b9", map[string]any{"kind": "approve", "from": ctl, "to": u1, "amount": "five"}, 400, "wrong_type", "amount"},
		{"oversize body", "/v1/incumbents", "b10", huge, 413, "body_too_large", ""}, // batch routes take 16 MiB; single records 64 KiB
		{"bad row in a batch", "/v1/incumbents/batch", "b11", client.BatchHires{Rows: []client.Hire{hire("u1", 3), badHire}}, 400, "invalid_argument", "rows[1].idNumber"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, p := a.do("POST", tc.path, tc.key, tc.body, nil)
			if code != tc.status || p["code"] != tc.code || (tc.field != "" && p["field"] != tc.field) {
				t.Fatalf("got %d %v, want %d %s field %s", code, p, tc.status, tc.code, tc.field)
			}
			if title, _ := p["title"].(string); !containsHan(title) {
				t.Fatalf("title %q is not a Chinese message", title)
			}
		})
	}
	var acc client.Account
	a.must("GET", "/v1/accounts/"+u1, "", nil, &acc)
	if acc.Balance != (client.Balance{Approved: 10, Vacant: 10}) || acc.Seq != 1 {
		t.Fatalf("bad input changed the ledger: %+v seq %d", acc.Balance, acc.Seq)
	}
	if code, _ := a.do("GET", "/v1/incumbents/"+idNumber(3), "", nil, nil); code != 404 {
		t.Fatalf("a refused batch wrote row 0: %d", code)
	}

	// Scope: a county office elsewhere and a unit HR officer of another unit see nothing here.
	other := api{t, a.url, tk.CountyAdmin(t, "140106")}
	if code, p := other.do("GET", "/v1/accounts/"+u1, "", nil, nil); code != 403 {
		t.Fatalf("other county read: %d %v", code, p)
	}
	if code, p := other.do("POST", "/v1/cases", "c-x", client.OpenCase{Subject: "u1", Region: "140106", Violation: "other", Facts: "越权立案"}, nil); code != 403 {
		t.Fatalf("a county office opened a case against another county's unit: %d %v", code, p)
	}
	hr := api{t, a.url, tk.UnitHR(t, "140105", "u2")}
	if code, _ := hr.do("POST", "/v1/incumbents", "hr1", hire("u1", 5), nil); code != 403 {
		t.Fatalf("unit HR of another unit hired: %d", code)
	}
	if code, _ := hr.do("POST", "/v1/transfers", "hr2", move("approve", ctl, u1, 1), nil); code != 403 {
		t.Fatalf("unit HR moved quota: %d", code)
	}
}

func containsHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func mintService() auth.Claims {
	return auth.Claims{Name: "talent", Roles: []auth.Role{auth.RoleService}}
}

func asApp(err error, target **apperr.Error) bool { return errors.As(err, target) }

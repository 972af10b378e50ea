package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/quota/client"
)

// raw sends a request and returns the answer as it came: status, headers
// and body bytes.
func (a api) raw(method, path, key string, in any) (int, http.Header, []byte) {
	a.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, a.url+path, body)
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func (a api) balance(unit string) client.Balance {
	a.t.Helper()
	var acc client.Account
	a.must("GET", "/v1/accounts/unit:"+unit+":"+kind, "", nil, &acc)
	return acc.Balance
}

func (a api) people(unit string) int {
	a.t.Helper()
	var out struct {
		Count int `json:"count"`
	}
	a.must("GET", "/v1/units/"+unit+"/incumbents", "", nil, &out)
	return out.Count
}

func wantReused(t *testing.T, what string, code int, p map[string]any) {
	t.Helper()
	if code != 422 || p["code"] != "idempotency_key_reused" || p["field"] != "Idempotency-Key" {
		t.Fatalf("%s: %d %v, want 422 idempotency_key_reused on Idempotency-Key", what, code, p)
	}
	if title, _ := p["title"].(string); !containsHan(title) {
		t.Fatalf("%s: title %q is not a Chinese message", what, title)
	}
}

// TestReusedHireKeyHiresNobodyElse is issue 9's first case: the same key
// with another person's body used to hire a second person (201 twice).
func TestReusedHireKeyHiresNobodyElse(t *testing.T) {
	a := api{t, startQuota(t, testkit.Env(t, nil)), testkit.NewTokens(t).CityAdmin(t)}
	seedUnit(a, "u1", 10)
	if code, p := a.do("POST", "/v1/incumbents", "hire-k", hire("u1", 1), nil); code != 201 {
		t.Fatalf("first hire: %d %v", code, p)
	}
	code, p := a.do("POST", "/v1/incumbents", "hire-k", hire("u1", 2), nil)
	wantReused(t, "same key, another person", code, p)
	if n := a.people("u1"); n != 1 {
		t.Fatalf("%d people on u1's posts, want 1", n)
	}
	if b := a.balance("u1"); b.Occupied != 1 {
		t.Fatalf("balance %+v, want 1 occupied", b)
	}
	if code, _ := a.do("GET", "/v1/incumbents/"+idNumber(2), "", nil, nil); code != 404 {
		t.Fatalf("the second person was hired: %d", code)
	}
}

// TestSameKeyReplaysTheFirstAnswer: a retry is answered with the first
// answer byte for byte, success or refusal, whatever changed since.
func TestSameKeyReplaysTheFirstAnswer(t *testing.T) {
	tk := testkit.NewTokens(t)
	a := api{t, startQuota(t, testkit.Env(t, nil)), tk.CityAdmin(t)}
	seedUnit(a, "u1", 1)

	code1, h1, b1 := a.raw("POST", "/v1/incumbents", "r1", hire("u1", 1))
	if code1 != 201 || h1.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first hire: %d %s %s", code1, h1.Get("Idempotent-Replayed"), b1)
	}
	code2, h2, b2 := a.raw("POST", "/v1/incumbents", "r1", hire("u1", 1))
	if code2 != 201 || !bytes.Equal(b1, b2) || h2.Get("Idempotent-Replayed") != "true" || h2.Get("Content-Type") != h1.Get("Content-Type") {
		t.Fatalf("retry: %d %q %q\nfirst  %s\nretry  %s", code2, h2.Get("Idempotent-Replayed"), h2.Get("Content-Type"), b1, b2)
	}
	if b := a.balance("u1"); b.Occupied != 1 || a.people("u1") != 1 {
		t.Fatalf("a retried hire hired twice: %+v", b)
	}

	// A refusal that depends on the ledger's state is final too.
	rc1, rh1, rb1 := a.raw("POST", "/v1/incumbents", "r2", hire("u1", 2))
	if rc1 != 409 || !bytes.Contains(rb1, []byte(`"quota_exhausted"`)) {
		t.Fatalf("full unit: %d %s", rc1, rb1)
	}
	// A post falls vacant ...
	a.must("POST", "/v1/incumbents/"+idNumber(1)+"/exit", "x1", client.Exit{Reason: "retirement", Date: "2026-11-01", DocNo: "并人〔2026〕1号"}, nil)
	if b := a.balance("u1"); b.Vacant != 1 {
		t.Fatalf("after the exit: %+v", b)
	}
	// ... and the retry is still the refusal, and hires nobody.
	rc2, rh2, rb2 := a.raw("POST", "/v1/incumbents", "r2", hire("u1", 2))
	if rc2 != 409 || !bytes.Equal(rb1, rb2) || rh2.Get("Idempotent-Replayed") != "true" || rh2.Get("Content-Type") != rh1.Get("Content-Type") {
		t.Fatalf("retried refusal: %d %q\nfirst  %s\nretry  %s", rc2, rh2.Get("Idempotent-Replayed"), rb1, rb2)
	}
	if b := a.balance("u1"); b.Vacant != 1 || b.Occupied != 0 {
		t.Fatalf("a replayed refusal changed the ledger: %+v", b)
	}
	// A new key is a new request.
	if code, p := a.do("POST", "/v1/incumbents", "r3", hire("u1", 2), nil); code != 201 {
		t.Fatalf("hire under a new key: %d %v", code, p)
	}
	// The same key on another route is another request too.
	code, p := a.do("POST", "/v1/incumbents/"+idNumber(2)+"/exit", "r3", client.Exit{Reason: "retirement", Date: "2026-11-01"}, nil)
	wantReused(t, "same key, another route", code, p)
	// Keys are scoped by the caller: another caller's "r1" is its own.
	other := api{t, a.url, tk.CountyAdmin(t, "140105")}
	if code, p := other.do("POST", "/v1/incumbents", "r1", hire("u1", 3), nil); code == 422 {
		t.Fatalf("another caller's key r1 was taken for this caller's: %d %v", code, p)
	}
}

// TestReusedCaseKeyBlocksNobodyElse: a discipline case key reused with
// another subject used to block that subject for good.
func TestReusedCaseKeyBlocksNobodyElse(t *testing.T) {
	a := api{t, startQuota(t, testkit.Env(t, nil)), testkit.NewTokens(t).CityAdmin(t)}
	seedUnit(a, "u1", 2)
	seedUnit(a, "u2", 2)
	c1 := client.OpenCase{Subject: "u1", Region: "140105", Violation: "other", Facts: "超编进人"}
	if code, p := a.do("POST", "/v1/cases", "case-k", c1, nil); code != 201 {
		t.Fatalf("open case: %d %v", code, p)
	}
	c2 := c1
	c2.Subject = "u2"
	code, p := a.do("POST", "/v1/cases", "case-k", c2, nil)
	wantReused(t, "same case key, another subject", code, p)
	var chk client.CaseCheck
	a.must("GET", "/v1/units/u2/case-check", "", nil, &chk)
	if chk.Blocked {
		t.Fatalf("u2 is blocked by a refused request: %+v", chk)
	}
	a.must("GET", "/v1/units/u1/case-check", "", nil, &chk)
	if !chk.Blocked {
		t.Fatalf("u1 is not blocked: %+v", chk)
	}
	if code, p := a.do("POST", "/v1/incumbents", "after-case", hire("u2", 1), nil); code != 201 {
		t.Fatalf("u2 cannot hire: %d %v", code, p)
	}
}

// TestReusedLendKeyLendsNowhereElse: a lend to another unit under a reused
// key used to be answered with the first unit's loan.
func TestReusedLendKeyLendsNowhereElse(t *testing.T) {
	a := api{t, startQuota(t, testkit.Env(t, nil)), testkit.NewTokens(t).CityAdmin(t)}
	seedUnit(a, "u1", 4)
	seedUnit(a, "u2", 1)
	pool := client.TalentAccount("city", kind)
	a.must("POST", "/v1/accounts", "open-pool", client.OpenAccount{ID: pool, Region: "140105"}, nil)
	a.must("POST", "/v1/transfers", "fund", client.TransferRequest{Kind: "return", From: client.UnitAccount("u1", kind), To: pool, Amount: 4}, nil)
	var h1, h2 client.Hold
	a.must("POST", "/v1/holds", "hold-1", client.PlaceHold{Account: pool, Amount: 1, ExpiresAt: time.Now().Add(time.Hour)}, &h1)
	a.must("POST", "/v1/holds", "hold-2", client.PlaceHold{Account: pool, Amount: 1, ExpiresAt: time.Now().Add(time.Hour)}, &h2)

	var loan client.Transfer
	a.must("POST", "/v1/holds/"+h1.ID+"/lend", "lend-k", client.Lend{To: client.UnitAccount("u1", kind)}, &loan)
	code, p := a.do("POST", "/v1/holds/"+h1.ID+"/lend", "lend-k", client.Lend{To: client.UnitAccount("u2", kind)}, nil)
	wantReused(t, "same lend key, another unit", code, p)
	// Another hold under the same key is another request as well (path parameter).
	code, p = a.do("POST", "/v1/holds/"+h2.ID+"/lend", "lend-k", client.Lend{To: client.UnitAccount("u1", kind)}, nil)
	wantReused(t, "same lend key, another hold", code, p)
	if b := a.balance("u2"); b.Approved != 1 {
		t.Fatalf("u2 got a loan: %+v", b)
	}
	if b := a.balance("u1"); b.Approved != 1 {
		t.Fatalf("u1 after one loan of one post: %+v", b)
	}
}

// TestEveryWriteRequiresAKey: each POST route refuses a request without an
// Idempotency-Key with a problem naming the header, before anything else.
func TestEveryWriteRequiresAKey(t *testing.T) {
	a := api{t, startQuota(t, testkit.Env(t, nil)), testkit.NewTokens(t).CityAdmin(t)}
	seedUnit(a, "u1", 2)
	for _, path := range []string{
		"/v1/accounts", "/v1/accounts/batch", "/v1/units/u1/abolish", "/v1/units/u1/incumbents/transfer",
		"/v1/transfers", "/v1/transfers/batch", "/v1/holds", "/v1/holds/h1/void", "/v1/holds/h1/lend",
		"/v1/incumbents", "/v1/incumbents/batch", "/v1/incumbents/" + idNumber(1) + "/exit",
		"/v1/plans", "/v1/plans/p1/decision", "/v1/cases", "/v1/cases/c1/close",
	} {
		code, p := a.do("POST", path, "", map[string]any{}, nil)
		if code != 400 || p["code"] != "invalid_argument" || p["field"] != "Idempotency-Key" {
			t.Errorf("POST %s without a key: %d %v", path, code, p)
		}
	}
	var acc client.Account
	a.must("GET", "/v1/accounts/unit:u1:"+kind, "", nil, &acc)
	if acc.Abolished {
		t.Fatal("a keyless abolish ran")
	}
}

// TestConcurrentRetriesHaveOneEffect: ten identical requests under one key
// at once, on two instances, hire one person, and ten identical exits
// release one post. Those that find the claim without an answer run the
// handler again; the ledger's IDs derived from caller and key make that
// one effect.
func TestConcurrentRetriesHaveOneEffect(t *testing.T) {
	env := testkit.Env(t, nil)
	tok := testkit.NewTokens(t).CityAdmin(t)
	a := api{t, startQuota(t, env), tok}
	b := api{t, startQuota(t, env), tok}
	seedUnit(a, "u1", 5)

	race := func(path, key string, in any) map[int]int {
		var mu sync.Mutex
		statuses := map[int]int{}
		var wg sync.WaitGroup
		for i := range 10 {
			inst := a
			if i%2 == 1 {
				inst = b
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, h, body := inst.raw("POST", path, key, in)
				mu.Lock()
				defer mu.Unlock()
				statuses[code]++
				if code >= 300 && !(code == 409 && h.Get("Retry-After") != "") {
					t.Errorf("POST %s: %d %s", path, code, body)
				}
			}()
		}
		wg.Wait()
		return statuses
	}

	st := race("/v1/incumbents", "same-hire", hire("u1", 1))
	t.Logf("ten identical hires answered %v", st)
	if a.people("u1") != 1 || a.balance("u1") != (client.Balance{Approved: 5, Occupied: 1, Vacant: 4}) {
		t.Fatalf("ten identical hires (%v): %d people, %+v", st, a.people("u1"), a.balance("u1"))
	}
	code, h, _ := b.raw("POST", "/v1/incumbents", "same-hire", hire("u1", 1))
	if code != 201 || h.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay after the race: %d %v", code, h)
	}

	st = race("/v1/incumbents/"+idNumber(1)+"/exit", "same-exit", client.Exit{Reason: "resignation", Date: "2026-11-01"})
	t.Logf("ten identical exits answered %v", st)
	if a.people("u1") != 0 || a.balance("u1") != (client.Balance{Approved: 5, Vacant: 5}) {
		t.Fatalf("ten identical exits (%v): %d people, %+v", st, a.people("u1"), a.balance("u1"))
	}
	var chk client.Check
	a.must("GET", "/v1/checks/ledger", "", nil, &chk)
	if !chk.OK {
		t.Fatalf("checker: %+v", chk.Problems)
	}
}

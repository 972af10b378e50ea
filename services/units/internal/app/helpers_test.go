package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/units/internal/app"
	"github.com/bianzhi/bianzhi/services/units/internal/config"
	"github.com/bianzhi/bianzhi/services/units/internal/quotafake"
)

// stack is one units service on the real store, Redis and tokens, with the in-memory
// quota ledger in place of the quota service.
type stack struct {
	t     testing.TB
	url   string
	quota *quotafake.Ledger
	tok   *testkit.Tokens
	city  string
	// decider is a second officer of the city office: four eyes keep the filer from approving.
	decider string
}

func start(t *testing.T) *stack { return startB(t) }

func startB(t testing.TB) *stack {
	t.Helper()
	cfg, err := config.Load(testkit.Env(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	q := quotafake.New()
	a, err := app.New(context.Background(), cfg, platform.Options{}, app.WithQuota(q))
	if err != nil {
		t.Fatal(err)
	}
	s := &stack{t: t, url: testkit.StartApp(t, a), quota: q, tok: testkit.NewTokens(t)}
	s.city = s.tok.CityAdmin(t)
	s.decider = deciderToken(t, s.tok)
	return s
}

// deciderToken is a second city office officer, for approvals under four eyes.
func deciderToken(tb testing.TB, tok *testkit.Tokens) string {
	c := auth.Claims{Name: "市编办室务会", Roles: []auth.Role{auth.RoleCityAdmin}, Region: "140100"}
	c.Subject = "test-city-decider"
	return tok.Mint(tb, c)
}

type reply struct {
	status int
	body   map[string]any
	raw    []byte
	ctype  string
}

func (s *stack) do(method, path, token string, in any) reply {
	s.t.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			s.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.url+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, raw: raw, ctype: resp.Header.Get("Content-Type")}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

// must asserts the status and returns the body.
func (s *stack) must(status int, method, path, token string, in any) map[string]any {
	s.t.Helper()
	r := s.do(method, path, token, in)
	if r.status != status {
		s.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, status, r.raw)
	}
	return r.body
}

// problem asserts a problem+json answer with the given status, code and (domain) reason,
// a Chinese title and an English detail.
func (s *stack) problem(status int, code, reason, method, path, token string, in any) map[string]any {
	s.t.Helper()
	r := s.do(method, path, token, in)
	if r.status != status || !strings.HasPrefix(r.ctype, "application/problem+json") {
		s.t.Fatalf("%s %s: %d %s, want %d problem: %s", method, path, r.status, r.ctype, status, r.raw)
	}
	if r.body["code"] != code || (reason != "" && r.body["reason"] != reason) {
		s.t.Fatalf("%s %s: code %v reason %v, want %s/%s: %s", method, path, r.body["code"], r.body["reason"], code, reason, r.raw)
	}
	title, _ := r.body["title"].(string)
	if !hasHan(title) || str(r.body["detail"]) == "" {
		s.t.Fatalf("problem lacks a Chinese title or a detail: %s", r.raw)
	}
	return r.body
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func str(v any) string { s, _ := v.(string); return s }

func num(v any) int64 { f, _ := v.(float64); return int64(f) }

func list(v any) []any { l, _ := v.([]any); return l }

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

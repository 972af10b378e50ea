package app_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"
)

func TestLogin(t *testing.T) {
	url := startGateway(t, nil, platform.Options{})

	t.Run("demo accounts", func(t *testing.T) {
		cases := []struct {
			username, role, region string
			units                  []string
		}{
			{"city_admin", "city_admin", "140100", nil},
			{"xiaodian_admin", "county_admin", "140105", nil},
			{"unit_hr", "unit_hr", "", []string{"demo-unit-hr"}},
			{"auditor", "auditor", "140100", nil},
		}
		for _, tc := range cases {
			t.Run(tc.username, func(t *testing.T) {
				out := login(t, url, tc.username)
				u := out.User
				if out.Token == "" || u.Username != tc.username || u.Name == "" || !slices.Equal(u.Roles, []string{tc.role}) ||
					u.Region != tc.region || !slices.Equal(u.Units, tc.units) {
					t.Fatalf("login answered %+v", out)
				}
				if left := time.Until(out.ExpiresAt); left < 29*time.Minute || left > 31*time.Minute {
					t.Fatalf("token expires in %s, want the default 30m", left)
				}
			})
		}
	})

	// A wrong password and an unknown user get the same answer: nobody learns which usernames exist.
	t.Run("refusals", func(t *testing.T) {
		cases := []struct {
			name, body string
			status     int
			code       string
			field      string
		}{
			{"wrong password", `{"username":"city_admin","password":"Bianzhi@2025"}`, 401, "unauthenticated", ""},
			{"unknown user", `{"username":"nobody","password":"Bianzhi@2026"}`, 401, "unauthenticated", ""},
			{"username not a valid name", `{"username":"城市 管理员","password":"Bianzhi@2026"}`, 401, "unauthenticated", ""},
			{"bad JSON", `{"username":"city_admin",`, 400, "malformed_json", ""},
			{"not JSON", `username=city_admin`, 400, "malformed_json", ""},
			{"unknown field", `{"username":"city_admin","password":"x","otp":1}`, 400, "unknown_field", "otp"},
			{"wrong type", `{"username":"city_admin","password":2026}`, 400, "wrong_type", "password"},
			{"missing password", `{"username":"city_admin"}`, 400, "invalid_argument", "password"},
		}
		titles := map[string]bool{}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p := call(t, http.MethodPost, url+"/api/v1/auth/login", "", tc.body).problem(t, tc.status, tc.code)
				if tc.field != "" && p["field"] != tc.field {
					t.Fatalf("field = %v, want %s", p["field"], tc.field)
				}
				if tc.status == 401 {
					titles[p["title"].(string)+"|"+p["detail"].(string)] = true
				}
			})
		}
		if len(titles) != 1 {
			t.Fatalf("refusals differ between wrong password and unknown user: %v", titles)
		}
	})

	t.Run("GET is not a login", func(t *testing.T) {
		call(t, http.MethodGet, url+"/api/v1/auth/login", "", "").problem(t, 405, "method_not_allowed")
	})
}

// TestLoginRateLimited counts attempts per username and client IP in Redis. Windows are calendar
// minutes, so a run that straddles a minute boundary gets at most one fresh window: the refusal
// comes after rate attempts and no later than after 2×rate.
func TestLoginRateLimited(t *testing.T) {
	const rate = 3
	url := startGateway(t, map[string]string{"GATEWAY_LOGIN_RATE": "3"}, platform.Options{})
	wrong := `{"username":"city_admin","password":"wrong-password"}`
	first := 0
	for i := 1; i <= 2*rate+1; i++ {
		r := call(t, http.MethodPost, url+"/api/v1/auth/login", "", wrong)
		if r.status == http.StatusTooManyRequests {
			r.problem(t, 429, "rate_limited")
			if r.header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
			first = i
			break
		}
		r.problem(t, 401, "unauthenticated")
	}
	if first < rate+1 || first > 2*rate+1 {
		t.Fatalf("first refusal at attempt %d, want between %d and %d", first, rate+1, 2*rate+1)
	}
	// The right password does not get past the limit either...
	call(t, http.MethodPost, url+"/api/v1/auth/login", "", `{"username":"city_admin","password":"Bianzhi@2026"}`).
		problem(t, 429, "rate_limited")
	// ...while another account from the same address still may log in.
	login(t, url, "auditor")
}

func TestTokensVerifyAgainstTheJWKS(t *testing.T) {
	url := startGateway(t, nil, platform.Options{})
	out := login(t, url, "xiaodian_admin")

	// Exactly what a service does: fetch the JWKS over HTTP and verify.
	v := auth.NewJWKSVerifier(url + "/api/v1/auth/jwks")
	c, err := v.Verify(context.Background(), out.Token)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "xiaodian_admin" || !c.Has(auth.RoleCountyAdmin) || c.Region != "140105" || !c.InRegion("140105001") ||
		c.InRegion("140106") {
		t.Fatalf("claims %+v", c)
	}

	var me struct {
		Username string   `json:"username"`
		Roles    []string `json:"roles"`
		Region   string   `json:"region"`
	}
	call(t, http.MethodGet, url+"/api/v1/auth/me", out.Token, "").json(t, &me)
	if me.Username != "xiaodian_admin" || me.Region != "140105" || !slices.Equal(me.Roles, []string{"county_admin"}) {
		t.Fatalf("me = %+v", me)
	}
	cases := []struct{ name, token string }{
		{"no token", ""},
		{"garbage", "not-a-jwt"},
		{"signed by another key", testkit.NewTokens(t).CityAdmin(t)},
		{"tampered", out.Token[:len(out.Token)-4] + "AAAA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			call(t, http.MethodGet, url+"/api/v1/auth/me", tc.token, "").problem(t, 401, "unauthenticated")
		})
	}
}

func TestServiceTokens(t *testing.T) {
	t.Run("disabled without secrets", func(t *testing.T) {
		_, internal := startGatewayInternal(t, nil, platform.Options{})
		call(t, http.MethodPost, internal+"/api/v1/auth/service-token", "", `{"service":"quota","secret":"0123456789abcdef"}`).
			problem(t, 403, "forbidden")
	})
	url, internal := startGatewayInternal(t, map[string]string{
		"GATEWAY_SERVICE_SECRETS": "quota-jobs:0123456789abcdef-q, talent:fedcba9876543210-t",
		"GATEWAY_SERVICE_OPS":     "talent=quota:holds quota:hires",
	}, platform.Options{})
	// The grant is not served through the public door, whatever the credentials.
	call(t, http.MethodPost, url+"/api/v1/auth/service-token", "", `{"service":"quota-jobs","secret":"0123456789abcdef-q"}`).
		problem(t, 404, "not_found")
	cases := []struct {
		name, body string
		status     int
		code       string
	}{
		{"wrong secret", `{"service":"quota-jobs","secret":"fedcba9876543210-t"}`, 401, "unauthenticated"},
		{"unknown service", `{"service":"units","secret":"0123456789abcdef-q"}`, 401, "unauthenticated"},
		{"missing secret", `{"service":"quota-jobs"}`, 400, "invalid_argument"},
		{"bad JSON", `{`, 400, "malformed_json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			call(t, http.MethodPost, internal+"/api/v1/auth/service-token", "", tc.body).problem(t, tc.status, tc.code)
		})
	}
	grant := func(body string) (string, []string) {
		r := call(t, http.MethodPost, internal+"/api/v1/auth/service-token", "", body)
		var tok struct {
			Token   string   `json:"token"`
			Service string   `json:"service"`
			Ops     []string `json:"ops"`
		}
		r.json(t, &tok)
		if r.status != 200 || tok.Token == "" {
			t.Fatalf("service token: %d %s", r.status, r.body)
		}
		return tok.Token, tok.Ops
	}
	tok, ops := grant(`{"service":"quota-jobs","secret":"0123456789abcdef-q"}`)
	if len(ops) != 0 {
		t.Fatalf("a client without configured operations got %v", ops)
	}
	var me struct {
		Username string   `json:"username"`
		Roles    []string `json:"roles"`
	}
	call(t, http.MethodGet, url+"/api/v1/auth/me", tok, "").json(t, &me)
	if me.Username != "svc:quota-jobs" || !slices.Equal(me.Roles, []string{"service"}) {
		t.Fatalf("service identity %+v", me)
	}
	// The talent client's token names its operations, and a verifier reads them back.
	tok, ops = grant(`{"service":"talent","secret":"fedcba9876543210-t"}`)
	c, err := auth.NewJWKSVerifier(internal+"/api/v1/auth/jwks").Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ops, []string{"quota:holds", "quota:hires"}) || !c.MayOp("quota:holds") || c.MayOp("quota:transfers") {
		t.Fatalf("talent ops: answer %v, claims %v", ops, c.Ops)
	}
}

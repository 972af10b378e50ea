package app_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"
)

// refusedWithin polls until token is refused at the gateway, failing after five seconds: the promise
// a disabled account or a changed password makes.
func refusedWithin5s(t *testing.T, url, token string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := call(t, http.MethodGet, url+"/api/v1/auth/me", token, "")
		if r.status == http.StatusUnauthorized {
			r.problem(t, 401, "unauthenticated")
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("token still accepted 5 s after its sessions ended: %d %s", r.status, r.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestDisablingAnAccountEndsItsTokens(t *testing.T) {
	prefix := testkit.KeyPrefix(t) + "sessver:"
	url := startGateway(t, map[string]string{"AUTH_SESSION_KEY_PREFIX": prefix}, platform.Options{})
	admin := login(t, url, "city_admin")
	county := login(t, url, "xiaodian_admin")

	// A service verifies as in Kubernetes: keys from the JWKS, session versions from the shared Redis.
	rdb := redis.NewClient(&redis.Options{Addr: testkit.RedisAddr(t)})
	t.Cleanup(func() { _ = rdb.Close() })
	svc := auth.NewJWKSVerifier(url + "/api/v1/auth/jwks")
	svc.CheckSessions(rdb, prefix)
	if _, err := svc.Verify(context.Background(), county.Token); err != nil {
		t.Fatal(err)
	}

	call(t, http.MethodPost, url+"/api/v1/accounts/xiaodian_admin/disable", county.Token, "").problem(t, 403, "forbidden")
	if r := call(t, http.MethodPost, url+"/api/v1/accounts/xiaodian_admin/disable", admin.Token, ""); r.status != 200 {
		t.Fatalf("disable: %d %s", r.status, r.body)
	}
	refusedWithin5s(t, url, county.Token)
	deadline := time.Now().Add(5 * time.Second)
	for _, err := svc.Verify(context.Background(), county.Token); !errors.Is(err, auth.ErrRevoked); _, err = svc.Verify(context.Background(), county.Token) {
		if time.Now().After(deadline) {
			t.Fatalf("the service still accepts the disabled account's token: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	call(t, http.MethodPost, url+"/api/v1/auth/login", "", `{"username":"xiaodian_admin","password":"`+demoPassword+`"}`).
		problem(t, 401, "unauthenticated")

	// Enabling lets the person in again with a new token; the old one stays dead.
	if r := call(t, http.MethodPost, url+"/api/v1/accounts/xiaodian_admin/enable", admin.Token, ""); r.status != 200 {
		t.Fatalf("enable: %d %s", r.status, r.body)
	}
	again := login(t, url, "xiaodian_admin")
	if r := call(t, http.MethodGet, url+"/api/v1/auth/me", again.Token, ""); r.status != 200 {
		t.Fatalf("new token: %d %s", r.status, r.body)
	}
	call(t, http.MethodGet, url+"/api/v1/auth/me", county.Token, "").problem(t, 401, "unauthenticated")
	// Others are untouched.
	if r := call(t, http.MethodGet, url+"/api/v1/auth/me", admin.Token, ""); r.status != 200 {
		t.Fatalf("admin's token: %d %s", r.status, r.body)
	}
}

func TestChangingThePasswordEndsOldTokens(t *testing.T) {
	url := startGateway(t, nil, platform.Options{})
	first := login(t, url, "auditor")
	second := login(t, url, "auditor") // another browser
	call(t, http.MethodPost, url+"/api/v1/auth/password", first.Token, `{"oldPassword":"wrong-password","newPassword":"Xinmima@2027"}`).
		problem(t, 401, "unauthenticated")
	r := call(t, http.MethodPost, url+"/api/v1/auth/password", first.Token, `{"oldPassword":"`+demoPassword+`","newPassword":"Xinmima@2027"}`)
	var fresh loginReply
	r.json(t, &fresh)
	if r.status != 200 || fresh.Token == "" {
		t.Fatalf("change password: %d %s", r.status, r.body)
	}
	refusedWithin5s(t, url, first.Token)
	refusedWithin5s(t, url, second.Token)
	if r := call(t, http.MethodGet, url+"/api/v1/auth/me", fresh.Token, ""); r.status != 200 {
		t.Fatalf("the token of the change: %d %s", r.status, r.body)
	}
	call(t, http.MethodPost, url+"/api/v1/auth/login", "", `{"username":"auditor","password":"`+demoPassword+`"}`).
		problem(t, 401, "unauthenticated")
	if r := call(t, http.MethodPost, url+"/api/v1/auth/login", "", `{"username":"auditor","password":"Xinmima@2027"}`); r.status != 200 {
		t.Fatalf("login with the new password: %d %s", r.status, r.body)
	}
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	// A high per-pair rate, so the lockout is what refuses.
	url := startGateway(t, map[string]string{"GATEWAY_LOGIN_RATE": "100"}, platform.Options{})
	wrong := `{"username":"unit_hr","password":"wrong-password"}`
	for range 5 {
		call(t, http.MethodPost, url+"/api/v1/auth/login", "", wrong).problem(t, 401, "unauthenticated")
	}
	p := call(t, http.MethodPost, url+"/api/v1/auth/login", "", `{"username":"unit_hr","password":"`+demoPassword+`"}`).
		problem(t, 429, "rate_limited")
	if p["locked"] != true {
		t.Fatalf("lockout problem: %v", p)
	}
	// An unknown username locks out the same way: the answer does not tell who exists.
	for range 5 {
		call(t, http.MethodPost, url+"/api/v1/auth/login", "", `{"username":"nobody","password":"wrong-password"}`).
			problem(t, 401, "unauthenticated")
	}
	call(t, http.MethodPost, url+"/api/v1/auth/login", "", `{"username":"nobody","password":"wrong-password"}`).
		problem(t, 429, "rate_limited")
	login(t, url, "auditor") // other accounts are not locked
}

func TestLoginLimitPerSourceAcrossUsernames(t *testing.T) {
	url := startGateway(t, map[string]string{"GATEWAY_LOGIN_SOURCE_RATE": "4"}, platform.Options{})
	refused := 0
	for i := range 10 {
		r := call(t, http.MethodPost, url+"/api/v1/auth/login", "", `{"username":"user`+string(rune('a'+i))+`","password":"wrong-password"}`)
		if r.status == http.StatusTooManyRequests {
			refused++
		}
	}
	// Calendar-minute windows: at most two windows' worth (8) get through.
	if refused < 2 {
		t.Fatalf("ten usernames from one address: %d refused, want at least 2", refused)
	}
}

func TestProxyBodyLimitsAndReadiness(t *testing.T) {
	var hits atomic.Int64
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/readyz" {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"not ready","checks":{"mongo":"dial tcp 10.0.0.7:27017: connection refused"}}`))
			return
		}
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(upstream.Close)
	url := startGateway(t, map[string]string{"QUOTA_URL": upstream.URL, "GATEWAY_BATCH_MAX_BODY_BYTES": "1048576"}, platform.Options{})
	hr := login(t, url, "unit_hr")

	post := func(path string, n int) reply {
		body := []byte(`{"pad":"` + strings.Repeat("x", n) + `"}`)
		req, _ := http.NewRequest(http.MethodPost, url+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+hr.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		return reply{status: resp.StatusCode, header: resp.Header, body: buf.Bytes()}
	}
	post("/api/quota/v1/incumbents", 10<<20).problem(t, 413, "body_too_large")
	post("/api/quota/v1/incumbents/batch", 2<<20).problem(t, 413, "body_too_large")
	if hits.Load() != 0 {
		t.Fatal("an oversized body reached the service")
	}
	if r := post("/api/quota/v1/incumbents/batch", 500<<10); r.status != 201 {
		t.Fatalf("500 KiB batch: %d %s", r.status, r.body)
	}
	if r := post("/api/quota/v1/incumbents", 30<<10); r.status != 201 {
		t.Fatalf("30 KiB record: %d %s", r.status, r.body)
	}

	r := call(t, http.MethodGet, url+"/api/quota/readyz", "", "")
	if r.status != http.StatusServiceUnavailable || strings.Contains(string(r.body), "mongo") || !strings.Contains(string(r.body), "not ready") {
		t.Fatalf("readiness through the gateway must be the verdict only: %d %s", r.status, r.body)
	}
}

// TestARestoredDatabaseDoesNotLockAccountsOut: Redis holds a higher session version than the
// database (the database was restored from a backup, or Redis served another installation). The
// gateway's start lowers it to the database's, so the tokens it issues are accepted.
func TestARestoredDatabaseDoesNotLockAccountsOut(t *testing.T) {
	prefix := testkit.KeyPrefix(t) + "sessver:"
	rdb := redis.NewClient(&redis.Options{Addr: testkit.RedisAddr(t)})
	t.Cleanup(func() { _ = rdb.Close() })
	if err := rdb.Set(context.Background(), prefix+"city_admin", 99, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	url := startGateway(t, map[string]string{"AUTH_SESSION_KEY_PREFIX": prefix}, platform.Options{})
	admin := login(t, url, "city_admin")
	if r := call(t, http.MethodGet, url+"/api/v1/auth/me", admin.Token, ""); r.status != 200 {
		t.Fatalf("a fresh token after a restore: %d %s", r.status, r.body)
	}
}

package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	enforcement "github.com/bianzhi/bianzhi/services/enforcement/inproc"
)

// closedURL is an address where nothing listens: a service that is down.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

// TestProxyToEnforcement runs the real enforcement service, which verifies tokens with the keys the
// gateway publishes, fetched over HTTP as in Kubernetes.
func TestProxyToEnforcement(t *testing.T) {
	// The service must know the JWKS URL before the gateway's port exists; a redirect bridges it.
	var gatewayURL atomic.Value
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, gatewayURL.Load().(string)+"/api/v1/auth/jwks", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(jwks.Close)
	svc, err := enforcement.Start(context.Background(), testkit.Env(t, map[string]string{"AUTH_JWKS_URL": jwks.URL}),
		platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svcURL := testkit.StartApp(t, svc)
	url := startGateway(t, map[string]string{"ENFORCEMENT_URL": svcURL, "QUOTA_URL": closedURL(t)}, platform.Options{})
	gatewayURL.Store(url)

	hr := login(t, url, "unit_hr")
	r := call(t, http.MethodGet, url+"/api/enforcement/v1/whoami", hr.Token, "")
	var id struct {
		Service, Subject, Name string
		Roles, Units           []string
	}
	r.json(t, &id)
	if r.status != 200 || id.Service != "enforcement" || id.Subject != "unit_hr" || id.Name != "单位人事专员" ||
		len(id.Units) != 1 || id.Units[0] != "demo-unit-hr" {
		t.Fatalf("whoami through the gateway: %d %s", r.status, r.body)
	}

	cases := []struct {
		name, path, token string
		status            int
		code              string // empty: not a problem
	}{
		{"no token", "/api/enforcement/v1/whoami", "", 401, "unauthenticated"},
		{"foreign token", "/api/enforcement/v1/whoami", testkit.NewTokens(t).CityAdmin(t), 401, "unauthenticated"},
		{"health needs no token", "/api/enforcement/healthz", "", 200, ""},
		{"readiness needs no token", "/api/enforcement/readyz", "", 200, ""},
		{"metrics stay inside", "/api/enforcement/metrics", hr.Token, 404, "not_found"},
		{"dot segments", "/api/enforcement/v1/../metrics", hr.Token, 404, "not_found"},
		{"unknown service", "/api/nosuch/v1/whoami", hr.Token, 404, "not_found"},
		{"service route the service lacks", "/api/enforcement/v1/nosuch", hr.Token, 404, "not_found"},
		{"service down", "/api/quota/healthz", "", 503, "unavailable"},
		{"service down, with token", "/api/quota/v1/whoami", hr.Token, 503, "unavailable"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := rawGet(t, url+tc.path, tc.token)
			if tc.code != "" {
				r.problem(t, tc.status, tc.code)
				return
			}
			if r.status != tc.status {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
		})
	}
}

// rawGet sends the path as written (no client-side cleaning of dot segments).
func rawGet(t *testing.T, url, token string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = "//" + req.URL.Host + req.URL.Path
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}

// seen is what an upstream received.
type seen struct {
	Method, Path, Query, Body           string
	Auth, RequestID, Traceparent        string
	ForwardedFor, ForwardedHost, Scheme string
}

// recorder is an upstream that remembers its requests and answers 201 with a JSON echo.
func recorder(t *testing.T) (*httptest.Server, func() []seen) {
	t.Helper()
	var mu sync.Mutex
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s := seen{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: string(body),
			Auth: r.Header.Get("Authorization"), RequestID: r.Header.Get("X-Request-ID"),
			Traceparent: r.Header.Get("Traceparent"), ForwardedFor: r.Header.Get("X-Forwarded-For"),
			ForwardedHost: r.Header.Get("X-Forwarded-Host"), Scheme: r.Header.Get("X-Forwarded-Proto")}
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-ID", "upstream-should-not-leak")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(s)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []seen {
		mu.Lock()
		defer mu.Unlock()
		return append([]seen(nil), got...)
	}
}

func TestProxyForwardsIdentityRequestIDAndTrace(t *testing.T) {
	up, received := recorder(t)
	spans := tracetest.NewSpanRecorder()
	url := startGateway(t, map[string]string{"UNITS_URL": up.URL},
		platform.Options{SpanProcessors: []sdktrace.SpanProcessor{spans}})
	admin := login(t, url, "city_admin")

	// The gateway itself refuses a missing token: the request never reaches the service.
	call(t, http.MethodGet, url+"/api/units/v1/units", "", "").problem(t, 401, "unauthenticated")
	if n := len(received()); n != 0 {
		t.Fatalf("an unauthenticated request reached the service (%d)", n)
	}

	r := call(t, http.MethodPost, url+"/api/units/v1/units/U-7/rename?dryRun=true", admin.Token, `{"name":"新名称"}`,
		"X-Request-ID", "req-proxy-1")
	if r.status != http.StatusCreated {
		t.Fatalf("proxied POST: %d %s", r.status, r.body)
	}
	if ids := r.header.Values("X-Request-ID"); len(ids) != 1 || ids[0] != "req-proxy-1" {
		t.Fatalf("the caller got request IDs %v", ids)
	}
	got := received()
	if len(got) != 1 {
		t.Fatalf("upstream saw %d requests", len(got))
	}
	s := got[0]
	if s.Method != "POST" || s.Path != "/v1/units/U-7/rename" || s.Query != "dryRun=true" || s.Body != `{"name":"新名称"}` ||
		s.Auth != "Bearer "+admin.Token || s.RequestID != "req-proxy-1" || s.ForwardedFor != "127.0.0.1" ||
		s.ForwardedHost == "" || s.Scheme != "http" {
		t.Fatalf("upstream saw %+v", s)
	}
	// The service's span would be a child of the gateway's: the traceparent names a gateway span.
	parts := strings.Split(s.Traceparent, "-")
	if len(parts) != 4 {
		t.Fatalf("traceparent %q", s.Traceparent)
	}
	found := false
	for _, sp := range spans.Ended() {
		if sp.SpanContext().TraceID().String() == parts[1] && sp.SpanContext().SpanID().String() == parts[2] {
			found = true
		}
	}
	if !found {
		t.Fatalf("traceparent %s names no span the gateway made", s.Traceparent)
	}
}

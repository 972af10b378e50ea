package testkit

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"
)

// Starter is every service's inproc.Start.
type Starter func(ctx context.Context, env map[string]string, opts platform.Options) (httpserver.Runner, error)

// SmokeService is the component smoke test every service runs: on the real store, Redis and tokens it
// starts, answers /readyz, refuses an unauthenticated /v1 call with a 401 problem, answers an
// authenticated /v1/whoami as itself, and counts that request by route template in /metrics.
func SmokeService(t *testing.T, service string, start Starter) {
	t.Helper()
	app, err := start(context.Background(), Env(t, nil), platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	url := StartApp(t, app)

	if code, _, _ := call(t, url+"/readyz", ""); code != http.StatusOK {
		t.Fatalf("readyz: %d", code)
	}
	code, ct, _ := call(t, url+"/v1/whoami", "")
	if code != http.StatusUnauthorized || !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("unauthenticated call: %d %s", code, ct)
	}
	code, _, body := call(t, url+"/v1/whoami", NewTokens(t).CityAdmin(t))
	var id struct{ Service string }
	_ = json.Unmarshal(body, &id)
	if code != http.StatusOK || id.Service != service {
		t.Fatalf("authenticated whoami: %d %s", code, body)
	}
	_, _, metrics := call(t, url+"/metrics", "")
	want := `bianzhi_http_requests_total{method="GET",route="/v1/whoami",service="` + service + `",status="200"} 1`
	if !strings.Contains(string(metrics), want) {
		t.Fatalf("metrics lack %s:\n%s", want, metrics)
	}
}

func call(t *testing.T, url, token string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// Package e2e tests the whole platform as people and operators meet it: every service running
// in-process on its own port behind the gateway, talking real HTTP to each other, on embedded FerretDB.
package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/bianzhi/bianzhi/deploy/local/stack"
	"github.com/bianzhi/bianzhi/pkg/testkit"
)

var services = []string{"units", "quota", "talent", "enforcement", "eduhealth"}

// startStack runs the local stack on free ports with spans captured in memory.
func startStack(t *testing.T) (*stack.Stack, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	s, err := stack.Start(context.Background(), stack.Options{
		DataDir:        t.TempDir(),
		RedisAddr:      testkit.RedisAddr(t),
		SpanProcessors: []sdktrace.SpanProcessor{rec},
		LogLevel:       "warn",
		LogOutput:      logOutput(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s, rec
}

func logOutput() io.Writer {
	if os.Getenv("E2E_LOGS") != "" {
		return os.Stderr
	}
	return nil
}

// login signs in at the gateway as a demo account and returns the token.
func login(t *testing.T, s *stack.Stack, user string) string {
	t.Helper()
	tok, err := s.Login(context.Background(), user, stack.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func get(t *testing.T, url, token string) (*http.Response, []byte) {
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
	return resp, b
}

func TestPlatformThroughTheGateway(t *testing.T) {
	s, rec := startStack(t)
	gw := s.Gateway

	if resp, _ := get(t, gw+"/healthz", ""); resp.StatusCode != 200 {
		t.Fatalf("gateway healthz: %d", resp.StatusCode)
	}
	for _, svc := range services {
		resp, body := get(t, gw+"/api/"+svc+"/healthz", "")
		if resp.StatusCode != 200 || !strings.Contains(string(body), svc) {
			t.Errorf("%s health through the gateway: %d %s", svc, resp.StatusCode, body)
		}
	}

	resp, body := get(t, gw+"/api/quota/v1/whoami", "")
	if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") ||
		!strings.Contains(string(body), `"unauthenticated"`) {
		t.Fatalf("unauthenticated call: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	token := login(t, s, "city_admin")
	for _, svc := range services {
		resp, body := get(t, gw+"/api/"+svc+"/v1/whoami", token)
		var id struct {
			Service string   `json:"service"`
			Roles   []string `json:"roles"`
		}
		_ = json.Unmarshal(body, &id)
		if resp.StatusCode != 200 || id.Service != svc || len(id.Roles) == 0 || id.Roles[0] != "city_admin" {
			t.Errorf("%s whoami through the gateway: %d %s", svc, resp.StatusCode, body)
		}
	}

	// One trace spans gateway → service: the quota service's server span continues the gateway's trace.
	traceOf := map[string]map[string]bool{}
	for _, sp := range rec.Ended() {
		svc := ""
		for _, kv := range sp.Resource().Attributes() {
			if kv.Key == "service.name" {
				svc = kv.Value.AsString()
			}
		}
		id := sp.SpanContext().TraceID().String()
		if traceOf[id] == nil {
			traceOf[id] = map[string]bool{}
		}
		traceOf[id][svc] = true
	}
	joined := false
	for _, svcs := range traceOf {
		if svcs["gateway"] && svcs["quota"] {
			joined = true
		}
	}
	if !joined {
		t.Fatalf("no trace holds spans of both gateway and quota: %v", traceOf)
	}
}

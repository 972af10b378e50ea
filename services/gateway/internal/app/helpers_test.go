package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/gateway/internal/app"
	"github.com/bianzhi/bianzhi/services/gateway/internal/config"
)

// startGateway runs a gateway with the demo accounts on a fresh database and returns its URL.
func startGateway(t *testing.T, extra map[string]string, opts platform.Options) string {
	t.Helper()
	url, _ := startGatewayInternal(t, extra, opts)
	return url
}

// startGatewayInternal is startGateway that also returns the internal listener's URL.
func startGatewayInternal(t *testing.T, extra map[string]string, opts platform.Options) (string, string) {
	t.Helper()
	env := map[string]string{
		"GATEWAY_SIGNING_KEY_FILE": filepath.Join(t.TempDir(), "gateway-key.pem"),
		"GATEWAY_CREATE_KEY":       "true",
		"GATEWAY_SEED_ACCOUNTS":    "true",
		"GATEWAY_INTERNAL_ADDR":    "127.0.0.1:0",
	}
	for k, v := range extra {
		env[k] = v
	}
	cfg, err := config.Load(testkit.Env(t, env))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return testkit.StartApp(t, a), "http://" + a.InternalAddr()
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// problem checks that r is a problem+json answer with status and code, and returns its members.
func (r reply) problem(t *testing.T, status int, code string) map[string]any {
	t.Helper()
	if r.status != status || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("want %d problem+json, got %d %s: %s", status, r.status, r.header.Get("Content-Type"), r.body)
	}
	var p map[string]any
	r.json(t, &p)
	if p["code"] != code {
		t.Fatalf("want code %s, got %v", code, p)
	}
	return p
}

func call(t *testing.T, method, url, token, body string, header ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: buf.Bytes()}
}

type loginReply struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	User      struct {
		Username string   `json:"username"`
		Name     string   `json:"name"`
		Roles    []string `json:"roles"`
		Region   string   `json:"region"`
		Units    []string `json:"units"`
	} `json:"user"`
}

const demoPassword = "Bianzhi@2026"

func login(t *testing.T, url, username string) loginReply {
	t.Helper()
	r := call(t, http.MethodPost, url+"/api/v1/auth/login", "", `{"username":"`+username+`","password":"`+demoPassword+`"}`)
	if r.status != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	var out loginReply
	r.json(t, &out)
	return out
}

// eventually polls cond until it holds or 15 seconds pass; the audit writer stores asynchronously.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s did not happen", what)
}

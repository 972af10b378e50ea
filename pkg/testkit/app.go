package testkit

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
)

func jwtSubject(s string) jwt.RegisteredClaims { return jwt.RegisteredClaims{Subject: s} }

// Env returns the environment a service under test needs: a loopback port, a fresh database on the
// shared FerretDB, the test Redis and the test JWKS. extra entries override.
func Env(tb testing.TB, extra map[string]string) map[string]string {
	tb.Helper()
	env := map[string]string{
		"HTTP_ADDR":      "127.0.0.1:0",
		"MONGO_URI":      MongoURI(tb),
		"MONGO_DATABASE": DatabaseName(tb),
		// Session versions of one test's accounts stay out of every other test's way.
		"AUTH_SESSION_KEY_PREFIX": "test:" + DatabaseName(tb) + ":sessver:",
		"REDIS_ADDR":              RedisAddr(tb),
		"AUTH_JWKS_URL":           NewTokens(tb).JWKSURL,
		"LOG_LEVEL":               "warn",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// StartApp runs app until the test ends and returns its base URL once /healthz answers.
func StartApp(tb testing.TB, app httpserver.Runner) string {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	url := "http://" + app.Addr()
	tb.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, context.Canceled) {
				tb.Errorf("service stopped with: %v", err)
			}
		case <-time.After(20 * time.Second):
			tb.Errorf("service did not stop")
		}
		cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer ccancel()
		_ = app.Close(cctx)
	})
	WaitHealthy(tb, url)
	return url
}

// WaitHealthy polls url/healthz until it answers 200 or 20 seconds pass.
func WaitHealthy(tb testing.TB, url string) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatalf("%s/healthz did not answer", url)
}

package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/units/internal/app"
	"github.com/bianzhi/bianzhi/services/units/internal/config"
)

// TestServiceStartsAndGuardsItsAPI is the component smoke test: the real store, Redis and tokens.
func TestServiceStartsAndGuardsItsAPI(t *testing.T) {
	cfg, err := config.Load(testkit.Env(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	url := testkit.StartApp(t, a)

	resp, err := http.Get(url + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", err, resp)
	}
	resp, err = http.Get(url + "/v1/whoami")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 401 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("unauthenticated call: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	req, _ := http.NewRequest(http.MethodGet, url+"/v1/whoami", nil)
	req.Header.Set("Authorization", "Bearer "+testkit.NewTokens(t).CityAdmin(t))
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("authenticated call: %v %v", err, resp)
	}
	var id struct{ Service string }
	_ = json.NewDecoder(resp.Body).Decode(&id)
	if id.Service != "units" {
		t.Fatalf("whoami answered %+v", id)
	}
	resp, err = http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	var body strings.Builder
	buf := make([]byte, 1<<16)
	for {
		n, rerr := resp.Body.Read(buf)
		body.Write(buf[:n])
		if rerr != nil {
			break
		}
	}
	if !strings.Contains(body.String(), `bianzhi_http_requests_total{method="GET",route="/v1/whoami",service="units",status="200"} 1`) {
		t.Fatalf("metrics lack the whoami request:\n%s", body.String())
	}
}

package app_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/gateway/internal/app"
	"github.com/bianzhi/bianzhi/services/gateway/internal/config"
)

func TestSigningKey(t *testing.T) {
	t.Run("missing and not to be created", func(t *testing.T) {
		cfg, err := config.Load(testkit.Env(t, map[string]string{
			"GATEWAY_SIGNING_KEY_FILE": filepath.Join(t.TempDir(), "absent.pem")}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.New(context.Background(), cfg, platform.Options{}); err == nil ||
			!strings.Contains(err.Error(), "GATEWAY_SIGNING_KEY_FILE") {
			t.Fatalf("New = %v, want an error naming GATEWAY_SIGNING_KEY_FILE", err)
		}
	})
	t.Run("created once and kept across restarts", func(t *testing.T) {
		key := filepath.Join(t.TempDir(), "data", "gateway-key.pem")
		kid := func() string {
			url := startGateway(t, map[string]string{"GATEWAY_SIGNING_KEY_FILE": key}, platform.Options{})
			var set auth.JWKS
			call(t, http.MethodGet, url+"/api/v1/auth/jwks", "", "").json(t, &set)
			if len(set.Keys) != 1 || set.Keys[0].Kid == "" {
				t.Fatalf("jwks %+v", set)
			}
			return set.Keys[0].Kid
		}
		if a, b := kid(), kid(); a != b {
			t.Fatalf("restart changed the key: %s → %s", a, b)
		}
	})
}

package config

import (
	"strings"
	"testing"
)

type svcConfig struct {
	Common
	QuotaURL string `env:"QUOTA_URL" envDefault:"http://quota:8080"`
}

func (c *svcConfig) Validate() error { return c.Common.Validate() }

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	var c svcConfig
	if err := Load("units", map[string]string{}, &c); err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != ":8080" || c.MongoDatabase != "units" || c.Service != "units" || c.QuotaURL != "http://quota:8080" {
		t.Fatalf("defaults not applied: %+v", c)
	}
}

func TestLoadRefusesBadValuesNamingTheVariable(t *testing.T) {
	t.Parallel()
	cases := map[string]map[string]string{
		"REDIS_DB":         {"REDIS_DB": "two"},
		"SHUTDOWN_TIMEOUT": {"SHUTDOWN_TIMEOUT": "soon"},
		"MONGO_URI":        {"MONGO_URI": "postgres://x"},
		"LOG_LEVEL":        {"LOG_LEVEL": "loud"},
		"AUTH_JWKS_URL":    {"AUTH_JWKS_URL": "not a url"},
		"HTTP_ADDR":        {"HTTP_ADDR": "8080"},
		"MAX_BODY_BYTES":   {"MAX_BODY_BYTES": "10"},
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var c svcConfig
			err := Load("units", env, &c)
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("want an error naming %s, got %v", name, err)
			}
		})
	}
}

package config

import (
	"strings"
	"testing"
	"time"
)

func base() map[string]string {
	return map[string]string{"GATEWAY_SIGNING_KEY_FILE": "/secrets/gateway.pem"}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(base())
	if err != nil {
		t.Fatal(err)
	}
	if c.TokenTTL != 30*time.Minute || c.LoginRate != 10 || c.CreateKey || c.SeedAccounts || c.MongoDatabase != "gateway" ||
		c.Upstreams()["enforcement"] != "http://enforcement:8080" || len(c.Upstreams()) != 5 {
		t.Fatalf("defaults %+v", c)
	}
	if s, err := c.Secrets(); err != nil || len(s) != 0 {
		t.Fatalf("secrets %v %v", s, err)
	}
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		set      map[string]string
		variable string
	}{
		{"no key file", map[string]string{"GATEWAY_SIGNING_KEY_FILE": ""}, "GATEWAY_SIGNING_KEY_FILE"},
		{"TTL too short", map[string]string{"GATEWAY_TOKEN_TTL": "10s"}, "GATEWAY_TOKEN_TTL"},
		{"TTL above the 8 h cap", map[string]string{"GATEWAY_TOKEN_TTL": "9h"}, "GATEWAY_TOKEN_TTL"},
		{"ops without a service", map[string]string{"GATEWAY_SERVICE_OPS": "talent=holds"}, "GATEWAY_SERVICE_OPS"},
		{"internal on the public port", map[string]string{"GATEWAY_INTERNAL_ADDR": ":8080"}, "GATEWAY_INTERNAL_ADDR"},
		{"TTL not a duration", map[string]string{"GATEWAY_TOKEN_TTL": "half an hour"}, "GATEWAY_TOKEN_TTL"},
		{"zero login rate", map[string]string{"GATEWAY_LOGIN_RATE": "0"}, "GATEWAY_LOGIN_RATE"},
		{"create key not a bool", map[string]string{"GATEWAY_CREATE_KEY": "sure"}, "GATEWAY_CREATE_KEY"},
		{"secret without name", map[string]string{"GATEWAY_SERVICE_SECRETS": ":0123456789abcdef"}, "GATEWAY_SERVICE_SECRETS"},
		{"short secret", map[string]string{"GATEWAY_SERVICE_SECRETS": "quota:short"}, "GATEWAY_SERVICE_SECRETS"},
		{"repeated service", map[string]string{"GATEWAY_SERVICE_SECRETS": "q:0123456789abcdef,q:0123456789abcdeg"}, "GATEWAY_SERVICE_SECRETS"},
		{"bad proxy CIDR", map[string]string{"GATEWAY_TRUSTED_PROXIES": "10.0.0.0/33"}, "GATEWAY_TRUSTED_PROXIES"},
		{"bad service URL", map[string]string{"QUOTA_URL": "quota:8080"}, "QUOTA_URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := base()
			for k, v := range tc.set {
				env[k] = v
			}
			_, err := Load(env)
			if err == nil || !strings.Contains(err.Error(), tc.variable) {
				t.Fatalf("err = %v, want one naming %s", err, tc.variable)
			}
		})
	}
}

func TestSecretsStayOutOfErrors(t *testing.T) {
	t.Parallel()
	env := base()
	env["GATEWAY_SERVICE_SECRETS"] = "quota-jobs:0123456789abcdef,talent-secret-without-colon"
	_, err := Load(env)
	if err == nil || strings.Contains(err.Error(), "0123456789abcdef") || strings.Contains(err.Error(), "secret-without-colon") {
		t.Fatalf("err = %v", err)
	}
}

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	env := base()
	env["GATEWAY_TRUSTED_PROXIES"] = "10.0.0.0/8, 192.168.1.7"
	c, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := c.Proxies(); len(p) != 2 || p[1] != "192.168.1.7" {
		t.Fatalf("proxies %v", p)
	}
}

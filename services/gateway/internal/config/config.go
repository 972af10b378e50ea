// Package config is the gateway's configuration, read from environment variables.
package config

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/config"
)

// Config is everything the gateway reads at start. AUTH_JWKS_URL from Common is unused: the gateway
// verifies tokens with its own key.
type Config struct {
	config.Common
	SigningKeyFile string        `env:"GATEWAY_SIGNING_KEY_FILE"`
	CreateKey      bool          `env:"GATEWAY_CREATE_KEY" envDefault:"false"`
	TokenTTL       time.Duration `env:"GATEWAY_TOKEN_TTL" envDefault:"30m"`
	SeedAccounts   bool          `env:"GATEWAY_SEED_ACCOUNTS" envDefault:"false"`
	DemoUnit       string        `env:"GATEWAY_DEMO_UNIT" envDefault:"demo-unit-hr"` // the demo HR officer's unit
	LoginRate      int           `env:"GATEWAY_LOGIN_RATE" envDefault:"10"`
	// LoginSourceRate bounds login attempts per client IP per minute, whatever the usernames.
	LoginSourceRate int `env:"GATEWAY_LOGIN_SOURCE_RATE" envDefault:"30"`
	// ServiceSecrets is name:secret,name:secret; empty disables service tokens.
	ServiceSecrets string `env:"GATEWAY_SERVICE_SECRETS"`
	// ServiceOps names the operations each service client's tokens may call:
	// name=op op ...;name=op ... (a client not listed gets a token that names none).
	ServiceOps string `env:"GATEWAY_SERVICE_OPS" envDefault:"talent=quota:accounts quota:holds quota:hires quota:transfers"`
	// InternalAddr is the in-cluster listener of the service-token grant: it is never behind the
	// ingress, so client credentials cannot be tried from outside.
	InternalAddr string `env:"GATEWAY_INTERNAL_ADDR" envDefault:":8081"`
	// BatchMaxBodyBytes bounds bodies proxied to the services' batch routes (paths with a /batch
	// segment); every other proxied route gets MAX_BODY_BYTES, the gateway's own default.
	BatchMaxBodyBytes int64 `env:"GATEWAY_BATCH_MAX_BODY_BYTES" envDefault:"16777216"`
	// TrustedProxies lists the CIDRs whose X-Forwarded-For the gateway believes (an ingress); empty
	// trusts none, so the client IP is the peer address and cannot be spoofed past the rate limit.
	TrustedProxies string `env:"GATEWAY_TRUSTED_PROXIES"`

	UnitsURL       string `env:"UNITS_URL" envDefault:"http://units:8080"`
	QuotaURL       string `env:"QUOTA_URL" envDefault:"http://quota:8080"`
	TalentURL      string `env:"TALENT_URL" envDefault:"http://talent:8080"`
	EnforcementURL string `env:"ENFORCEMENT_URL" envDefault:"http://enforcement:8080"`
	EduhealthURL   string `env:"EDUHEALTH_URL" envDefault:"http://eduhealth:8080"`
}

// minSecretLen keeps service secrets out of guessing range.
const minSecretLen = 16

// Upstreams maps each service the gateway fronts to its base URL.
func (c *Config) Upstreams() map[string]string {
	return map[string]string{
		"units": c.UnitsURL, "quota": c.QuotaURL, "talent": c.TalentURL,
		"enforcement": c.EnforcementURL, "eduhealth": c.EduhealthURL,
	}
}

// Secrets parses GATEWAY_SERVICE_SECRETS into service name → secret.
func (c *Config) Secrets() (map[string]string, error) {
	out := map[string]string{}
	if strings.TrimSpace(c.ServiceSecrets) == "" {
		return out, nil
	}
	for _, part := range strings.Split(c.ServiceSecrets, ",") {
		name, secret, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || name == "" {
			return nil, fmt.Errorf("GATEWAY_SERVICE_SECRETS: entry %q: want name:secret", redact(part))
		}
		if len(secret) < minSecretLen {
			return nil, fmt.Errorf("GATEWAY_SERVICE_SECRETS: secret of %q: want at least %d characters", name, minSecretLen)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("GATEWAY_SERVICE_SECRETS: %q appears twice", name)
		}
		out[name] = secret
	}
	return out, nil
}

// Ops parses GATEWAY_SERVICE_OPS into service name → the operations its tokens name.
func (c *Config) Ops() (map[string][]string, error) {
	out := map[string][]string{}
	for _, part := range strings.Split(c.ServiceOps, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, ops, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("GATEWAY_SERVICE_OPS: entry %q: want name=op op (space-separated operations)", part)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("GATEWAY_SERVICE_OPS: %q appears twice", name)
		}
		list := strings.Fields(ops)
		for _, op := range list {
			if svc, what, ok := strings.Cut(op, ":"); !ok || svc == "" || what == "" {
				return nil, fmt.Errorf("GATEWAY_SERVICE_OPS: operation %q of %q: want service:operation", op, name)
			}
		}
		out[name] = list
	}
	return out, nil
}

// Proxies parses GATEWAY_TRUSTED_PROXIES.
func (c *Config) Proxies() ([]string, error) {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, aerr := netip.ParseAddr(p); aerr != nil {
				return nil, fmt.Errorf("GATEWAY_TRUSTED_PROXIES: %q: want a CIDR or an IP", p)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// redact keeps secrets out of error messages.
func redact(entry string) string {
	if name, _, ok := strings.Cut(entry, ":"); ok {
		return name + ":…"
	}
	if len(entry) > 4 {
		return entry[:4] + "…"
	}
	return entry
}

// Validate refuses a configuration the gateway cannot run with, naming the variable at fault.
func (c *Config) Validate() error {
	errs := []error{c.Common.Validate()}
	if c.SigningKeyFile == "" {
		errs = append(errs, errors.New("GATEWAY_SIGNING_KEY_FILE: required (a PKCS#8 PEM Ed25519 key)"))
	}
	if c.TokenTTL < time.Minute || c.TokenTTL > auth.MaxTokenLifetime {
		errs = append(errs, fmt.Errorf("GATEWAY_TOKEN_TTL=%s: want between 1m and %s", c.TokenTTL, auth.MaxTokenLifetime))
	}
	if c.LoginRate < 1 || c.LoginRate > 10000 {
		errs = append(errs, fmt.Errorf("GATEWAY_LOGIN_RATE=%d: want 1..10000 attempts per minute", c.LoginRate))
	}
	if c.LoginSourceRate < 1 || c.LoginSourceRate > 100000 {
		errs = append(errs, fmt.Errorf("GATEWAY_LOGIN_SOURCE_RATE=%d: want 1..100000 attempts per minute", c.LoginSourceRate))
	}
	if _, err := c.Ops(); err != nil {
		errs = append(errs, err)
	}
	if c.InternalAddr == "" || !strings.Contains(c.InternalAddr, ":") || (c.InternalAddr == c.HTTPAddr && !strings.HasSuffix(c.HTTPAddr, ":0")) {
		errs = append(errs, fmt.Errorf("GATEWAY_INTERNAL_ADDR=%q: want host:port, other than HTTP_ADDR", c.InternalAddr))
	}
	if c.BatchMaxBodyBytes < c.MaxBodyBytes {
		errs = append(errs, fmt.Errorf("GATEWAY_BATCH_MAX_BODY_BYTES=%d: want at least MAX_BODY_BYTES (%d)", c.BatchMaxBodyBytes, c.MaxBodyBytes))
	}
	if _, err := c.Secrets(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.Proxies(); err != nil {
		errs = append(errs, err)
	}
	for _, v := range []struct{ name, url string }{
		{"UNITS_URL", c.UnitsURL}, {"QUOTA_URL", c.QuotaURL}, {"TALENT_URL", c.TalentURL},
		{"ENFORCEMENT_URL", c.EnforcementURL}, {"EDUHEALTH_URL", c.EduhealthURL},
	} {
		if err := config.CheckURL(v.name, v.url); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Load reads the configuration from env, or from the process environment when env is nil.
func Load(env map[string]string) (Config, error) {
	var c Config
	err := config.Load("gateway", env, &c)
	return c, err
}

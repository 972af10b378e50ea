// Package config loads a service's typed configuration from environment variables (the same
// variables in Kubernetes and in the local stack) and refuses to start on a bad value, naming the
// variable at fault.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Common is the part of every service's configuration that pkg/ consumes.
type Common struct {
	Service       string `env:"-"`
	HTTPAddr      string `env:"HTTP_ADDR" envDefault:":8080"`
	MongoURI      string `env:"MONGO_URI" envDefault:"mongodb://127.0.0.1:27017"`
	MongoDatabase string `env:"MONGO_DATABASE"`
	RedisAddr     string `env:"REDIS_ADDR" envDefault:"127.0.0.1:6379"`
	RedisPassword string `env:"REDIS_PASSWORD"`
	RedisDB       int    `env:"REDIS_DB" envDefault:"0"`
	JWKSURL       string `env:"AUTH_JWKS_URL" envDefault:"http://gateway:8080/api/v1/auth/jwks"`
	// SessionKeyPrefix is where the gateway publishes account session versions in Redis (revocation).
	SessionKeyPrefix string        `env:"AUTH_SESSION_KEY_PREFIX" envDefault:"bianzhi:sessver:"`
	OTLPEndpoint     string        `env:"OTEL_EXPORTER_OTLP_ENDPOINT"`
	LogLevel         string        `env:"LOG_LEVEL" envDefault:"info"`
	ShutdownTimeout  time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"15s"`
	MaxBodyBytes     int64         `env:"MAX_BODY_BYTES" envDefault:"65536"`
}

// Validate checks the common settings; each message names the variable.
func (c *Common) Validate() error {
	var errs []error
	if c.HTTPAddr == "" || !strings.Contains(c.HTTPAddr, ":") {
		errs = append(errs, fmt.Errorf("HTTP_ADDR=%q: want host:port, e.g. :8080", c.HTTPAddr))
	}
	if !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
		errs = append(errs, fmt.Errorf("MONGO_URI: want a mongodb:// or mongodb+srv:// URI"))
	}
	if c.MongoDatabase == "" || strings.ContainsAny(c.MongoDatabase, "/\\. \"$") {
		errs = append(errs, fmt.Errorf("MONGO_DATABASE=%q: want a plain database name", c.MongoDatabase))
	}
	if c.RedisAddr == "" || !strings.Contains(c.RedisAddr, ":") {
		errs = append(errs, fmt.Errorf("REDIS_ADDR=%q: want host:port", c.RedisAddr))
	}
	if c.RedisDB < 0 || c.RedisDB > 15 {
		errs = append(errs, fmt.Errorf("REDIS_DB=%d: want 0..15", c.RedisDB))
	}
	if err := checkURL("AUTH_JWKS_URL", c.JWKSURL, true); err != nil {
		errs = append(errs, err)
	}
	if c.OTLPEndpoint != "" {
		if err := checkURL("OTEL_EXPORTER_OTLP_ENDPOINT", c.OTLPEndpoint, true); err != nil {
			errs = append(errs, err)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", c.LogLevel))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("SHUTDOWN_TIMEOUT=%s: want a positive duration", c.ShutdownTimeout))
	}
	if c.MaxBodyBytes < 1024 {
		errs = append(errs, fmt.Errorf("MAX_BODY_BYTES=%d: want at least 1024", c.MaxBodyBytes))
	}
	return errors.Join(errs...)
}

// CheckURL reports whether value is an absolute http(s) URL; name is the variable for the message.
func CheckURL(name, value string) error { return checkURL(name, value, true) }

func checkURL(name, value string, required bool) error {
	if value == "" {
		if required {
			return fmt.Errorf("%s: required", name)
		}
		return nil
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s=%q: want an http(s) URL", name, value)
	}
	return nil
}

// Validator is implemented by service configs.
type Validator interface{ Validate() error }

// Load fills dst (a pointer to a struct with `env` tags, usually embedding Common) from lookup, or from
// the process environment when lookup is nil, then runs its Validate. The service name becomes the
// default database name.
func Load[T Validator](service string, lookup map[string]string, dst T) error {
	opts := env.Options{}
	if lookup != nil {
		opts.Environment = lookup
	} else {
		opts.Environment = envMap()
	}
	if err := env.ParseWithOptions(dst, opts); err != nil {
		return fmt.Errorf("config of %s: %w", service, nameVariables(dst, err))
	}
	if c, ok := any(dst).(interface{ common() *Common }); ok {
		cm := c.common()
		cm.Service = service
		if cm.MongoDatabase == "" {
			cm.MongoDatabase = service
		}
	}
	if err := dst.Validate(); err != nil {
		return fmt.Errorf("config of %s: %w", service, err)
	}
	return nil
}

func (c *Common) common() *Common { return c }

// nameVariables rewrites env's parse errors, which name the Go field, to name the variable an
// operator sets.
func nameVariables(dst any, err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return err
	}
	keys := map[string]string{}
	collectKeys(reflect.TypeOf(dst), keys)
	var out []error
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			if key, ok := keys[pe.Name]; ok {
				out = append(out, fmt.Errorf("%s: cannot parse as %s: %w", key, pe.Type, pe.Err))
				continue
			}
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

func collectKeys(t reflect.Type, keys map[string]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if key := strings.SplitN(f.Tag.Get("env"), ",", 2)[0]; key != "" && key != "-" {
			keys[f.Name] = key
			continue
		}
		if f.Type.Kind() == reflect.Struct || (f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct) {
			collectKeys(f.Type, keys)
		}
	}
}

func envMap() map[string]string {
	m := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

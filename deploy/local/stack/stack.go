// Package stack runs the whole Bianzhi platform in one process: an embedded FerretDB (SQLite files in
// the data folder), a Redis-compatible server unless one is given, and every service on its own
// loopback port with the gateway in front. Services still talk to each other over HTTP exactly as in
// Kubernetes; only the process boundary is gone. The e2e tests start the same stack.
package stack

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"
)

// Options configures a stack.
type Options struct {
	// DataDir keeps the database files and the gateway's signing key between starts.
	DataDir string
	// RedisAddr is an external Redis; empty starts an in-process one.
	RedisAddr string
	// BasePort puts the gateway on BasePort and the services on the next ports; 0 picks free ports.
	BasePort int
	// Host is the interface to listen on; default 127.0.0.1.
	Host string
	// LogOutput receives the services' JSON logs; nil discards them.
	LogOutput io.Writer
	// SpanProcessors see every service's spans (tests capture traces with them).
	SpanProcessors []sdktrace.SpanProcessor
	// LogLevel of every service; default "info".
	LogLevel string
	// DemoHRUnit is the unit of the gateway's demo HR account; empty keeps the gateway's default.
	DemoHRUnit string
}

// Service is one running service of the stack.
type Service struct {
	Name string
	URL  string
	app  httpserver.Runner
	done chan error
}

// Stack is a running platform.
type Stack struct {
	Services []*Service
	Gateway  string // the gateway's base URL
	secrets  map[string]string
	// gatewayInternal is the gateway's internal listener, which serves the service-token grant.
	gatewayInternal string
	ferret          *testkit.FerretDB
	redis           *miniredis.Miniredis
	cancel          context.CancelFunc
	stopOnce        sync.Once
}

// order is the start order: callees before callers, the gateway (which calls everyone) last. Each
// service's JWKS URL points at the gateway, which is only fetched on the first authenticated request.
var order = []string{"quota", "units", "talent", "enforcement", "eduhealth", "gateway"}

// offsets are the local ports relative to BasePort (gateway 8080, units 8081 … eduhealth 8085, and
// the gateway's internal listener, which serves the service-token grant, on 8086).
var offsets = map[string]int{"gateway": 0, "units": 1, "quota": 2, "talent": 3, "enforcement": 4, "eduhealth": 5,
	gatewayInternal: 6}

// gatewayInternal names the gateway's internal listener among the addresses.
const gatewayInternal = "gateway-internal"

// Start brings the whole platform up and returns once every service answers /healthz.
func Start(ctx context.Context, opts Options) (_ *Stack, err error) {
	if opts.DataDir == "" {
		return nil, errors.New("stack: DataDir is required")
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.LogLevel == "" {
		opts.LogLevel = "info"
	}
	if opts.LogOutput == nil {
		opts.LogOutput = io.Discard
	}
	s := &Stack{}
	defer func() {
		if err != nil {
			s.Stop()
		}
	}()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if s.ferret, err = testkit.StartFerretDB(filepath.Join(opts.DataDir, "ferretdb"), quiet); err != nil {
		return nil, err
	}
	redisAddr := opts.RedisAddr
	if redisAddr == "" {
		if s.redis, err = miniredis.Run(); err != nil {
			return nil, fmt.Errorf("start in-process redis: %w", err)
		}
		redisAddr = s.redis.Addr()
	}
	urls, err := addresses(opts)
	if err != nil {
		return nil, err
	}
	s.Gateway = "http://" + urls["gateway"]
	s.secrets, s.gatewayInternal = map[string]string{}, "http://"+urls[gatewayInternal]
	// Each service gets a fresh client secret for the gateway's service-token grant (jobs that act
	// without a person, e.g. talent's loan returns); they live only as long as this process.
	secrets := s.secrets
	var grants []string
	for _, name := range order {
		if name != "gateway" {
			secrets[name] = randomSecret()
			grants = append(grants, name+":"+secrets[name])
		}
	}
	// Session versions belong to the accounts of this data folder: two stacks sharing one Redis (a
	// developer's and the e2e tests') must not revoke each other's tokens.
	sum := sha256.Sum256([]byte(opts.DataDir))
	sessionPrefix := "bianzhi:local:" + hex.EncodeToString(sum[:6]) + ":sessver:"
	env := func(name string) map[string]string {
		e := map[string]string{
			"AUTH_SESSION_KEY_PREFIX":  sessionPrefix,
			"HTTP_ADDR":                urls[name],
			"MONGO_URI":                s.ferret.URI,
			"REDIS_ADDR":               redisAddr,
			"AUTH_JWKS_URL":            s.Gateway + "/api/v1/auth/jwks",
			"LOG_LEVEL":                opts.LogLevel,
			"SHUTDOWN_TIMEOUT":         "5s",
			"GATEWAY_SIGNING_KEY_FILE": filepath.Join(opts.DataDir, "keys", "gateway-signing.pem"),
			"GATEWAY_CREATE_KEY":       "true",
			"GATEWAY_SEED_ACCOUNTS":    "true",
			"GATEWAY_SERVICE_SECRETS":  strings.Join(grants, ","),
			"GATEWAY_INTERNAL_ADDR":    urls[gatewayInternal],
			// Service jobs get their tokens from the internal listener: the public door has no grant.
			"GATEWAY_URL":    "http://" + urls[gatewayInternal],
			"SERVICE_SECRET": secrets[name],
		}
		if opts.DemoHRUnit != "" {
			e["GATEWAY_DEMO_UNIT"] = opts.DemoHRUnit
		}
		for _, other := range order {
			if other != "gateway" {
				e[envName(other)+"_URL"] = "http://" + urls[other]
			}
		}
		return e
	}
	runCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	for _, name := range order {
		popts := platform.Options{LogOutput: opts.LogOutput, SpanProcessors: opts.SpanProcessors}
		app, err := starters[name](ctx, env(name), popts)
		if err != nil {
			return nil, fmt.Errorf("start %s: %w", name, err)
		}
		svc := &Service{Name: name, URL: "http://" + app.Addr(), app: app, done: make(chan error, 1)}
		go func() { svc.done <- app.Run(runCtx) }()
		s.Services = append(s.Services, svc)
	}
	for _, svc := range s.Services {
		if err := waitHealthy(ctx, svc.URL); err != nil {
			return nil, fmt.Errorf("%s: %w", svc.Name, err)
		}
	}
	return s, nil
}

func randomSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func envName(service string) string {
	b := []byte(service)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

// addresses decides every service's listen address. With BasePort 0 it reserves free ports first,
// because every service must know its callees' URLs (and the gateway's) before it starts.
func addresses(opts Options) (map[string]string, error) {
	out := map[string]string{}
	for name, off := range offsets {
		if opts.BasePort > 0 {
			out[name] = net.JoinHostPort(opts.Host, strconv.Itoa(opts.BasePort+off))
			continue
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(opts.Host, "0"))
		if err != nil {
			return nil, err
		}
		out[name] = ln.Addr().String()
		_ = ln.Close()
	}
	return out, nil
}

func waitHealthy(ctx context.Context, url string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if resp, err := httpGet(url + "/healthz"); err == nil && resp == 200 {
			return nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	return fmt.Errorf("%s/healthz did not answer in 30s", url)
}

// Stop stops every service (gracefully), then the stores. It is safe to call more than once.
func (s *Stack) Stop() {
	s.stopOnce.Do(func() {
		if s.cancel != nil {
			s.cancel()
		}
		for i := len(s.Services) - 1; i >= 0; i-- {
			svc := s.Services[i]
			select {
			case <-svc.done:
			case <-time.After(10 * time.Second):
			}
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = svc.app.Close(cctx)
			cancel()
		}
		if s.redis != nil {
			s.redis.Close()
		}
		if s.ferret != nil {
			s.ferret.Stop()
		}
	})
}

// URL returns the base URL of the named service.
func (s *Stack) URL(name string) string {
	for _, svc := range s.Services {
		if svc.Name == name {
			return svc.URL
		}
	}
	return ""
}

// DefaultDataDir is $BIANZHI_DATA, else ./.data.
func DefaultDataDir() string {
	if d := os.Getenv("BIANZHI_DATA"); d != "" {
		return d
	}
	return ".data"
}

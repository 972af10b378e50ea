// Package platform wires the parts every service starts with: logging, tracing, MongoDB, Redis, the
// token verifier and the HTTP server. A service's app.New calls Start, adds its routes and its own
// stores, and hands back the result as its App; the wiring stays readable top to bottom.
package platform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"github.com/redis/go-redis/v9"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/config"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/pkg/redisx"
	"github.com/bianzhi/bianzhi/pkg/telemetry"
)

// Options are the extras a service gives Start.
type Options struct {
	Indexes []mongox.Index
	// LogOutput defaults to stderr.
	LogOutput io.Writer
	// SpanProcessors let tests capture spans in memory.
	SpanProcessors []sdktrace.SpanProcessor
	// Verifier replaces the JWKS verifier (the gateway verifies with its own keys).
	Verifier *auth.Verifier
}

// Base is a started service platform.
type Base struct {
	Config   config.Common
	Log      *slog.Logger
	Tracer   *sdktrace.TracerProvider
	Mongo    *mongo.Client
	DB       *mongo.Database
	Redis    *redis.Client
	Server   *httpserver.Server
	Verifier *auth.Verifier
	listener net.Listener
}

// Start connects everything the service needs and opens its listener. A Redis that does not answer
// is logged and tolerated (the cache falls back to the store); MongoDB must answer.
func Start(ctx context.Context, cfg config.Common, opts Options) (*Base, error) {
	out := opts.LogOutput
	if out == nil {
		out = os.Stderr
	}
	b := &Base{Config: cfg, Log: telemetry.NewLogger(out, cfg.Service, cfg.LogLevel)}
	tp, err := telemetry.NewTracerProvider(ctx, cfg.Service, cfg.OTLPEndpoint, opts.SpanProcessors...)
	if err != nil {
		return nil, err
	}
	b.Tracer = tp
	// Every service speaks W3C trace context; setting the global propagator is idempotent and lets
	// instrumentation that has no explicit option (otelhttp in clients, otelgin) continue traces.
	otel.SetTextMapPropagator(telemetry.Propagator())
	ok := false
	defer func() {
		if !ok {
			_ = b.Close(context.Background())
		}
	}()

	if b.Mongo, err = mongox.Connect(ctx, cfg.MongoURI, tp); err != nil {
		return nil, err
	}
	b.DB = b.Mongo.Database(cfg.MongoDatabase)
	if err := mongox.EnsureIndexes(ctx, b.DB, opts.Indexes); err != nil {
		return nil, err
	}
	b.Redis, err = redisx.New(ctx, redisx.Options{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisDB})
	if err != nil {
		if b.Redis == nil || !errors.Is(err, redisx.ErrUnreachable) {
			return nil, err
		}
		b.Log.Warn("redis unreachable at start; serving from the store until it answers", "error", err)
	}
	b.Verifier = opts.Verifier
	if b.Verifier == nil {
		b.Verifier = auth.NewJWKSVerifier(cfg.JWKSURL)
	}
	// A disabled account or a changed password ends the account's tokens within seconds everywhere:
	// the verifier reads the session version the gateway publishes in Redis.
	b.Verifier.CheckSessions(b.Redis, cfg.SessionKeyPrefix)
	b.Server = httpserver.New(httpserver.Options{
		Service:         cfg.Service,
		MaxBodyBytes:    cfg.MaxBodyBytes,
		ShutdownTimeout: cfg.ShutdownTimeout,
		Logger:          b.Log,
		TracerProvider:  tp,
		Ready: []httpserver.ReadyCheck{
			{Name: "mongo", Check: mongox.Ping(b.Mongo)},
			{Name: "redis", Check: func(ctx context.Context) error { return b.Redis.Ping(ctx).Err() }},
		},
	})
	if b.listener, err = httpserver.Listen(cfg.HTTPAddr); err != nil {
		return nil, err
	}
	ok = true
	return b, nil
}

// Addr is the listening address.
func (b *Base) Addr() string { return b.listener.Addr().String() }

// Run serves until ctx is done.
func (b *Base) Run(ctx context.Context) error {
	b.Log.Info("serving", "addr", b.Addr())
	return b.Server.Serve(ctx, b.listener)
}

// Close releases connections and flushes traces. It is safe on a partly started Base.
func (b *Base) Close(ctx context.Context) error {
	var errs []error
	if b.listener != nil {
		_ = b.listener.Close() // already closed by Serve's shutdown in the usual case
	}
	if b.Redis != nil {
		errs = append(errs, b.Redis.Close())
	}
	if b.Mongo != nil {
		errs = append(errs, b.Mongo.Disconnect(ctx))
	}
	if b.Tracer != nil {
		errs = append(errs, b.Tracer.Shutdown(ctx))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close %s: %w", b.Config.Service, err)
	}
	return nil
}

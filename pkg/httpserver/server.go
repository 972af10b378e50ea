// Package httpserver builds the gin engine every Bianzhi service runs behind: recovery, request IDs,
// body limits, tracing, RED metrics, problem+json errors, health and metrics endpoints, and a graceful
// shutdown. Services add their routes to Engine() and nothing else.
package httpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin"
	"go.opentelemetry.io/otel/trace"

	"github.com/bianzhi/bianzhi/pkg/buildinfo"
)

// Runner is what every service's app exposes, so the local stack and tests can run any service alike.
type Runner interface {
	// Addr is the address the service listens on (known as soon as the app is built).
	Addr() string
	// Run serves until ctx is done, then shuts down gracefully.
	Run(ctx context.Context) error
	// Close releases the app's connections.
	Close(ctx context.Context) error
}

// ReadyCheck reports whether one dependency is usable; /readyz runs them all.
type ReadyCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// Options configures a Server.
type Options struct {
	Service         string
	MaxBodyBytes    int64
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
	// Registry receives the HTTP and runtime metrics; nil makes a fresh one. One registry per service
	// keeps services that share a process (the local stack) from colliding.
	Registry *prometheus.Registry
	// TracerProvider for otelgin; nil uses the global one.
	TracerProvider trace.TracerProvider
	Ready          []ReadyCheck
}

// Server is a gin engine with the shared middleware and endpoints.
type Server struct {
	opts     Options
	engine   *gin.Engine
	registry *prometheus.Registry
	log      *slog.Logger
}

// New builds the engine with the shared middleware in the order that makes each see what it needs:
// request ID first (everything logs it), recovery next (so a panic still gets metrics and a problem
// body), then tracing, metrics, the error renderer (which must see the body limit's refusals) and the body
// limit closest to the handlers.
func New(opts Options) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 15 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	reg := opts.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	registerRuntime(reg, opts.Service)

	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	s := &Server{opts: opts, engine: e, registry: reg, log: opts.Logger}

	m := newMetrics(reg, opts.Service)
	e.Use(requestID(), recovery(opts.Logger), otelgin.Middleware(opts.Service, otelTracer(opts.TracerProvider)...),
		m.middleware(), ErrorRenderer(opts.Logger, reg), bodyLimit(opts.MaxBodyBytes))
	e.NoRoute(func(c *gin.Context) {
		_ = c.Error(notFoundRoute(c.Request.URL.Path))
	})
	e.NoMethod(func(c *gin.Context) {
		_ = c.Error(methodNotAllowed(c.Request.Method))
	})
	e.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok", "service": opts.Service}) })
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", gin.WrapH(promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})))
	return s
}

func otelTracer(tp trace.TracerProvider) []otelgin.Option {
	opts := []otelgin.Option{otelgin.WithFilter(func(r *http.Request) bool {
		// Probes and scrapes would drown the traces that matter.
		switch r.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			return false
		}
		return true
	})}
	if tp != nil {
		opts = append(opts, otelgin.WithTracerProvider(tp))
	}
	return opts
}

func registerRuntime(reg *prometheus.Registry, service string) {
	_ = reg.Register(collectors.NewGoCollector())
	_ = reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	bi := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "bianzhi_build_info",
		Help:        "Build information of the running binary; always 1.",
		ConstLabels: prometheus.Labels{"service": service, "version": buildinfo.Version, "commit": buildinfo.Commit},
	})
	bi.Set(1)
	_ = reg.Register(bi)
}

// Engine returns the gin engine for the service's routes.
func (s *Server) Engine() *gin.Engine { return s.engine }

// Registry returns the service's metrics registry, for its domain metrics.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	status := http.StatusOK
	checks := gin.H{}
	for _, rc := range s.opts.Ready {
		if err := rc.Check(ctx); err != nil {
			status = http.StatusServiceUnavailable
			checks[rc.Name] = err.Error()
			continue
		}
		checks[rc.Name] = "ok"
	}
	state := "ready"
	if status != http.StatusOK {
		state = "not ready"
	}
	c.JSON(status, gin.H{"status": state, "checks": checks})
}

// Listen opens the listener now, so the address (port 0 in tests) is known before Serve.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	return ln, nil
}

// Serve serves on ln until ctx is done, then drains in-flight requests for up to ShutdownTimeout.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.engine,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "service", s.opts.Service)
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

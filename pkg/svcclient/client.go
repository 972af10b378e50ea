// Package svcclient is the HTTP client one Bianzhi service uses to call
// another.
//
// It makes every call the same way: traced with otelhttp (so one trace spans
// the caller and the callee), bounded by a timeout, carrying the person's
// identity and the request ID, retried with backoff only when repeating it
// cannot do harm, and cut off by a circuit breaker while the callee is down so
// that callers fail in microseconds instead of piling up. Error answers come
// back as *apperr.Error with the callee's code, so a caller branches on
// apperr.CodeQuotaExhausted exactly as the callee meant it.
package svcclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sony/gobreaker/v2"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Defaults for the zero values of Options.
const (
	DefaultTimeout          = 5 * time.Second
	DefaultMaxRetries       = 2
	DefaultRetryWait        = 100 * time.Millisecond
	DefaultRetryMaxWait     = 2 * time.Second
	DefaultMaxResponseBytes = 8 << 20
)

// Options configures New. BaseURL and Service are required.
type Options struct {
	BaseURL string // e.g. http://quota:8080
	Service string // the callee's name, for spans, logs and the breaker
	Caller  string // this service's name, sent in X-Caller-Service

	// Timeout bounds one attempt, reading the answer included. The whole
	// call is bounded by the caller's context.
	Timeout time.Duration
	// MaxRetries is how many times an idempotent call is repeated after
	// its first attempt fails transiently. Zero means DefaultMaxRetries;
	// negative means never.
	MaxRetries int
	// RetryWait and RetryMaxWait shape the exponential backoff between
	// attempts (each wait is jittered by ±50%).
	RetryWait, RetryMaxWait time.Duration
	Breaker                 BreakerSettings

	// TokenSource gives the service's own token, used when the context
	// carries no person's token (jobs, background work). Nil means such
	// calls go without Authorization.
	TokenSource func(ctx context.Context) (string, error)

	// Transport is the base round tripper; nil means a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
	// TracerProvider and Propagators default to the otel globals.
	TracerProvider trace.TracerProvider
	Propagators    propagation.TextMapPropagator
	// MaxResponseBytes bounds a response body; zero means DefaultMaxResponseBytes.
	MaxResponseBytes int64
	Logger           *slog.Logger
}

// Client calls one service. It is safe for concurrent use; create one per
// callee and keep it, because its breaker learns from every call.
type Client struct {
	base    *url.URL
	opts    Options
	http    *http.Client
	breaker *gobreaker.CircuitBreaker[*response]
}

// New returns a client for the service at opts.BaseURL.
func New(opts Options) (*Client, error) {
	if opts.Service == "" {
		return nil, errors.New("svcclient: Options.Service is empty")
	}
	base, err := url.Parse(opts.BaseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("svcclient: %s: BaseURL %q is not an absolute URL", opts.Service, opts.BaseURL)
	}
	base.Path = strings.TrimSuffix(base.Path, "/")
	opts.Timeout = orDuration(opts.Timeout, DefaultTimeout)
	opts.RetryWait = orDuration(opts.RetryWait, DefaultRetryWait)
	opts.RetryMaxWait = orDuration(opts.RetryMaxWait, DefaultRetryMaxWait)
	switch {
	case opts.MaxRetries == 0:
		opts.MaxRetries = DefaultMaxRetries
	case opts.MaxRetries < 0:
		opts.MaxRetries = 0
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	transport := opts.Transport
	if transport == nil {
		transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	service := opts.Service
	otelOpts := []otelhttp.Option{
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return r.Method + " " + service
		}),
	}
	if opts.TracerProvider != nil {
		otelOpts = append(otelOpts, otelhttp.WithTracerProvider(opts.TracerProvider))
	}
	if opts.Propagators != nil {
		otelOpts = append(otelOpts, otelhttp.WithPropagators(opts.Propagators))
	}
	return &Client{
		base:    base,
		opts:    opts,
		http:    &http.Client{Transport: otelhttp.NewTransport(transport, otelOpts...)},
		breaker: newBreaker(service, opts.Breaker, opts.Logger),
	}, nil
}

// Service reports the name of the service this client calls.
func (c *Client) Service() string { return c.opts.Service }

// Do sends in (JSON-encoded, unless nil) as method to path below BaseURL and
// decodes a successful answer into out (unless out is nil or the answer has
// no body). Any failure is returned as an *apperr.Error: the callee's own
// problem, or CodeUnavailable when the callee could not be reached, timed out
// or its breaker is open.
//
// GET and HEAD calls, and calls given WithIdempotencyKey, are retried on
// network errors and on 429, 502, 503 and 504; other writes are sent once,
// because a second attempt could apply them twice.
func (c *Client) Do(ctx context.Context, method, path string, in, out any, opts ...CallOption) error {
	var co call
	for _, o := range opts {
		o(&co)
	}
	req, err := c.prepare(ctx, method, path, in, &co)
	if err != nil {
		return err
	}
	res, err := c.withRetries(ctx, req, idempotent(method, &co))
	if err != nil {
		return err
	}
	return c.decode(req, res, out)
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

package svcclient

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestPersonTokenRequestIDAndCallerArePassedOn(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, status(http.StatusOK))
	c := newTestClient(t, rec, func(o *Options) {
		o.TokenSource = func(context.Context) (string, error) { return "service-token", nil }
	})
	ctx := WithRequestID(WithToken(context.Background(), "person-token"), "req-7")

	err := c.Do(ctx, http.MethodGet, "/v1/accounts?kind=admin", nil, nil,
		WithQuery(url.Values{"unit": {"140105"}}), WithHeader("Accept-Language", "zh-CN"),
		WithHeader("Authorization", "Bearer forged"))
	if err != nil {
		t.Fatal(err)
	}
	got := rec.call(0)
	for h, want := range map[string]string{
		"Authorization":     "Bearer person-token",
		HeaderRequestID:     "req-7",
		HeaderCallerService: "units",
		"Accept-Language":   "zh-CN",
	} {
		if v := got.header.Get(h); v != want {
			t.Errorf("%s = %q, want %q", h, v, want)
		}
	}
	if got.url != "/v1/accounts?kind=admin&unit=140105" {
		t.Errorf("url = %q", got.url)
	}
}

func TestServiceTokenWhenNoPersonToken(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, status(http.StatusOK))
	c := newTestClient(t, rec, func(o *Options) {
		o.TokenSource = func(context.Context) (string, error) { return "service-token", nil }
	})
	if err := c.Do(context.Background(), http.MethodGet, "/v1/x", nil, nil); err != nil {
		t.Fatal(err)
	}
	got := rec.call(0)
	if v := got.header.Get("Authorization"); v != "Bearer service-token" {
		t.Errorf("Authorization = %q, want the service's own token", v)
	}
	if got.header.Get(HeaderRequestID) == "" {
		t.Error("no X-Request-ID on a call without an incoming request")
	}
}

// TestAsServiceSendsTheServiceToken: AsService sends the service's own token even with a
// person's token in ctx; without a TokenSource it falls back to the person's, never to nothing.
func TestAsServiceSendsTheServiceToken(t *testing.T) {
	t.Parallel()
	ctx := WithToken(context.Background(), "person-token")
	for _, tc := range []struct {
		name   string
		source func(context.Context) (string, error)
		want   string
	}{
		{"with an identity", func(context.Context) (string, error) { return "service-token", nil }, "Bearer service-token"},
		{"without one", nil, "Bearer person-token"},
	} {
		rec := newRecorder(t, status(http.StatusOK))
		c := newTestClient(t, rec, func(o *Options) { o.TokenSource = tc.source })
		if err := c.Do(ctx, http.MethodGet, "/v1/x", nil, nil, AsService()); err != nil {
			t.Fatal(err)
		}
		if v := rec.call(0).header.Get("Authorization"); v != tc.want {
			t.Errorf("%s: Authorization = %q, want %q", tc.name, v, tc.want)
		}
	}
}

func TestTraceContextIsPropagated(t *testing.T) {
	t.Parallel()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	rec := newRecorder(t, status(http.StatusOK))
	c := newTestClient(t, rec, func(o *Options) {
		o.TracerProvider = tp
		o.Propagators = propagation.TraceContext{}
	})

	ctx, span := tp.Tracer("test").Start(context.Background(), "handler")
	err := c.Do(ctx, http.MethodGet, "/v1/x", nil, nil)
	span.End()
	if err != nil {
		t.Fatal(err)
	}
	traceID := span.SpanContext().TraceID().String()
	parent := rec.call(0).header.Get("traceparent")
	if len(parent) != 55 || parent[3:35] != traceID {
		t.Fatalf("traceparent = %q, want one carrying trace %s", parent, traceID)
	}
	var client sdktrace.ReadOnlySpan
	for _, s := range spans.Ended() {
		if s.Name() == "GET quota" {
			client = s
		}
	}
	if client == nil || client.Parent().SpanID() != span.SpanContext().SpanID() {
		t.Errorf("no client span GET quota under the handler span; ended: %d spans", len(spans.Ended()))
	}
}

// Package telemetry sets up tracing and logging the same way in every service: an OpenTelemetry tracer
// provider (exporting over OTLP/HTTP only when an endpoint is configured), W3C trace-context
// propagation, and slog JSON logs that carry the trace and span IDs of the request they belong to.
package telemetry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/bianzhi/bianzhi/pkg/buildinfo"
)

// Propagator is the W3C trace-context + baggage propagator every service uses.
func Propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// NewTracerProvider returns a provider for service. With an empty endpoint spans are still created
// (so trace IDs reach the logs and the next service) but not exported. Extra span processors let
// tests capture spans in memory.
func NewTracerProvider(ctx context.Context, service, endpoint string, extra ...sdktrace.SpanProcessor) (*sdktrace.TracerProvider, error) {
	res := resource.NewSchemaless(
		semconv.ServiceName(service),
		semconv.ServiceVersion(buildinfo.Version),
	)
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if endpoint != "" {
		exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint+"/v1/traces"))
		if err != nil {
			return nil, fmt.Errorf("otlp exporter: %w", err)
		}
		opts = append(opts, sdktrace.WithBatcher(exp))
	}
	for _, sp := range extra {
		opts = append(opts, sdktrace.WithSpanProcessor(sp))
	}
	return sdktrace.NewTracerProvider(opts...), nil
}

// InstallGlobal makes tp and the W3C propagator the process-wide defaults, which the instrumentation
// libraries (otelhttp, redisotel) fall back to.
func InstallGlobal(tp trace.TracerProvider) {
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(Propagator())
}

// NewLogger returns a JSON slog logger at level that adds trace_id and span_id from the context.
func NewLogger(w io.Writer, service, level string) *slog.Logger {
	if w == nil {
		w = os.Stderr
	}
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level))
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lv})
	return slog.New(traceHandler{h}).With("service", service)
}

type traceHandler struct{ slog.Handler }

func (h traceHandler) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func (h traceHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return traceHandler{h.Handler.WithAttrs(attrs)}
}

func (h traceHandler) WithGroup(name string) slog.Handler {
	return traceHandler{h.Handler.WithGroup(name)}
}

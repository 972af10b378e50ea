package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestLogsCarryTraceIDs(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tp, err := NewTracerProvider(context.Background(), "test", "", rec)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tp.Shutdown(context.Background()) }()
	ctx, span := tp.Tracer("t").Start(context.Background(), "op")
	var buf bytes.Buffer
	NewLogger(&buf, "test", "info").InfoContext(ctx, "hello")
	span.End()

	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("log is not JSON: %v: %s", err, buf.String())
	}
	if line["trace_id"] != span.SpanContext().TraceID().String() || line["span_id"] != span.SpanContext().SpanID().String() {
		t.Fatalf("trace ids missing: %v", line)
	}
	if len(rec.Ended()) != 1 {
		t.Fatalf("span not recorded")
	}
	_ = sdktrace.AlwaysSample
}

func TestLogLevelFilters(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := NewLogger(&buf, "test", "warn")
	log.Info("quiet")
	if buf.Len() != 0 {
		t.Fatalf("info logged at warn level: %s", buf.String())
	}
	log.Warn("loud")
	if buf.Len() == 0 {
		t.Fatal("warn not logged")
	}
}

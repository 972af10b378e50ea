package mongox

import (
	"context"
	"sync"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// NewCommandMonitor makes a client span per MongoDB command. No otelmongo release supports the v2
// driver, so this small monitor fills the gap: it keys in-flight spans by request ID and never
// records command bodies (they hold personal data such as ID numbers).
func NewCommandMonitor(tp trace.TracerProvider) *event.CommandMonitor {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	tracer := tp.Tracer("github.com/bianzhi/bianzhi/pkg/mongox")
	var spans sync.Map // int64 request ID → trace.Span
	end := func(id int64, err string) {
		if v, ok := spans.LoadAndDelete(id); ok {
			s := v.(trace.Span)
			if err != "" {
				s.SetStatus(codes.Error, err)
			}
			s.End()
		}
	}
	return &event.CommandMonitor{
		Started: func(ctx context.Context, e *event.CommandStartedEvent) {
			if !trace.SpanFromContext(ctx).SpanContext().IsValid() {
				return // only commands inside a traced request; pings and index builds stay quiet
			}
			coll := ""
			if v, err := e.Command.LookupErr(e.CommandName); err == nil {
				coll, _ = v.StringValueOK()
			}
			_, span := tracer.Start(ctx, "mongo "+e.CommandName+" "+coll,
				trace.WithSpanKind(trace.SpanKindClient),
				trace.WithAttributes(
					attribute.String("db.system", "mongodb"),
					attribute.String("db.name", e.DatabaseName),
					attribute.String("db.operation", e.CommandName),
					attribute.String("db.mongodb.collection", coll),
				))
			spans.Store(e.RequestID, span)
		},
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) { end(e.RequestID, "") },
		Failed:    func(_ context.Context, e *event.CommandFailedEvent) { end(e.RequestID, e.Failure.Error()) },
	}
}

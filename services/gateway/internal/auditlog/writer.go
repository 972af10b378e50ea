// Package auditlog writes audit records off the request path. A request never waits for (or fails
// because of) the audit store, yet no record is dropped silently: every record that cannot be
// stored is counted in bianzhi_audit_write_failures_total and logged in full, so it can be
// recovered from the logs.
package auditlog

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bianzhi/bianzhi/services/gateway/internal/audit"
)

// Appender stores one record (mongostore.Audit in production).
type Appender interface {
	Append(ctx context.Context, r audit.Record) error
}

// Writer queues records and stores them on one goroutine: the store serialises writes anyway.
type Writer struct {
	store    Appender
	log      *slog.Logger
	failures *prometheus.CounterVec
	written  prometheus.Counter

	mu     sync.RWMutex
	closed bool
	queue  chan audit.Record
	done   chan struct{}
}

// DefaultQueue is how many records may wait for the store: a minute of the store's slowest writes.
const DefaultQueue = 4096

// NewWriter starts a writer with room for size waiting records and registers its metrics on reg.
func NewWriter(store Appender, reg prometheus.Registerer, log *slog.Logger, size int) *Writer {
	w := &Writer{
		store: store,
		log:   log,
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bianzhi_audit_write_failures_total",
			Help: "Audit records the gateway could not store, by reason (queue_full, store, closed). Alert on any.",
		}, []string{"reason"}),
		written: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bianzhi_audit_records_total",
			Help: "Audit records stored.",
		}),
		queue: make(chan audit.Record, size),
		done:  make(chan struct{}),
	}
	for _, reason := range []string{"queue_full", "store", "closed"} {
		w.failures.WithLabelValues(reason) // present at zero, so alerts can use rate() from the start
	}
	reg.MustRegister(w.failures, w.written)
	go w.run()
	return w
}

// Record queues r without blocking.
func (w *Writer) Record(r audit.Record) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		w.fail("closed", r, nil)
		return
	}
	select {
	case w.queue <- r:
	default:
		w.fail("queue_full", r, nil)
	}
}

func (w *Writer) run() {
	defer close(w.done)
	for r := range w.queue {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		err := w.store.Append(ctx, r)
		cancel()
		if err != nil {
			w.fail("store", r, err)
			continue
		}
		w.written.Inc()
	}
}

func (w *Writer) fail(reason string, r audit.Record, err error) {
	w.failures.WithLabelValues(reason).Inc()
	w.log.Error("audit record not stored", "reason", reason, "error", err,
		slog.Group("record", "id", r.ID, "at", r.At, "requestId", r.RequestID, "subject", r.Subject,
			"roles", r.Roles, "method", r.Method, "path", r.Path, "service", r.Service, "resourceId", r.ResourceID,
			"clientIp", r.ClientIP, "status", r.Status))
}

// Close stops taking records and waits until the queued ones are stored or ctx ends.
func (w *Writer) Close(ctx context.Context) error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

package auditlog

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/bianzhi/bianzhi/services/gateway/internal/audit"
)

// gatedStore is a hand-written store that holds each Append until the test opens the gate, and fails
// the records whose path is "/fail".
type gatedStore struct {
	started chan string
	gate    chan struct{}
	mu      sync.Mutex
	stored  []string
}

func (s *gatedStore) Append(_ context.Context, r audit.Record) error {
	s.started <- r.ID
	<-s.gate
	if r.Path == "/fail" {
		return errors.New("store refused")
	}
	s.mu.Lock()
	s.stored = append(s.stored, r.ID)
	s.mu.Unlock()
	return nil
}

func TestWriterCountsEveryRecordItCannotStore(t *testing.T) {
	t.Parallel()
	store := &gatedStore{started: make(chan string, 10), gate: make(chan struct{})}
	reg := prometheus.NewRegistry()
	w := NewWriter(store, reg, slog.New(slog.NewTextHandler(io.Discard, nil)), 1)

	w.Record(audit.Record{ID: "a"})
	<-store.started // "a" is with the store, so the queue is empty again
	w.Record(audit.Record{ID: "b", Path: "/fail"})
	w.Record(audit.Record{ID: "c"}) // the queue (room for 1) holds "b": "c" is dropped and counted

	close(store.gate)
	if err := w.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Record(audit.Record{ID: "d"}) // after Close: counted, not sent on a closed channel

	want := map[string]float64{"queue_full": 1, "store": 1, "closed": 1}
	for reason, n := range want {
		if got := testutil.ToFloat64(w.failures.WithLabelValues(reason)); got != n {
			t.Errorf("failures{reason=%q} = %v, want %v", reason, got, n)
		}
	}
	if got := testutil.ToFloat64(w.written); got != 1 {
		t.Errorf("written = %v, want 1", got)
	}
	if len(store.stored) != 1 || store.stored[0] != "a" {
		t.Errorf("stored %v", store.stored)
	}
}

func TestCloseGivesUpWhenTheStoreHangs(t *testing.T) {
	t.Parallel()
	store := &gatedStore{started: make(chan string, 1), gate: make(chan struct{})}
	w := NewWriter(store, prometheus.NewRegistry(), slog.New(slog.NewTextHandler(io.Discard, nil)), 4)
	w.Record(audit.Record{ID: "a"})
	<-store.started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close with a hung store = %v", err)
	}
	close(store.gate)
}

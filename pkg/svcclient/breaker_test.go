package svcclient

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

func TestBreakerOpensAndRecovers(t *testing.T) {
	t.Parallel()
	var healthy atomic.Bool
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if healthy.Load() {
			status(http.StatusOK)(n, w, r)
			return
		}
		w.WriteHeader(http.StatusInternalServerError)
	})
	c := newTestClient(t, rec, func(o *Options) {
		o.MaxRetries = -1
		o.Breaker = BreakerSettings{ConsecutiveFailures: 3, OpenFor: 20 * time.Millisecond}
	})
	ctx := context.Background()

	for range 3 {
		if err := c.Do(ctx, http.MethodGet, "/v1/x", nil, nil); errors.Is(err, ErrCircuitOpen) {
			t.Fatalf("breaker open before the threshold: %v", err)
		}
	}
	err := c.Do(ctx, http.MethodGet, "/v1/x", nil, nil)
	if !errors.Is(err, ErrCircuitOpen) || !apperr.Is(err, apperr.CodeUnavailable) {
		t.Fatalf("after 3 failures err = %v, want unavailable wrapping ErrCircuitOpen", err)
	}
	if n := rec.hits(); n != 3 {
		t.Fatalf("callee hit %d times, want 3: an open breaker must not call it", n)
	}

	healthy.Store(true)
	deadline := time.Now().Add(5 * time.Second)
	for {
		err = c.Do(ctx, http.MethodGet, "/v1/x", nil, nil)
		if err == nil {
			break
		}
		if !errors.Is(err, ErrCircuitOpen) || time.Now().After(deadline) {
			t.Fatalf("breaker did not recover: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := c.Do(ctx, http.MethodGet, "/v1/x", nil, nil); err != nil {
		t.Errorf("call after recovery: %v", err)
	}
}

func TestClientErrorsDoNotOpenTheBreaker(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, status(http.StatusNotFound))
	c := newTestClient(t, rec, func(o *Options) {
		o.Breaker = BreakerSettings{ConsecutiveFailures: 2, OpenFor: time.Hour}
	})
	for i := range 6 {
		err := c.Do(context.Background(), http.MethodGet, "/v1/x", nil, nil)
		if !apperr.Is(err, apperr.CodeNotFound) {
			t.Fatalf("call %d: err = %v, want not_found from the callee", i+1, err)
		}
	}
	if n := rec.hits(); n != 6 {
		t.Errorf("callee hit %d times, want 6", n)
	}
}

func TestRetriesStopWhenTheBreakerOpens(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, status(http.StatusBadGateway))
	c := newTestClient(t, rec, func(o *Options) {
		o.MaxRetries = 10
		o.Breaker = BreakerSettings{ConsecutiveFailures: 3, OpenFor: time.Hour}
	})
	err := c.Do(context.Background(), http.MethodGet, "/v1/x", nil, nil)
	if !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("err = %v, want ErrCircuitOpen", err)
	}
	if n := rec.hits(); n != 3 {
		t.Errorf("callee hit %d times, want 3", n)
	}
}

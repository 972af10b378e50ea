package svcclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

func TestProblemAnswerBecomesAppErr(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		apperr.New(apperr.CodeQuotaExhausted, "", "unit 1401050001 has no vacant posts").
			WithField("unitId").WithExtra("approved", 10).WithExtra("occupied", 10).Write(w)
	})
	c := newTestClient(t, rec, nil)

	err := c.Do(context.Background(), http.MethodPost, "/v1/holds", map[string]int{"amount": 1}, nil)
	var e *apperr.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %T %v, want *apperr.Error", err, err)
	}
	if e.Code != apperr.CodeQuotaExhausted || e.Status != http.StatusConflict || e.Field != "unitId" {
		t.Errorf("got code %q status %d field %q", e.Code, e.Status, e.Field)
	}
	if e.Title != apperr.DefaultTitle(apperr.CodeQuotaExhausted) {
		t.Errorf("title %q, want the callee's Chinese message", e.Title)
	}
	if e.Extra["approved"] != float64(10) || e.Extra["occupied"] != float64(10) {
		t.Errorf("extra = %v, want approved and occupied 10", e.Extra)
	}
}

func TestNonProblemErrorBodyKeepsStatus(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html>bad gateway</html>")
	})
	c := newTestClient(t, rec, func(o *Options) { o.MaxRetries = -1 })
	err := c.Do(context.Background(), http.MethodGet, "/v1/x", nil, nil)
	if e := apperr.From(err); e.Code != apperr.CodeUnavailable || e.Status != http.StatusBadGateway {
		t.Errorf("err = %v (status %d), want unavailable with status 502", err, e.Status)
	}
}

func TestUnreachableCalleeIsUnavailable(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, status(http.StatusOK))
	rec.srv.Close()
	c := newTestClient(t, rec, nil)
	err := c.Do(context.Background(), http.MethodGet, "/v1/x", nil, nil)
	if !apperr.Is(err, apperr.CodeUnavailable) {
		t.Fatalf("err = %v, want unavailable", err)
	}
}

func TestAttemptTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	c := newTestClient(t, rec, func(o *Options) {
		o.Timeout = 20 * time.Millisecond
		o.MaxRetries = -1
	})
	err := c.Do(context.Background(), http.MethodGet, "/v1/slow", nil, nil)
	if !apperr.Is(err, apperr.CodeUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want unavailable wrapping a deadline", err)
	}
}

func TestCallerCancellationIsNotABreakerFailure(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	c := newTestClient(t, rec, func(o *Options) {
		o.Breaker = BreakerSettings{ConsecutiveFailures: 1, OpenFor: time.Hour}
	})
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		err := c.Do(ctx, http.MethodGet, "/v1/slow", nil, nil)
		cancel()
		if errors.Is(err, ErrCircuitOpen) {
			t.Fatalf("the caller's own deadline opened the breaker: %v", err)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the caller's deadline", err)
		}
	}
}

func TestUndecodableAnswerIsInternal(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"ok":"not a bool"}`)
	})
	c := newTestClient(t, rec, nil)
	var out okAnswer
	if err := c.Do(context.Background(), http.MethodGet, "/v1/x", nil, &out); !apperr.Is(err, apperr.CodeInternal) {
		t.Fatalf("err = %v, want internal", err)
	}
}

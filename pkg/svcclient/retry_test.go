package svcclient

import (
	"context"
	"net/http"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

type transferIn struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Amount int64  `json:"amount"`
}

func TestPostWithoutKeyIsSentOnce(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, status(http.StatusServiceUnavailable))
	c := newTestClient(t, rec, nil)

	err := c.Do(context.Background(), http.MethodPost, "/v1/transfers", transferIn{"a", "b", 1}, nil)
	if !apperr.Is(err, apperr.CodeUnavailable) {
		t.Fatalf("err = %v, want unavailable", err)
	}
	if n := rec.hits(); n != 1 {
		t.Errorf("POST without Idempotency-Key sent %d times, want 1", n)
	}
}

func TestPostWithKeyIsRetriedWithTheSameBody(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, failThen(2, http.StatusServiceUnavailable))
	c := newTestClient(t, rec, nil)

	var out okAnswer
	err := c.Do(context.Background(), http.MethodPost, "/v1/transfers", transferIn{"a", "b", 3}, &out,
		WithIdempotencyKey("tr-42"))
	if err != nil || !out.OK {
		t.Fatalf("Do = %v, out %+v; want success on the third attempt", err, out)
	}
	if n := rec.hits(); n != 3 {
		t.Fatalf("sent %d times, want 3", n)
	}
	first := rec.call(0)
	for i := range 3 {
		got := rec.call(i)
		if got.body != first.body || got.body == "" {
			t.Errorf("attempt %d body %q, want %q", i+1, got.body, first.body)
		}
		if k := got.header.Get(HeaderIdempotencyKey); k != "tr-42" {
			t.Errorf("attempt %d Idempotency-Key %q", i+1, k)
		}
	}
}

func TestGetIsRetriedOnTransientAnswers(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusTooManyRequests, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		rec := newRecorder(t, failThen(2, code))
		c := newTestClient(t, rec, nil)
		var out okAnswer
		if err := c.Do(context.Background(), http.MethodGet, "/v1/accounts/x", nil, &out); err != nil || !out.OK {
			t.Errorf("%d: Do = %v, %+v; want success after retries", code, err, out)
		}
		if n := rec.hits(); n != 3 {
			t.Errorf("%d: sent %d times, want 3", code, n)
		}
	}
}

func TestGetIsRetriedOnNetworkErrors(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			// Drop the connection without an answer.
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		status(http.StatusOK)(n, w, r)
	})
	c := newTestClient(t, rec, nil)
	var out okAnswer
	if err := c.Do(context.Background(), http.MethodGet, "/v1/x", nil, &out); err != nil || !out.OK {
		t.Fatalf("Do = %v, %+v; want success on the second attempt", err, out)
	}
	if n := rec.hits(); n != 2 {
		t.Errorf("sent %d times, want 2", n)
	}
}

func TestAttemptsAreBounded(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, status(http.StatusServiceUnavailable))
	c := newTestClient(t, rec, func(o *Options) { o.MaxRetries = 4 })

	err := c.Do(context.Background(), http.MethodGet, "/v1/x", nil, nil)
	if !apperr.Is(err, apperr.CodeUnavailable) {
		t.Fatalf("err = %v, want unavailable", err)
	}
	if n := rec.hits(); n != 5 {
		t.Errorf("sent %d times, want 1 + MaxRetries = 5", n)
	}
}

func TestPermanentAnswersAreNotRetried(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict,
		http.StatusInternalServerError} {
		rec := newRecorder(t, status(code))
		c := newTestClient(t, rec, nil)
		err := c.Do(context.Background(), http.MethodGet, "/v1/x", nil, nil)
		if e := apperr.From(err); err == nil || e.Status != code {
			t.Errorf("%d: err = %v, want an error with that status", code, err)
		}
		if n := rec.hits(); n != 1 {
			t.Errorf("%d: sent %d times, want 1", code, n)
		}
	}
}

func TestLongRetryAfterIsNotWaitedFor(t *testing.T) {
	t.Parallel()
	rec := newRecorder(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newTestClient(t, rec, nil)
	err := c.Do(context.Background(), http.MethodGet, "/v1/x", nil, nil)
	if !apperr.Is(err, apperr.CodeRateLimited) {
		t.Fatalf("err = %v, want rate_limited", err)
	}
	if n := rec.hits(); n != 1 {
		t.Errorf("sent %d times, want 1: the callee asked for two minutes", n)
	}
}

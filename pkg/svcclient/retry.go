package svcclient

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// idempotent reports whether sending the call twice is harmless: reads are,
// and so are writes the callee deduplicates by their Idempotency-Key.
func idempotent(method string, co *call) bool {
	return method == http.MethodGet || method == http.MethodHead || co.idempotencyKey != ""
}

// transient reports whether another attempt may succeed: the callee was not
// reached or answered that it is overloaded or restarting.
func transient(err error) bool {
	var te *transportError
	if errors.As(err, &te) {
		return true
	}
	var se *statusError
	if errors.As(err, &se) {
		switch se.res.status {
		case http.StatusTooManyRequests, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
	}
	return false
}

// withRetries sends r through the breaker, repeating idempotent calls on
// transient failures with jittered exponential backoff, at most
// 1+MaxRetries attempts in all.
func (c *Client) withRetries(ctx context.Context, r *request, canRetry bool) (*response, error) {
	attempts := 1
	if canRetry {
		attempts += c.opts.MaxRetries
	}
	wait := &backoff.ExponentialBackOff{
		InitialInterval:     c.opts.RetryWait,
		RandomizationFactor: 0.5,
		Multiplier:          2,
		MaxInterval:         c.opts.RetryMaxWait,
	}
	wait.Reset()
	for attempt := 1; ; attempt++ {
		res, err := c.breaker.Execute(func() (*response, error) {
			res, err := c.send(ctx, r)
			if err != nil && ctx.Err() != nil {
				// The caller gave up; that says nothing about the callee.
				return res, &callerGoneError{err: err}
			}
			return res, err
		})
		if err == nil {
			return res, nil
		}
		if attempt >= attempts || !transient(err) || ctx.Err() != nil {
			return nil, c.toError(ctx, r, err)
		}
		d := wait.NextBackOff()
		if ra, ok := retryAfter(err); ok {
			if ra > c.opts.RetryMaxWait {
				// The callee asked for a longer pause than this
				// call is willing to wait: give its answer back now.
				return nil, c.toError(ctx, r, err)
			}
			d = max(d, ra)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, c.toError(ctx, r, err)
		case <-t.C:
		}
	}
}

// retryAfter returns the pause a 429 or 503 answer asked for.
func retryAfter(err error) (time.Duration, bool) {
	var se *statusError
	if !errors.As(err, &se) {
		return 0, false
	}
	v := se.res.header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// callerGoneError marks an attempt cut short by the caller's own context.
type callerGoneError struct{ err error }

func (e *callerGoneError) Error() string { return e.err.Error() }
func (e *callerGoneError) Unwrap() error { return e.err }

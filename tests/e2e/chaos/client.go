package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// api is one caller (a base URL and a bearer token): the gateway, or the second quota process directly.
type api struct {
	name  string // "gateway" or "quota-2"
	base  string
	token string
	hc    *http.Client
}

// answer is what a request finally got.
type answer struct {
	Status   int
	Body     map[string]any
	Raw      string
	Attempts int
	Err      error // the last transport error when no answer came at all
}

func (a answer) code() string {
	if c, ok := a.Body["code"].(string); ok {
		return c
	}
	return ""
}

// fenced reports the ledger's answer to work that recovery settled as never applied while it was
// still being retried (ledger.ErrFenced): nothing changed and the request may be made again; the
// ledger keys its records by the Idempotency-Key, so a client asks again under a new key.
func (a answer) fenced() bool {
	return a.Status == http.StatusConflict && a.code() == "conflict" && strings.Contains(a.str("detail"), "fenced off by recovery")
}

func (a answer) str(field string) string {
	s, _ := a.Body[field].(string)
	return s
}

func (a answer) String() string {
	if a.Status == 0 {
		return fmt.Sprintf("no answer after %d attempts: %v", a.Attempts, a.Err)
	}
	raw := a.Raw
	if len(raw) > 400 {
		raw = raw[:400] + "…"
	}
	return fmt.Sprintf("%d after %d attempts: %s", a.Status, a.Attempts, raw)
}

// once sends one attempt.
func (c *api) once(ctx context.Context, method, path, key string, body []byte, timeout time.Duration) (int, http.Header, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, raw, nil
}

// retryPolicy bounds how a client insists on a write.
type retryPolicy struct {
	attempts int
	timeout  time.Duration // per attempt
}

var (
	writePolicy = retryPolicy{attempts: 40, timeout: 30 * time.Second}
	readPolicy  = retryPolicy{attempts: 40, timeout: 30 * time.Second}
)

// retries counts every attempt after a request's first, over the whole run.
var retries atomic.Int64

// call sends a request and, as a careful client does, sends it again with the SAME Idempotency-Key
// after a connection error, a timeout, a 5xx, a 429, or a 409 that says "retry later" (Retry-After),
// up to pol.attempts, backing off 200 ms → 2 s. Any other answer is final.
func (c *api) call(ctx context.Context, pol retryPolicy, method, path, key string, in any) answer {
	var body []byte
	if in != nil {
		body, _ = json.Marshal(in)
	}
	var a answer
	backoff := 200 * time.Millisecond
	for a.Attempts = 1; ; a.Attempts++ {
		status, hdr, raw, err := c.once(ctx, method, path, key, body, pol.timeout)
		a.Status, a.Err, a.Raw, a.Body = status, err, string(raw), nil
		if err == nil {
			_ = json.Unmarshal(raw, &a.Body)
		}
		again := err != nil || status >= 500 || status == http.StatusTooManyRequests ||
			(status == http.StatusConflict && hdr.Get("Retry-After") != "")
		if !again || a.Attempts >= pol.attempts || ctx.Err() != nil {
			return a
		}
		retries.Add(1)
		timeline("retry %s %s %s key=%s attempt %d: %s", c.name, method, path, key, a.Attempts, shortErr(status, err, raw))
		select {
		case <-ctx.Done():
			return a
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 2*time.Second)
	}
}

func shortErr(status int, err error, raw []byte) string {
	if err != nil {
		return err.Error()
	}
	s := strings.TrimSpace(string(raw))
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return fmt.Sprintf("%d %s", status, s)
}

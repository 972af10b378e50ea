package svcclient

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

// Headers the client sets on every call.
const (
	HeaderRequestID      = "X-Request-ID"
	HeaderCallerService  = "X-Caller-Service"
	HeaderIdempotencyKey = "Idempotency-Key"
)

// request is everything needed to send one call again: the body is kept as
// bytes so that every attempt sends it whole.
type request struct {
	method string
	url    string
	body   []byte
	header http.Header
	desc   string // "quota POST /v1/transfers", for errors
}

// response is a complete answer, body read, of any status.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (c *Client) prepare(ctx context.Context, method, path string, in any, co *call) (*request, error) {
	u := *c.base
	p, rawQuery, _ := strings.Cut(path, "?")
	u.Path += "/" + strings.TrimPrefix(p, "/")
	q := u.Query()
	if rawQuery != "" {
		if err := mergeQuery(q, rawQuery); err != nil {
			return nil, apperr.Internal(fmt.Errorf("svcclient: %s %s: %w", method, path, err))
		}
	}
	for k, vs := range co.query {
		q[k] = append(q[k], vs...)
	}
	u.RawQuery = q.Encode()

	r := &request{method: method, url: u.String(), header: http.Header{},
		desc: c.opts.Service + " " + method + " " + p}
	for k, vs := range co.header {
		r.header[k] = vs
	}
	r.header.Set("Accept", "application/json, "+apperr.ContentType)
	if in != nil {
		body, err := json.Marshal(in)
		if err != nil {
			return nil, apperr.Internal(fmt.Errorf("svcclient: %s: encode request: %w", r.desc, err))
		}
		r.body = body
		r.header.Set("Content-Type", "application/json")
	}
	token, err := c.token(ctx, co.asService)
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("svcclient: %s: service token: %w", r.desc, err))
	}
	if token != "" {
		r.header.Set("Authorization", "Bearer "+token)
	}
	id, ok := RequestIDFromContext(ctx)
	if !ok {
		// A job has no incoming request; one ID per call still ties the
		// callee's logs to the caller's retries.
		id = newRequestID()
	}
	r.header.Set(HeaderRequestID, id)
	if c.opts.Caller != "" {
		r.header.Set(HeaderCallerService, c.opts.Caller)
	}
	if co.idempotencyKey != "" {
		r.header.Set(HeaderIdempotencyKey, co.idempotencyKey)
	}
	return r, nil
}

// token prefers the person's token from ctx, so the callee checks what the
// person may do, and falls back to the service's own identity; asService
// prefers the service's own identity when it has one.
func (c *Client) token(ctx context.Context, asService bool) (string, error) {
	if asService && c.opts.TokenSource != nil {
		return c.opts.TokenSource(ctx)
	}
	if t, ok := TokenFromContext(ctx); ok {
		return t, nil
	}
	if c.opts.TokenSource == nil {
		return "", nil
	}
	return c.opts.TokenSource(ctx)
}

// send makes one attempt under the per-attempt timeout and reads the whole
// answer, so the timeout covers a callee that stalls mid-body.
func (c *Client) send(ctx context.Context, r *request) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, r.method, r.url, bytes.NewReader(r.body))
	if err != nil {
		return nil, &permanentError{err: err}
	}
	if r.body == nil {
		hr.Body, hr.GetBody = http.NoBody, nil
	}
	hr.Header = r.header.Clone()
	resp, err := c.http.Do(hr)
	if err != nil {
		return nil, &transportError{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxResponseBytes+1))
	if err != nil {
		return nil, &transportError{err: fmt.Errorf("read answer: %w", err)}
	}
	if int64(len(body)) > c.opts.MaxResponseBytes {
		return nil, &permanentError{err: fmt.Errorf("answer larger than %d bytes", c.opts.MaxResponseBytes)}
	}
	res := &response{status: resp.StatusCode, header: resp.Header, body: body}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return res, &statusError{res: res}
	}
	return res, nil
}

func (c *Client) decode(r *request, res *response, out any) error {
	if out == nil || len(bytes.TrimSpace(res.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(res.body, out); err != nil {
		return apperr.Internal(fmt.Errorf("svcclient: %s: decode answer: %w", r.desc, err))
	}
	return nil
}

func mergeQuery(q url.Values, raw string) error {
	parsed, err := url.ParseQuery(raw)
	if err != nil {
		return err
	}
	for k, vs := range parsed {
		q[k] = append(q[k], vs...)
	}
	return nil
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// transportError is a failure to get an answer: refused, reset, timed out.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// statusError is a complete answer with a non-2xx status.
type statusError struct{ res *response }

func (e *statusError) Error() string { return fmt.Sprintf("status %d", e.res.status) }

// permanentError is a failure that another attempt would repeat.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

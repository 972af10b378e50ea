package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// replayedHeader marks an answer replayed from the idempotency store.
const replayedHeader = "Idempotent-Replayed"

// maxKeptAnswer bounds the answer kept for replay: a store document holds at
// most 16 MB. A larger answer (a huge batch's results) is not kept; a retry
// then runs the handler again, which the ledger's derived IDs make
// idempotent, and answers the same.
const maxKeptAnswer = 8 << 20

// requestIDPrefix prefixes the IDs of claimed requests.
const requestIDPrefix = "req"

// Requests is the part of ledger.Store the idempotency middleware uses.
type Requests interface {
	ClaimRequest(ctx context.Context, rec ledger.RequestRecord) error
	Request(ctx context.Context, id string) (ledger.RequestRecord, error)
	SaveResponse(ctx context.Context, id string, status int, contentType string, body []byte) error
}

// idempotent is the middleware of every write route. It requires an
// Idempotency-Key and claims it, scoped by the caller, before the handler
// has any effect:
//   - a key never seen: the claim is recorded with the request's
//     fingerprint, the handler runs, and its answer is kept if final;
//   - the same key with another request (route, path parameters or body):
//     422 idempotency_key_reused, and nothing runs;
//   - the same key with the same request and a kept answer: that answer,
//     byte for byte, with Idempotent-Replayed: true, whatever changed since;
//   - the same request without a kept answer (the first attempt failed
//     with a 5xx, was cancelled, crashed or is still running): the handler
//     runs again; the ledger keys its own records by IDs derived from the
//     caller and the key, so this completes the first attempt rather than
//     starting a second one. Only a success of such a run is kept: a
//     refusal may come from meeting the first attempt half done.
//
// It runs after auth (the caller scopes the key) and after the server's
// body limit (it reads the body, and gives it back to the handler).
func idempotent(store Requests, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader(idemKey)
		if err := ledger.ValidIdempotencyKey(key); err != nil {
			fail(c, err)
			return
		}
		body, err := readBody(c)
		if err != nil {
			httpserver.Fail(c, err)
			return
		}
		ctx := c.Request.Context()
		route := c.Request.Method + " " + c.FullPath()
		rec := ledger.RequestRecord{
			ID:          ledger.ScopedID(requestIDPrefix, auth.Caller(c).Subject, key),
			Fingerprint: fingerprint(route, c.Params, body),
			Route:       route,
			CreatedAt:   time.Now().UTC(),
		}
		err = store.ClaimRequest(ctx, rec)
		rerun := errors.Is(err, ledger.ErrDuplicate)
		if rerun {
			var prior ledger.RequestRecord
			prior, err = store.Request(ctx, rec.ID)
			switch {
			case err != nil:
			case prior.Fingerprint != rec.Fingerprint:
				fail(c, ledger.ReusedKey())
				return
			case prior.Status != 0:
				replay(c, prior)
				return
			}
			// Claimed before, no answer kept: run again (see above).
		}
		if err != nil {
			httpserver.Fail(c, err)
			return
		}

		w := &capture{ResponseWriter: c.Writer}
		c.Writer = w
		c.Next()
		// A failing handler only recorded its error; the renderer would
		// write it after this middleware returns, too late to keep it.
		httpserver.WriteError(c)
		c.Writer = w.ResponseWriter

		status := w.Status()
		if !final(status, w.Header()) || ctx.Err() != nil || w.overflow {
			return
		}
		if rerun && status >= 300 {
			// A run again may race the first attempt still in flight, or
			// find it half done (an exit whose person is archived already):
			// its refusal may be an artefact of that, never kept. Its
			// success is the ledger's one result under the derived IDs.
			return
		}
		// The answer is sent; keeping it must not depend on the caller
		// still waiting for it.
		save, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := store.SaveResponse(save, rec.ID, status, w.Header().Get("Content-Type"), w.body.Bytes()); err != nil {
			// Not fatal: a retry finds no answer and runs the handler again.
			log.WarnContext(ctx, "idempotency: answer not kept", "error", err, "route", route,
				"requestId", httpserver.RequestID(c))
		}
	}
}

// readBody reads the request body (bounded by the server's body limit) and
// puts it back for the handler.
func readBody(c *gin.Context) ([]byte, error) {
	if c.Request.Body == nil || c.Request.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(c.Request.Body)
	_ = c.Request.Body.Close()
	if err != nil {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return nil, apperr.Newf(apperr.CodeBodyTooLarge, "", "request body exceeds %d bytes", big.Limit)
		}
		return nil, apperr.New(apperr.CodeMalformedJSON, "请求内容读取失败", "reading the request body: "+err.Error())
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

// fingerprint is the sha256 of the route template, the path parameters and
// the compacted JSON body (the raw bytes if the body is not JSON, "" if
// empty), each length-prefixed so no two requests share an encoding.
func fingerprint(route string, params gin.Params, body []byte) string {
	h := sha256.New()
	field := func(b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field([]byte(route))
	for _, p := range params {
		field([]byte(p.Key))
		field([]byte(p.Value))
	}
	var compact bytes.Buffer
	if len(body) > 0 && json.Compact(&compact, body) == nil {
		body = compact.Bytes()
	}
	field([]byte("body"))
	field(body)
	return hex.EncodeToString(h.Sum(nil))
}

// final reports whether an answer is the request's last word, kept for
// replay: successes and refusals, including those that depend on the
// ledger's state (409 quota_exhausted stays the answer even after a post
// falls vacant). Not final: 5xx, 429, and a 409 that says "retry later"
// (Retry-After: the request met another in flight), after which the same
// request may succeed.
func final(status int, h http.Header) bool {
	switch {
	case status >= 200 && status < 300:
		return true
	case status == http.StatusTooManyRequests, status == http.StatusRequestTimeout:
		return false
	case status == http.StatusConflict:
		return h.Get("Retry-After") == ""
	case status >= 400 && status < 500:
		return true
	}
	return false
}

// replay answers with a kept answer.
func replay(c *gin.Context, r ledger.RequestRecord) {
	if r.ContentType != "" {
		c.Header("Content-Type", r.ContentType)
	}
	c.Header(replayedHeader, "true")
	c.Status(r.Status)
	_, _ = c.Writer.Write(r.Body)
	c.Abort()
}

// capture keeps a copy of the answer a handler writes.
type capture struct {
	gin.ResponseWriter
	body     bytes.Buffer
	overflow bool
}

func (w *capture) Write(b []byte) (int, error) {
	w.keep(b)
	return w.ResponseWriter.Write(b)
}

func (w *capture) WriteString(s string) (int, error) {
	w.keep([]byte(s))
	return w.ResponseWriter.WriteString(s)
}

func (w *capture) keep(b []byte) {
	if w.overflow {
		return
	}
	if w.body.Len()+len(b) > maxKeptAnswer {
		w.overflow = true
		w.body = bytes.Buffer{}
		return
	}
	w.body.Write(b)
}

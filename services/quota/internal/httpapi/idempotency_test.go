package httpapi

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// memRequests is the requests collection in memory, with the store's
// semantics: claims and answers are insert-only, the first answer wins.
type memRequests struct {
	mu   sync.Mutex
	recs map[string]ledger.RequestRecord
}

func (m *memRequests) ClaimRequest(_ context.Context, r ledger.RequestRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.recs[r.ID]; ok {
		return fmt.Errorf("claim: %w", ledger.ErrDuplicate)
	}
	m.recs[r.ID] = r
	return nil
}

func (m *memRequests) Request(_ context.Context, id string) (ledger.RequestRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[id]
	if !ok {
		return r, ledger.ErrNotFound
	}
	return r, nil
}

func (m *memRequests) SaveResponse(_ context.Context, id string, status int, ct string, body []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.recs[id]
	if r.Status == 0 {
		r.Status, r.ContentType, r.Body = status, ct, append([]byte(nil), body...)
		m.recs[id] = r
	}
	return nil
}

// rig mounts one write route behind the idempotency middleware, as Routes
// does, whose handler answers what next says and counts its runs.
type rig struct {
	e    *gin.Engine
	runs int
	next func(c *gin.Context)
}

func newRig(t *testing.T) *rig {
	t.Helper()
	gin.SetMode(gin.TestMode)
	r := &rig{e: gin.New()}
	r.e.Use(httpserver.ErrorRenderer(slog.New(slog.DiscardHandler), prometheus.NewRegistry()))
	store := &memRequests{recs: map[string]ledger.RequestRecord{}}
	who := func(c *gin.Context) {
		// What auth.Middleware stores for a verified token.
		cl := &auth.Claims{}
		cl.Subject = c.GetHeader("X-Test-Subject")
		c.Set("bianzhi.claims", cl)
	}
	r.e.POST("/v1/things/:id", who, idempotent(store, slog.New(slog.DiscardHandler)), func(c *gin.Context) {
		r.runs++
		r.next(c)
	})
	return r
}

func (r *rig) post(t *testing.T, subject, key, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	if key != "" {
		req.Header.Set(idemKey, key)
	}
	req.Header.Set("X-Test-Subject", subject)
	w := httptest.NewRecorder()
	r.e.ServeHTTP(w, req)
	return w
}

func echo(c *gin.Context) {
	b, _ := io.ReadAll(c.Request.Body)
	c.JSON(http.StatusCreated, gin.H{"got": string(b), "id": c.Param("id")})
}

func TestIdempotencyMiddleware(t *testing.T) {
	t.Run("replay, reuse and compaction", func(t *testing.T) {
		r := newRig(t)
		r.next = echo
		first := r.post(t, "a", "k", "/v1/things/1", `{"x": 1}`)
		if first.Code != 201 || !strings.Contains(first.Body.String(), `{\"x\": 1}`) {
			t.Fatalf("first: %d %s (the handler must get the body as sent)", first.Code, first.Body)
		}
		again := r.post(t, "a", "k", "/v1/things/1", "{\n  \"x\":1 }")
		if again.Code != 201 || again.Body.String() != first.Body.String() || again.Header().Get(replayedHeader) != "true" || r.runs != 1 {
			t.Fatalf("same JSON, other spacing: %d %s runs %d", again.Code, again.Body, r.runs)
		}
		for name, tc := range map[string][2]string{
			"other body":    {"/v1/things/1", `{"x":2}`},
			"other path":    {"/v1/things/2", `{"x":1}`},
			"empty body":    {"/v1/things/1", ``},
			"another field": {"/v1/things/1", `{"x":1,"y":0}`},
		} {
			w := r.post(t, "a", "k", tc[0], tc[1])
			if w.Code != 422 || !strings.Contains(w.Body.String(), `"code":"idempotency_key_reused"`) ||
				!strings.Contains(w.Body.String(), `"field":"Idempotency-Key"`) || w.Header().Get("Content-Type") != apperr.ContentType {
				t.Errorf("%s: %d %s", name, w.Code, w.Body)
			}
		}
		if w := r.post(t, "b", "k", "/v1/things/1", `{"x":2}`); w.Code != 201 || r.runs != 2 {
			t.Fatalf("another caller's key k: %d %s", w.Code, w.Body)
		}
		if w := r.post(t, "a", "", "/v1/things/1", `{}`); w.Code != 400 || !strings.Contains(w.Body.String(), `"field":"Idempotency-Key"`) || r.runs != 2 {
			t.Fatalf("no key: %d %s", w.Code, w.Body)
		}
		if w := r.post(t, "a", "bad key", "/v1/things/1", `{}`); w.Code != 400 || r.runs != 2 {
			t.Fatalf("a key with a space: %d %s", w.Code, w.Body)
		}
	})

	t.Run("refusals are kept with their problem bytes", func(t *testing.T) {
		r := newRig(t)
		r.next = func(c *gin.Context) {
			httpserver.Fail(c, apperr.New(apperr.CodeQuotaExhausted, "", "full").WithExtra("vacant", 0))
		}
		first := r.post(t, "a", "k", "/v1/things/1", `{}`)
		r.next = echo // the state changed: a vacancy
		again := r.post(t, "a", "k", "/v1/things/1", `{}`)
		if first.Code != 409 || again.Code != 409 || again.Body.String() != first.Body.String() || r.runs != 1 ||
			again.Header().Get("Content-Type") != apperr.ContentType {
			t.Fatalf("refusal: %d %s / replay %d %s runs %d", first.Code, first.Body, again.Code, again.Body, r.runs)
		}
	})

	t.Run("not final: 5xx, retry later, and a refusal of a re-run", func(t *testing.T) {
		r := newRig(t)
		r.next = func(c *gin.Context) { httpserver.Fail(c, fmt.Errorf("store down")) }
		if w := r.post(t, "a", "k", "/v1/things/1", `{}`); w.Code != 500 {
			t.Fatalf("internal: %d", w.Code)
		}
		r.next = func(c *gin.Context) {
			fail(c, &ledger.Error{Code: ledger.CodeConflict, Message: "稍后重试", Detail: "in flight", RetryLater: true})
		}
		if w := r.post(t, "a", "k", "/v1/things/1", `{}`); w.Code != 409 || w.Header().Get("Retry-After") == "" {
			t.Fatalf("retry later: %d %v", w.Code, w.Header())
		}
		r.next = func(c *gin.Context) { fail(c, ledger.NotFound("incumbent", "***")) }
		if w := r.post(t, "a", "k", "/v1/things/1", `{}`); w.Code != 404 || w.Header().Get(replayedHeader) != "" {
			t.Fatalf("re-run refusal: %d", w.Code)
		}
		r.next = echo
		if w := r.post(t, "a", "k", "/v1/things/1", `{}`); w.Code != 201 || w.Header().Get(replayedHeader) != "" || r.runs != 4 {
			t.Fatalf("run after three answers not kept: %d runs %d", w.Code, r.runs)
		}
		if w := r.post(t, "a", "k", "/v1/things/1", `{}`); w.Code != 201 || w.Header().Get(replayedHeader) != "true" || r.runs != 4 {
			t.Fatalf("the success of a re-run is kept: %d runs %d", w.Code, r.runs)
		}
	})
}

package httpserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
)

type item struct {
	Name  string `json:"name" validate:"required"`
	Count int64  `json:"count" validate:"gt=0"`
}

type order struct {
	Unit  string `json:"unit" validate:"required"`
	Items []item `json:"items" validate:"required,min=1,dive"`
}

func newServer(t *testing.T, ready error) *httpserver.Server {
	t.Helper()
	s := httpserver.New(httpserver.Options{Service: "test", MaxBodyBytes: 256,
		Ready: []httpserver.ReadyCheck{{Name: "store", Check: func(context.Context) error { return ready }}}})
	s.Engine().POST("/v1/orders", func(c *gin.Context) {
		var o order
		if err := httpserver.BindJSON(c, &o); err != nil {
			_ = c.Error(err)
			return
		}
		c.JSON(http.StatusCreated, o)
	})
	s.Engine().GET("/v1/things/:id", func(c *gin.Context) { c.String(200, c.Param("id")) })
	s.Engine().GET("/v1/panic", func(c *gin.Context) { panic("boom") })
	s.Engine().GET("/v1/internal", func(c *gin.Context) { _ = c.Error(errors.New("secret db password leaked")) })
	s.Engine().GET("/v1/exhausted", func(c *gin.Context) {
		_ = c.Error(apperr.New(apperr.CodeQuotaExhausted, "", "unit is full").WithExtra("approved", 10))
	})
	return s
}

func do(s *httpserver.Server, method, path, body string) (*httptest.ResponseRecorder, map[string]any) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.Engine().ServeHTTP(w, req)
	var p map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &p)
	return w, p
}

func TestBadInputIsAProblemNamingTheField(t *testing.T) {
	t.Parallel()
	s := newServer(t, nil)
	tests := []struct {
		name, body string
		status     int
		code       string
		field      string
	}{
		{"malformed", `{"unit":`, 400, "malformed_json", ""},
		{"not json", `hello`, 400, "malformed_json", ""},
		{"empty", ``, 400, "malformed_json", ""},
		{"unknown field", `{"unit":"u","items":[{"name":"a","count":1}],"colour":"red"}`, 400, "unknown_field", "colour"},
		{"wrong type", `{"unit":"u","items":[{"name":"a","count":"two"}]}`, 400, "wrong_type", "items.count"},
		{"missing", `{"items":[{"name":"a","count":1}]}`, 400, "invalid_argument", "unit"},
		{"nested rule", `{"unit":"u","items":[{"name":"a","count":0}]}`, 400, "invalid_argument", "items[0].count"},
		{"two values", `{"unit":"u","items":[{"name":"a","count":1}]} {}`, 400, "malformed_json", ""},
		{"too large", `{"unit":"` + strings.Repeat("x", 300) + `"}`, 413, "body_too_large", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, p := do(s, http.MethodPost, "/v1/orders", tt.body)
			if w.Code != tt.status || p["code"] != tt.code {
				t.Fatalf("got %d %v, want %d %s", w.Code, p, tt.status, tt.code)
			}
			if ct := w.Header().Get("Content-Type"); ct != apperr.ContentType {
				t.Fatalf("content type %q", ct)
			}
			if tt.field != "" && p["field"] != tt.field {
				t.Fatalf("field %v, want %s", p["field"], tt.field)
			}
			if p["title"] == "" || p["requestId"] == "" || p["status"] != float64(tt.status) {
				t.Fatalf("problem incomplete: %v", p)
			}
		})
	}
	if w, _ := do(s, http.MethodPost, "/v1/orders", `{"unit":"u","items":[{"name":"a","count":1}]}`); w.Code != 201 {
		t.Fatalf("good input refused: %d %s", w.Code, w.Body)
	}
}

func TestInternalErrorsAndPanicsAreHidden(t *testing.T) {
	t.Parallel()
	s := newServer(t, nil)
	for _, path := range []string{"/v1/panic", "/v1/internal"} {
		w, p := do(s, http.MethodGet, path, "")
		if w.Code != 500 || p["code"] != "internal" || strings.Contains(w.Body.String(), "secret") || strings.Contains(w.Body.String(), "boom") {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
	}
	w, p := do(s, http.MethodGet, "/v1/exhausted", "")
	if w.Code != 409 || p["code"] != "quota_exhausted" || p["approved"] != float64(10) {
		t.Fatalf("domain error: %d %s", w.Code, w.Body)
	}
	if w, p := do(s, http.MethodGet, "/v1/nowhere", ""); w.Code != 404 || p["code"] != "not_found" {
		t.Fatalf("no route: %d %s", w.Code, w.Body)
	}
	if w, p := do(s, http.MethodDelete, "/v1/things/1", ""); w.Code != 405 || p["code"] != "method_not_allowed" {
		t.Fatalf("wrong method: %d %s", w.Code, w.Body)
	}
}

func TestMetricsPerRouteTemplate(t *testing.T) {
	t.Parallel()
	s := newServer(t, nil)
	for _, id := range []string{"1", "2", "3"} {
		do(s, http.MethodGet, "/v1/things/"+id, "")
	}
	do(s, http.MethodGet, "/v1/exhausted", "")
	reqs := s.Registry()
	got := testutil.ToFloat64(counter(t, reqs, "bianzhi_http_requests_total", map[string]string{"route": "/v1/things/:id", "status": "200"}))
	if got != 3 {
		t.Fatalf("requests for the route template = %v, want 3", got)
	}
	if n := testutil.ToFloat64(counter(t, reqs, "bianzhi_http_requests_total", map[string]string{"route": "/v1/exhausted", "status": "409"})); n != 1 {
		t.Fatalf("409 not counted: %v", n)
	}
	w, _ := do(s, http.MethodGet, "/metrics", "")
	body := w.Body.String()
	for _, want := range []string{"bianzhi_http_request_duration_seconds_bucket", "go_goroutines", "bianzhi_build_info", `bianzhi_errors_total{code="quota_exhausted"} 1`} {
		if !strings.Contains(body, want) {
			t.Fatalf("/metrics lacks %s", want)
		}
	}
}

// counter finds one series of a counter vector in a registry by label subset.
func counter(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) prometheus.Collector {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			match := 0
			for _, lp := range m.GetLabel() {
				if v, ok := labels[lp.GetName()]; ok && v == lp.GetValue() {
					match++
				}
			}
			if match == len(labels) {
				c := prometheus.NewCounter(prometheus.CounterOpts{Name: "x"})
				c.Add(m.GetCounter().GetValue())
				return c
			}
		}
	}
	t.Fatalf("series %s%v not found", name, labels)
	return nil
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	if w, _ := do(newServer(t, nil), http.MethodGet, "/readyz", ""); w.Code != 200 {
		t.Fatalf("ready: %d", w.Code)
	}
	w, _ := do(newServer(t, errors.New("mongo down")), http.MethodGet, "/readyz", "")
	if w.Code != 503 || !strings.Contains(w.Body.String(), "mongo down") {
		t.Fatalf("not ready: %d %s", w.Code, w.Body)
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	t.Parallel()
	s := newServer(t, nil)
	slow, started := make(chan struct{}), make(chan struct{})
	s.Engine().GET("/v1/slow", func(c *gin.Context) { close(started); <-slow; c.String(200, "done") })
	ln, err := httpserver.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/v1/slow")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-started // the request is in flight: now ask the server to stop, then let the handler finish
	cancel()
	time.Sleep(50 * time.Millisecond)
	close(slow)
	if body := <-got; body != "done" {
		t.Fatalf("in-flight request cut off: %s", body)
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
}

package svcclient

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// seen is what the test server recorded of one request.
type seen struct {
	method string
	url    string
	header http.Header
	body   string
}

// recorder is an httptest server whose answers a test scripts per attempt.
type recorder struct {
	srv    *httptest.Server
	mu     sync.Mutex
	calls  []seen
	answer func(n int, w http.ResponseWriter, r *http.Request) // n counts from 1
}

func newRecorder(tb testing.TB, answer func(n int, w http.ResponseWriter, r *http.Request)) *recorder {
	tb.Helper()
	rec := &recorder{answer: answer}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.calls = append(rec.calls, seen{r.Method, r.URL.String(), r.Header.Clone(), string(body)})
		n := len(rec.calls)
		rec.mu.Unlock()
		rec.answer(n, w, r)
	}))
	tb.Cleanup(rec.srv.Close)
	return rec
}

func (rec *recorder) hits() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.calls)
}

func (rec *recorder) call(i int) seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.calls[i]
}

// status answers every request with code and a JSON body.
func status(code int) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, `{"ok":true}`)
	}
}

// failThen answers failures with code, then 200 {"ok":true}.
func failThen(failures, code int) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, r *http.Request) {
		if n <= failures {
			w.WriteHeader(code)
			return
		}
		status(http.StatusOK)(n, w, r)
	}
}

// newTestClient returns a client of rec with waits short enough for tests.
func newTestClient(tb testing.TB, rec *recorder, edit func(*Options)) *Client {
	tb.Helper()
	opts := Options{
		BaseURL:      rec.srv.URL,
		Service:      "quota",
		Caller:       "units",
		RetryWait:    time.Millisecond,
		RetryMaxWait: 5 * time.Millisecond,
	}
	if edit != nil {
		edit(&opts)
	}
	c, err := New(opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return c
}

type okAnswer struct {
	OK bool `json:"ok"`
}

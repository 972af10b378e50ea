package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
)

// countingBody counts what the server pulled from the client, so a test can tell "refused without
// reading" from "read, then refused".
type countingBody struct {
	r    io.Reader
	read *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read.Add(int64(n))
	return n, err
}

// startLimited serves the default limit (no MaxBodyBytes: 64 KiB) with one ordinary route and one
// batch route of 1 MiB, on a real listener so chunked bodies are chunked.
func startLimited(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	s := httpserver.New(httpserver.Options{Service: "test"})
	var handled atomic.Int64
	echo := func(c *gin.Context) {
		handled.Add(1)
		var v struct {
			Pad string `json:"pad"`
		}
		if err := httpserver.BindJSON(c, &v); err != nil {
			_ = c.Error(err)
			return
		}
		c.JSON(http.StatusCreated, gin.H{"ok": true})
	}
	s.Engine().POST("/v1/incumbents", echo)
	s.Engine().POST("/v1/incumbents/batch", httpserver.BodyLimit(1<<20), echo)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String(), &handled
}

func jsonOf(n int) []byte {
	return []byte(`{"pad":"` + strings.Repeat("x", n) + `"}`)
}

func post(t *testing.T, url string, body io.Reader, size int64) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size // -1: chunked
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&p)
	return resp, p
}

func TestTenMegabytesToAnOrdinaryRouteIsRefusedUnread(t *testing.T) {
	t.Parallel()
	url, handled := startLimited(t)
	var read atomic.Int64
	body := jsonOf(10 << 20)
	resp, p := post(t, url+"/v1/incumbents", countingBody{bytes.NewReader(body), &read}, int64(len(body)))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || p["code"] != "body_too_large" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") || p["title"] != "请求内容过大" {
		t.Fatalf("10 MB body: %d %s %v", resp.StatusCode, resp.Header.Get("Content-Type"), p)
	}
	if handled.Load() != 0 {
		t.Fatal("the handler ran for a body whose declared length was already too large")
	}
	// The client may push a socket buffer's worth before it sees the answer; the server read none of it
	// into the handler, and nowhere near the 10 MB were sent.
	if n := read.Load(); n > 4<<20 {
		t.Fatalf("%d bytes of the body were sent before the refusal", n)
	}
}

func TestChunkedBodiesAreCutOffAtTheLimit(t *testing.T) {
	t.Parallel()
	url, _ := startLimited(t)
	resp, p := post(t, url+"/v1/incumbents", bytes.NewReader(jsonOf(100<<10)), -1)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || p["code"] != "body_too_large" {
		t.Fatalf("chunked 100 KiB to a 64 KiB route: %d %v", resp.StatusCode, p)
	}
	if resp, p = post(t, url+"/v1/incumbents/batch", bytes.NewReader(jsonOf(2<<20)), -1); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked 2 MiB to a 1 MiB route: %d %v", resp.StatusCode, p)
	}
}

func TestBatchRoutesDeclareTheirOwnLimit(t *testing.T) {
	t.Parallel()
	url, _ := startLimited(t)
	small := jsonOf(60 << 10)
	if resp, p := post(t, url+"/v1/incumbents", bytes.NewReader(small), int64(len(small))); resp.StatusCode != http.StatusCreated {
		t.Fatalf("60 KiB to an ordinary route: %d %v", resp.StatusCode, p)
	}
	mid := jsonOf(500 << 10)
	if resp, p := post(t, url+"/v1/incumbents", bytes.NewReader(mid), int64(len(mid))); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("500 KiB to an ordinary route: %d %v", resp.StatusCode, p)
	}
	if resp, p := post(t, url+"/v1/incumbents/batch", bytes.NewReader(mid), int64(len(mid))); resp.StatusCode != http.StatusCreated {
		t.Fatalf("500 KiB to a 1 MiB batch route: %d %v", resp.StatusCode, p)
	}
	if resp, p := post(t, url+"/v1/incumbents/batch", bytes.NewReader(mid), -1); resp.StatusCode != http.StatusCreated {
		t.Fatalf("500 KiB chunked to a 1 MiB batch route: %d %v", resp.StatusCode, p)
	}
	big := jsonOf(3 << 20)
	start := time.Now()
	resp, p := post(t, url+"/v1/incumbents/batch", bytes.NewReader(big), int64(len(big)))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || p["code"] != "body_too_large" {
		t.Fatalf("3 MiB to a 1 MiB batch route: %d %v (%s)", resp.StatusCode, p, time.Since(start))
	}
}

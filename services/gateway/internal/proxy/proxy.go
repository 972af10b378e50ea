// Package proxy forwards /api/<service>/<rest> to <service URL>/<rest>: the person's Authorization
// header rides along untouched, the request ID and X-Forwarded-* are set, and the trace continues
// into the service through an otelhttp transport. Transport failures come back as errors, so the
// caller renders them as problem+json instead of the standard library's bare 502.
package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/trace"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/telemetry"
)

// HeaderRequestID is the request ID header every Bianzhi service reads.
const HeaderRequestID = "X-Request-ID"

// Proxy forwards to one service.
type Proxy struct {
	Service string
	prefix  string
	rp      *httputil.ReverseProxy
}

type errKey struct{}

type errBox struct{ err error }

type ridKey struct{}

// NewTransport returns the traced transport shared by every proxy: bounded dial and header waits, so a
// hung service costs a request a minute at most, and W3C trace context injected into each call.
func NewTransport(tp trace.TracerProvider) http.RoundTripper {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.DialContext = (&net.Dialer{Timeout: 3 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	base.ResponseHeaderTimeout = 60 * time.Second
	base.MaxIdleConnsPerHost = 64
	return otelhttp.NewTransport(base, otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(telemetry.Propagator()),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return "proxy " + r.Method + " " + r.URL.Host }))
}

// New returns a proxy that serves /api/<service>/... from base.
func New(service, base string, transport http.RoundTripper) (*Proxy, error) {
	target, err := url.Parse(base)
	if err != nil || target.Host == "" {
		return nil, fmt.Errorf("proxy %s: bad URL %q", service, base)
	}
	p := &Proxy{Service: service, prefix: "/api/" + service}
	p.rp = &httputil.ReverseProxy{
		Transport: transport,
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Path = strings.TrimPrefix(r.In.URL.Path, p.prefix)
			r.Out.URL.RawPath = strings.TrimPrefix(r.In.URL.RawPath, p.prefix)
			r.SetURL(target)
			r.SetXForwarded()
			if id, ok := r.In.Context().Value(ridKey{}).(string); ok {
				r.Out.Header.Set(HeaderRequestID, id)
			}
		},
		ModifyResponse: func(resp *http.Response) error {
			// The gateway already answers with the same request ID; two copies would confuse clients.
			resp.Header.Del(HeaderRequestID)
			if resp.Request != nil && resp.Request.URL.Path == "/readyz" {
				summarizeReadiness(resp, service)
			}
			return nil
		},
		ErrorHandler: func(_ http.ResponseWriter, r *http.Request, err error) {
			if box, ok := r.Context().Value(errKey{}).(*errBox); ok {
				box.err = err
			}
		},
	}
	return p, nil
}

// Serve forwards r and writes the service's answer to w. When the service cannot be reached it writes
// nothing and returns the problem to render.
func (p *Proxy) Serve(w http.ResponseWriter, r *http.Request, requestID string) *apperr.Error {
	box := &errBox{}
	ctx := context.WithValue(context.WithValue(r.Context(), errKey{}, box), ridKey{}, requestID)
	p.rp.ServeHTTP(w, r.WithContext(ctx))
	if box.err == nil {
		return nil
	}
	return p.problem(box.err)
}

// summarizeReadiness replaces a service's detailed readiness (which dependency failed, and its error
// text) with its verdict alone: outsiders learn whether the service is ready, not how it is built.
// Probes and operators read the details on the service's own port, inside the cluster.
func summarizeReadiness(resp *http.Response, service string) {
	_ = resp.Body.Close()
	state := "ready"
	if resp.StatusCode != http.StatusOK {
		state = "not ready"
	}
	body, _ := json.Marshal(map[string]string{"status": state, "service": service})
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp.Header.Set("Content-Type", "application/json; charset=utf-8")
}

func (p *Proxy) problem(err error) *apperr.Error {
	var big *http.MaxBytesError
	if errors.As(err, &big) {
		return apperr.Newf(apperr.CodeBodyTooLarge, "", "request body exceeds %d bytes", big.Limit).Wrap(err)
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return apperr.Newf(apperr.CodeUnavailable, "服务“"+p.Service+"”暂时不可用，请稍后再试",
			"service %s cannot be reached", p.Service).WithExtra("service", p.Service).Wrap(err)
	}
	e := apperr.Newf(apperr.CodeUnavailable, "服务“"+p.Service+"”没有正常响应，请稍后再试",
		"service %s failed to answer", p.Service).WithExtra("service", p.Service).Wrap(err)
	e.Status = http.StatusBadGateway
	return e
}

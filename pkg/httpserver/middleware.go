package httpserver

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
)

// HeaderRequestID carries the request ID across services and back to the caller.
const HeaderRequestID = "X-Request-ID"

type ctxKey string

const requestIDKey ctxKey = "requestID"

// RequestID returns the current request's ID.
func RequestID(c *gin.Context) string { return c.GetString(string(requestIDKey)) }

func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(HeaderRequestID)
		if id == "" || len(id) > 128 {
			id = uuid.NewString()
		}
		c.Set(string(requestIDKey), id)
		c.Header(HeaderRequestID, id)
		// Calls this request makes to other services carry the same ID.
		c.Request = c.Request.WithContext(svcclient.WithRequestID(c.Request.Context(), id))
		c.Next()
	}
}

func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if err, ok := r.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(r)
				}
				log.ErrorContext(c.Request.Context(), "panic", "panic", r, "stack", string(debug.Stack()),
					"requestId", RequestID(c))
				e := apperr.Internal(nil)
				e.RequestID = RequestID(c)
				if !c.Writer.Written() {
					e.Write(c.Writer)
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

// DefaultMaxBodyBytes is the body limit of every route that declares none: 64 KiB holds any single
// record a person submits, while a caller cannot make a service buffer megabytes it never needed.
const DefaultMaxBodyBytes int64 = 64 << 10

// BatchMaxBodyBytes is the limit batch routes declare (BodyLimit(BatchMaxBodyBytes)): a few thousand
// rows, the size the demo loader and the Excel imports send, with room to spare.
const BatchMaxBodyBytes int64 = 16 << 20

const bodyKey = "bianzhi.body"

// limitedBody is the request body as the handlers see it. The limit is decided late, by the last
// BodyLimit on the route (or the server's default), and checked against Content-Length before the
// first byte is read, so an oversized body is refused without being read at all; a chunked body
// (no Content-Length) is cut off by http.MaxBytesReader once it passes the limit.
type limitedBody struct {
	orig  io.ReadCloser
	w     http.ResponseWriter
	size  int64 // Content-Length, -1 when unknown
	limit int64
	r     io.ReadCloser // set on first Read
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.r == nil {
		if b.size > b.limit {
			return 0, &http.MaxBytesError{Limit: b.limit}
		}
		b.r = http.MaxBytesReader(b.w, b.orig, b.limit)
	}
	return b.r.Read(p)
}

func (b *limitedBody) Close() error { return b.orig.Close() }

func tooLarge(n int64) *apperr.Error {
	return apperr.Newf(apperr.CodeBodyTooLarge, "", "request body exceeds %d bytes", n)
}

// bodyLimit puts every request body behind the server's default limit. A route that declares its
// own BodyLimit checks Content-Length itself; on any other route a declared length above the default
// is refused here, before authentication or anything else spends work on the request.
func bodyLimit(n int64) gin.HandlerFunc {
	var own sync.Map // "METHOD path" → whether the route has its own BodyLimit
	return func(c *gin.Context) {
		if c.Request.Body == nil || c.Request.Body == http.NoBody {
			c.Next()
			return
		}
		if c.Request.ContentLength > n && !hasOwnLimit(c, &own) {
			_ = c.Error(tooLarge(n))
			c.Abort()
			return
		}
		b := &limitedBody{orig: c.Request.Body, w: c.Writer, size: c.Request.ContentLength, limit: n}
		c.Request.Body = b
		c.Set(bodyKey, b)
		c.Next()
	}
}

// hasOwnLimit reports whether the matched route's handlers include a BodyLimit. Only requests with a
// body above the default ask, and the answer is remembered per route.
func hasOwnLimit(c *gin.Context, own *sync.Map) bool {
	key := c.Request.Method + " " + c.FullPath()
	if v, ok := own.Load(key); ok {
		return v.(bool)
	}
	found := false
	for _, name := range c.HandlerNames() {
		if strings.Contains(name, bodyLimitName) {
			found = true
			break
		}
	}
	own.Store(key, found)
	return found
}

// bodyLimitName is in the name the runtime gives the handler BodyLimit returns
// (".../httpserver.routeBodyLimit.handle-fm").
const bodyLimitName = "/pkg/httpserver.routeBodyLimit.handle"

// BodyLimit is a route's own body limit, in place of the server's default (MAX_BODY_BYTES): batch
// routes declare a larger one beside their route. A body whose Content-Length exceeds it is refused
// with 413 body_too_large before anything reads it; a chunked body is cut off at the limit.
func BodyLimit(n int64) gin.HandlerFunc { return routeBodyLimit{n: n}.handle }

// BodyLimitFunc is BodyLimit with a limit that depends on the request (a proxy's catch-all route, say,
// whose paths have different limits behind it).
func BodyLimitFunc(limit func(c *gin.Context) int64) gin.HandlerFunc {
	return routeBodyLimit{by: limit}.handle
}

// routeBodyLimit is a named type, not a closure, so that the shared middleware can recognise it among
// a route's handlers by name (closures are renamed when inlined; a method value is not).
type routeBodyLimit struct {
	n  int64
	by func(c *gin.Context) int64
}

func (l routeBodyLimit) handle(c *gin.Context) {
	n := l.n
	if l.by != nil {
		n = l.by(c)
	}
	if v, ok := c.Get(bodyKey); ok {
		if b := v.(*limitedBody); b.r == nil {
			b.limit = n
		}
	}
	if c.Request.ContentLength > n {
		_ = c.Error(tooLarge(n))
		c.Abort()
		return
	}
	c.Next()
}

func notFoundRoute(path string) *apperr.Error {
	return apperr.New(apperr.CodeNotFound, "接口不存在", "no route for "+path)
}

func methodNotAllowed(method string) *apperr.Error {
	return apperr.New(apperr.CodeMethodNotAllowed, "", "method "+method+" is not allowed here")
}

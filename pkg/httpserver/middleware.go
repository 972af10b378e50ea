package httpserver

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"

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

func bodyLimit(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > n {
			_ = c.Error(apperr.Newf(apperr.CodeBodyTooLarge, "", "request body exceeds %d bytes", n))
			c.Abort()
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		c.Next()
	}
}

func notFoundRoute(path string) *apperr.Error {
	return apperr.New(apperr.CodeNotFound, "接口不存在", "no route for "+path)
}

func methodNotAllowed(method string) *apperr.Error {
	return apperr.New(apperr.CodeMethodNotAllowed, "", "method "+method+" is not allowed here")
}

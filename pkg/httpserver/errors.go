package httpserver

import (
	"log/slog"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

var errCounters sync.Map // *prometheus.Registry → *prometheus.CounterVec

func errorCounter(reg prometheus.Registerer) *prometheus.CounterVec {
	if v, ok := errCounters.Load(reg); ok {
		return v.(*prometheus.CounterVec)
	}
	cv := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bianzhi_errors_total",
		Help: "Errors answered to clients, by code. Internal errors are the ones to alert on.",
	}, []string{"code"})
	if err := reg.Register(cv); err != nil {
		if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
			cv = are.ExistingCollector.(*prometheus.CounterVec)
		}
	}
	actual, _ := errCounters.LoadOrStore(reg, cv)
	return actual.(*prometheus.CounterVec)
}

// ErrorRenderer renders the last error a handler recorded with c.Error as problem+json. Errors that
// are not *apperr.Error are internal: their text is logged with the request ID and never sent.
func ErrorRenderer(log *slog.Logger, reg prometheus.Registerer) gin.HandlerFunc {
	counter := errorCounter(reg)
	return func(c *gin.Context) {
		c.Next()
		if len(c.Errors) == 0 {
			return
		}
		e := apperr.From(c.Errors.Last().Err)
		counter.WithLabelValues(string(e.Code)).Inc()
		if e.Code == apperr.CodeInternal || e.Code == apperr.CodeUnavailable {
			log.ErrorContext(c.Request.Context(), "request failed", "code", e.Code, "error", e.Error(),
				"requestId", RequestID(c), "path", c.FullPath())
		}
		WriteError(c)
	}
}

// WriteError writes the last error recorded with c.Error as problem+json, unless an answer was
// written already; ErrorRenderer calls it after the handlers. A middleware that must see the answer
// a handler failed with (to keep it for an idempotent replay) calls it right after c.Next; the
// renderer then still counts and logs the error and writes nothing more.
func WriteError(c *gin.Context) {
	if len(c.Errors) == 0 || c.Writer.Written() {
		return
	}
	out := *apperr.From(c.Errors.Last().Err)
	out.RequestID = RequestID(c)
	out.Write(c.Writer)
}

// Fail records err for the renderer and stops the handler chain.
func Fail(c *gin.Context, err error) {
	_ = c.Error(err)
	c.Abort()
}

package httpserver

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	service  string
}

// newMetrics registers the RED metrics. Labels use the route template (c.FullPath), never the raw
// path, so IDs in URLs cannot explode the series count; unmatched routes are labelled "unmatched".
func newMetrics(reg prometheus.Registerer, service string) *metrics {
	m := &metrics{
		service: service,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bianzhi_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status.",
		}, []string{"service", "route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "bianzhi_http_request_duration_seconds",
			Help:    "HTTP request durations, by route template and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"service", "route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *metrics) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(m.service, route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		m.duration.WithLabelValues(m.service, route, c.Request.Method).Observe(time.Since(start).Seconds())
	}
}

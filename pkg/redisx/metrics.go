package redisx

import (
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Results of a cache request, the values of the result label.
const (
	resultHit   = "hit"
	resultMiss  = "miss"
	resultError = "error"
)

// cacheRequests returns the bianzhi_cache_requests_total counter registered on
// reg. Every cache of a process shares one registry, so the second and later
// caches find the counter the first one registered and reuse it.
func cacheRequests(reg prometheus.Registerer) (*prometheus.CounterVec, error) {
	cv := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bianzhi_cache_requests_total",
		Help: "Read-through cache requests by cache and result (hit, miss, error). Errors are Redis failures served from the store.",
	}, []string{"cache", "result"})
	if reg == nil {
		return cv, nil
	}
	err := reg.Register(cv)
	if err == nil {
		return cv, nil
	}
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(*prometheus.CounterVec); ok {
			return existing, nil
		}
	}
	return nil, fmt.Errorf("redisx: register cache metrics: %w", err)
}

// logEvery is the least time between two logged Redis failures of one cache.
// During an outage every request fails the same way; one line in a while says
// so without flooding the log.
const logEvery = 10 * time.Second

// failureLog logs Redis failures at most once per logEvery and reports how
// many it kept quiet in between.
type failureLog struct {
	log        *slog.Logger
	cache      string
	last       atomic.Int64 // unix nanoseconds of the last line written
	suppressed atomic.Int64
}

func (f *failureLog) record(op, key string, err error) {
	now := time.Now().UnixNano()
	last := f.last.Load()
	if now-last < int64(logEvery) || !f.last.CompareAndSwap(last, now) {
		f.suppressed.Add(1)
		return
	}
	f.log.Warn("redis cache degraded, serving from the store",
		"cache", f.cache, "op", op, "key", key, "err", err,
		"suppressed", f.suppressed.Swap(0))
}

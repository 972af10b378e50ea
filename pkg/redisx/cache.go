package redisx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// Cache is a read-through cache of JSON values in Redis.
//
// Reads that find nothing call the loader (the store) and keep its answer for
// the cache's TTL; concurrent reads of one key share a single Redis lookup and
// a single load. When Redis fails, the read is served from the loader and
// counted as an error: a Redis outage makes requests slower, never wrong and
// never failed.
//
// Writers call Invalidate after their change is committed. Invalidation is
// best effort: if Redis cannot be reached the old value may be served until
// its TTL runs out, so the TTL is the bound on staleness and should be chosen
// with that in mind. The same bound covers the rare race in which a load that
// began before a write stores its older answer after the write's Invalidate.
//
// A Cache is safe for concurrent use.
type Cache struct {
	client *redis.Client
	name   string
	prefix string
	ttl    time.Duration
	group  singleflight.Group

	hit, miss, fail prometheus.Counter
	failures        *failureLog
}

// CacheOption adjusts a Cache built by NewCache.
type CacheOption func(*Cache)

// WithLogger sets the logger for Redis failures; the default is slog.Default().
func WithLogger(l *slog.Logger) CacheOption {
	return func(c *Cache) { c.failures.log = l }
}

// NewCache returns a cache named name whose entries live for ttl. Its Redis
// keys are "<name>:<key>", so caches sharing one Redis do not collide, and its
// requests are counted in bianzhi_cache_requests_total{cache=name} on reg
// (nil reg: counted but not exported).
func NewCache(client *redis.Client, name string, ttl time.Duration, reg prometheus.Registerer, opts ...CacheOption) (*Cache, error) {
	switch {
	case client == nil:
		return nil, errors.New("redisx: NewCache: nil client")
	case name == "":
		return nil, errors.New("redisx: NewCache: empty name")
	case ttl <= 0:
		return nil, fmt.Errorf("redisx: NewCache %q: ttl must be positive, got %v", name, ttl)
	}
	requests, err := cacheRequests(reg)
	if err != nil {
		return nil, err
	}
	c := &Cache{
		client:   client,
		name:     name,
		prefix:   name + ":",
		ttl:      ttl,
		hit:      requests.WithLabelValues(name, resultHit),
		miss:     requests.WithLabelValues(name, resultMiss),
		fail:     requests.WithLabelValues(name, resultError),
		failures: &failureLog{log: slog.Default(), cache: name},
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Name reports the cache's name, its metric label and key prefix.
func (c *Cache) Name() string { return c.name }

// flight is what one coalesced lookup hands to every caller waiting on it.
// Callers get the encoded value, not a shared Go value, so each decodes its
// own copy and none can alter what another sees.
type flight struct {
	data   []byte
	result string
}

// GetOrLoad returns the value cached under key, or calls load, caches its
// answer and returns it. An error from load is returned as is and nothing is
// cached. Redis failures are never returned: the value then comes from load.
//
// Concurrent calls for one key share one lookup and at most one load. The
// shared load runs under the first caller's deadline but not its
// cancellation, so one caller hanging up does not fail the others; each
// caller still stops waiting when its own ctx is done.
func GetOrLoad[T any](ctx context.Context, c *Cache, key string, load func(context.Context) (T, error)) (T, error) {
	var zero T
	rkey := c.prefix + key
	ch := c.group.DoChan(rkey, func() (v any, err error) {
		// DoChan re-panics on a goroutine of its own, which no recovery
		// middleware can catch; a panicking loader must fail its
		// requests, not the process.
		defer func() {
			if p := recover(); p != nil {
				v, err = nil, fmt.Errorf("redisx: cache %s: loader for %s panicked: %v", c.name, key, p)
			}
		}()
		sctx, cancel := detach(ctx)
		defer cancel()
		return c.lookup(sctx, rkey, func(ctx context.Context) (any, error) { return load(ctx) })
	})
	var res singleflight.Result
	select {
	case res = <-ch:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	if res.Err != nil {
		return zero, res.Err
	}
	f := res.Val.(flight)
	var v T
	if err := json.Unmarshal(f.data, &v); err != nil {
		if f.result != resultHit {
			return zero, fmt.Errorf("redisx: cache %s: decode %s: %w", c.name, key, err)
		}
		// The entry was written by another release with another shape:
		// drop it and answer from the store.
		c.failures.record("decode", rkey, err)
		c.Invalidate(ctx, key)
		c.fail.Inc()
		return load(ctx)
	}
	c.count(f.result)
	return v, nil
}

// lookup reads rkey from Redis and falls back to load on a miss or a Redis
// failure. Bytes in Redis that are not JSON at all are treated as a miss and
// overwritten.
func (c *Cache) lookup(ctx context.Context, rkey string, load func(context.Context) (any, error)) (any, error) {
	data, err := c.client.Get(ctx, rkey).Bytes()
	switch {
	case err == nil && json.Valid(data):
		return flight{data: data, result: resultHit}, nil
	case err == nil, errors.Is(err, redis.Nil):
		v, err := load(ctx)
		if err != nil {
			return nil, err
		}
		data, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("redisx: cache %s: encode %s: %w", c.name, rkey, err)
		}
		if err := c.client.Set(ctx, rkey, data, c.ttl).Err(); err != nil {
			c.failures.record("set", rkey, err)
			return flight{data: data, result: resultError}, nil
		}
		return flight{data: data, result: resultMiss}, nil
	default:
		c.failures.record("get", rkey, err)
		// Redis just failed; trying to store the answer would only add
		// another timeout to this request.
		v, err := load(ctx)
		if err != nil {
			return nil, err
		}
		data, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("redisx: cache %s: encode %s: %w", c.name, rkey, err)
		}
		return flight{data: data, result: resultError}, nil
	}
}

// Invalidate deletes keys from the cache. Call it after the write that made
// them stale has been committed. It does not fail: a Redis failure is counted
// as an error and logged, and the stale entries expire with their TTL.
func (c *Cache) Invalidate(ctx context.Context, keys ...string) {
	if len(keys) == 0 {
		return
	}
	rkeys := make([]string, len(keys))
	for i, k := range keys {
		rkeys[i] = c.prefix + k
		// Readers arriving from now on must not join a load that may
		// have read the store before the write.
		c.group.Forget(rkeys[i])
	}
	if err := c.client.Del(ctx, rkeys...).Err(); err != nil {
		c.fail.Inc()
		c.failures.record("del", rkeys[0], err)
	}
}

func (c *Cache) count(result string) {
	switch result {
	case resultHit:
		c.hit.Inc()
	case resultMiss:
		c.miss.Inc()
	default:
		c.fail.Inc()
	}
}

// detach returns a context that keeps ctx's values (trace, request ID) and
// deadline but not its cancellation.
func detach(ctx context.Context) (context.Context, context.CancelFunc) {
	d := context.WithoutCancel(ctx)
	if dl, ok := ctx.Deadline(); ok {
		return context.WithDeadline(d, dl)
	}
	return d, func() {}
}

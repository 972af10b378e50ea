// Package redisx connects services to Redis and gives them a read-through
// cache that never turns a Redis outage into a failed request.
//
// Redis holds nothing in Bianzhi that must not be lost: it caches what people
// and services read again and again (the unit tree, charters, balances). The
// client is therefore tuned to fail fast, so that a dead or slow Redis costs a
// request a few hundred milliseconds at worst, and the cache falls back to the
// store whenever Redis does not answer.
package redisx

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Default timeouts. They are short on purpose: a cache that waits seconds for
// Redis is slower than the store it protects.
const (
	DefaultDialTimeout  = 500 * time.Millisecond
	DefaultReadTimeout  = 250 * time.Millisecond
	DefaultWriteTimeout = 250 * time.Millisecond
)

// ErrUnreachable is wrapped by the error New returns when the client was built
// but Redis did not answer the first ping. The client is still usable and
// reconnects on its own, so a service should report itself degraded (for
// instance on /readyz) rather than refuse to start.
var ErrUnreachable = errors.New("redis unreachable")

// Options configures New. Zero durations take the package defaults.
type Options struct {
	Addr     string // host:port
	Password string
	DB       int

	DialTimeout  time.Duration
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	PoolSize     int // 0 means go-redis's default (10 per CPU)
}

// New returns a traced Redis client and pings it once.
//
// If the options are invalid New returns a nil client and an error. If Redis
// does not answer the ping, New returns the client together with an error
// wrapping ErrUnreachable; callers keep the client and carry on degraded.
func New(ctx context.Context, opts Options) (*redis.Client, error) {
	if opts.Addr == "" {
		return nil, errors.New("redisx: Options.Addr is empty")
	}
	client := redis.NewClient(&redis.Options{
		Addr:         opts.Addr,
		Password:     opts.Password,
		DB:           opts.DB,
		DialTimeout:  orDefault(opts.DialTimeout, DefaultDialTimeout),
		ReadTimeout:  orDefault(opts.ReadTimeout, DefaultReadTimeout),
		WriteTimeout: orDefault(opts.WriteTimeout, DefaultWriteTimeout),
		PoolTimeout:  orDefault(opts.DialTimeout, DefaultDialTimeout),
		PoolSize:     opts.PoolSize,
		// One retry absorbs a connection the server closed while idle;
		// more would only multiply the wait during an outage.
		MaxRetries: 1,
		// Each dial is tried once: go-redis's default of five dials 100ms
		// apart turns a refused connection into a half-second stall.
		DialerRetries: 1,
		// Request deadlines bound Redis calls too, so a slow Redis never
		// holds a request past its own budget.
		ContextTimeoutEnabled: true,
		// Bianzhi runs a single Redis, not a cluster that is upgraded under
		// it; skipping the handshake also keeps miniredis happy in tests.
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
	if err := redisotel.InstrumentTracing(client); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("redisx: instrument tracing: %w", err)
	}
	if err := client.Ping(ctx).Err(); err != nil {
		return client, fmt.Errorf("redisx: ping %s: %w: %w", opts.Addr, ErrUnreachable, err)
	}
	return client, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

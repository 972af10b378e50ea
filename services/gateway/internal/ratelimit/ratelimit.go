// Package ratelimit bounds login attempts with fixed one-minute windows kept in Redis, so every
// gateway replica counts against the same limit. Redis is a helper here, never a gate: when it does
// not answer, attempts are allowed (and logged), because refusing every login during a Redis outage
// would be worse than a minute without a limit.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter allows Per attempts per key per minute.
type Limiter struct {
	rdb    *redis.Client
	prefix string
	per    int64
	log    *slog.Logger
	now    func() time.Time
}

// New returns a limiter that keeps its counters under prefix.
func New(rdb *redis.Client, prefix string, perMinute int, log *slog.Logger) *Limiter {
	return &Limiter{rdb: rdb, prefix: prefix, per: int64(perMinute), log: log, now: time.Now}
}

// Allow counts one attempt for the parts (e.g. username and client IP) and reports whether it is
// within the limit, and if not, how long until the window turns.
func (l *Limiter) Allow(ctx context.Context, parts ...string) (bool, time.Duration) {
	now := l.now()
	window := now.Unix() / 60
	key := l.prefix + "ratelimit:" + digest(parts) + ":" + strconv.FormatInt(window, 10)
	pipe := l.rdb.TxPipeline()
	incr := pipe.Incr(ctx, key)
	pipe.Expire(ctx, key, 2*time.Minute) // outlives its window; set every time, so no key is left without one
	if _, err := pipe.Exec(ctx); err != nil {
		l.log.WarnContext(ctx, "rate limit not enforced: redis did not answer", "error", err)
		return true, 0
	}
	if incr.Val() > l.per {
		return false, time.Unix((window+1)*60, 0).Sub(now)
	}
	return true, 0
}

// digest keeps user-chosen text (usernames) out of Redis key syntax and bounds the key length.
func digest(parts []string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

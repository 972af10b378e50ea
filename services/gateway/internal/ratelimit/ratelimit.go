// Package ratelimit bounds login attempts with fixed one-minute windows kept in Redis, so every
// gateway replica counts against the same limit, and locks an account out after repeated failures
// (Lockout). Redis is a helper here, never a gate, but nor is its absence a free pass: when it does not
// answer, each replica counts in its own memory with the same limits, so an attacker gets at most one
// limit per replica instead of none.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strconv"
	"sync"
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
	local  windows // counts while Redis does not answer
}

// New returns a limiter that keeps its counters under prefix.
func New(rdb *redis.Client, prefix string, perMinute int, log *slog.Logger) *Limiter {
	return &Limiter{rdb: rdb, prefix: prefix, per: int64(perMinute), log: log, now: time.Now,
		local: windows{m: map[string]int64{}}}
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
	n := int64(0)
	if _, err := pipe.Exec(ctx); err != nil {
		l.log.WarnContext(ctx, "rate limit counted in process: redis did not answer", "error", err)
		n = l.local.incr(key, window)
	} else {
		n = incr.Val()
	}
	if n > l.per {
		return false, time.Unix((window+1)*60, 0).Sub(now)
	}
	return true, 0
}

// windows are fixed-window counters in memory, the fallback of a limiter whose Redis is down.
type windows struct {
	mu     sync.Mutex
	m      map[string]int64 // key (which names its window) → count
	window int64
}

func (w *windows) incr(key string, window int64) int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	if window != w.window || len(w.m) > maxLocalKeys {
		clear(w.m) // keys of past windows count for nothing; a flood of keys costs at most one window
		w.window = window
	}
	w.m[key]++
	return w.m[key]
}

// maxLocalKeys bounds the in-process counters.
const maxLocalKeys = 100000

// digest keeps user-chosen text (usernames) out of Redis key syntax and bounds the key length.
func digest(parts []string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

package ratelimit

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Lockout shuts an account's door after repeated wrong passwords, whoever tries them and from
// wherever: after Threshold failures in a row, the account refuses attempts for a backoff that
// doubles with every further failure (30 s, 1 min, 2 min, ... up to 15 min). A success clears it.
// Locked accounts are refused before any password is checked, for known and unknown usernames
// alike, so the lockout says nothing about which usernames exist.
//
// State lives in Redis (shared by every replica); when Redis does not answer, the replica keeps it in
// its own memory, so the lockout holds during an outage too.
type Lockout struct {
	rdb    *redis.Client
	prefix string
	log    *slog.Logger
	now    func() time.Time

	mu    sync.Mutex
	local map[string]*lockState
}

// Lockout parameters.
const (
	Threshold   = 5
	BaseBackoff = 30 * time.Second
	MaxBackoff  = 15 * time.Minute
	// failureMemory is how long failures are remembered without a new one.
	failureMemory = time.Hour
)

type lockState struct {
	failures int64
	until    time.Time
	last     time.Time
}

// NewLockout keeps its state under prefix in rdb.
func NewLockout(rdb *redis.Client, prefix string, log *slog.Logger) *Lockout {
	return &Lockout{rdb: rdb, prefix: prefix, log: log, now: time.Now, local: map[string]*lockState{}}
}

// Backoff is how long an account stays locked after failures failures in a row.
func Backoff(failures int64) time.Duration {
	if failures < Threshold {
		return 0
	}
	d := BaseBackoff
	for i := int64(Threshold); i < failures && d < MaxBackoff; i++ {
		d *= 2
	}
	return min(d, MaxBackoff)
}

func (l *Lockout) keys(username string) (fails, until string) {
	d := digest([]string{username})
	return l.prefix + "lockout:fails:" + d, l.prefix + "lockout:until:" + d
}

// Locked reports whether username is locked out now, and for how long still.
func (l *Lockout) Locked(ctx context.Context, username string) (bool, time.Duration) {
	_, untilKey := l.keys(username)
	ttl, err := l.rdb.PTTL(ctx, untilKey).Result()
	if err != nil {
		l.log.WarnContext(ctx, "lockout checked in process: redis did not answer", "error", err)
		return l.lockedLocally(username)
	}
	if ttl > 0 {
		return true, ttl
	}
	// Redis may have come back after failures counted in memory: those still count.
	return l.lockedLocally(username)
}

func (l *Lockout) lockedLocally(username string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.local[username]
	if s == nil {
		return false, 0
	}
	if wait := s.until.Sub(l.now()); wait > 0 {
		return true, wait
	}
	return false, 0
}

// Fail counts a wrong password for username and locks the account when the failures reach Threshold.
func (l *Lockout) Fail(ctx context.Context, username string) {
	failsKey, untilKey := l.keys(username)
	pipe := l.rdb.TxPipeline()
	incr := pipe.Incr(ctx, failsKey)
	pipe.Expire(ctx, failsKey, failureMemory)
	if _, err := pipe.Exec(ctx); err != nil {
		l.log.WarnContext(ctx, "lockout counted in process: redis did not answer", "error", err)
		l.failLocally(username)
		return
	}
	if d := Backoff(incr.Val()); d > 0 {
		if err := l.rdb.Set(ctx, untilKey, "1", d).Err(); err != nil {
			l.failLocally(username)
		}
	}
}

func (l *Lockout) failLocally(username string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.local) > maxLocalKeys {
		for k, s := range l.local {
			if now.Sub(s.last) > failureMemory {
				delete(l.local, k)
			}
		}
	}
	s := l.local[username]
	if s == nil || now.Sub(s.last) > failureMemory {
		s = &lockState{}
		l.local[username] = s
	}
	s.failures++
	s.last = now
	if d := Backoff(s.failures); d > 0 {
		s.until = now.Add(d)
	}
}

// Succeed clears username's failures.
func (l *Lockout) Succeed(ctx context.Context, username string) {
	failsKey, untilKey := l.keys(username)
	if err := l.rdb.Del(ctx, failsKey, untilKey).Err(); err != nil {
		l.log.WarnContext(ctx, "lockout not cleared in redis", "error", err)
	}
	l.mu.Lock()
	delete(l.local, username)
	l.mu.Unlock()
}

package auth

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultSessionKeyPrefix is where the gateway publishes each account's session version:
// bianzhi:sessver:<subject> holds the decimal version (AUTH_SESSION_KEY_PREFIX changes the prefix).
const DefaultSessionKeyPrefix = "bianzhi:sessver:"

// Session check timings. SessionCacheTTL bounds how long a revocation takes to reach a service while
// Redis answers; SessionOutageMaxAge is how old a token may be and still pass while the version
// cannot be read (Redis down, or the key lost): see docs/adr/0007-token-lifecycle.md.
const (
	SessionCacheTTL     = 2 * time.Second
	SessionStaleLimit   = 5 * time.Second
	SessionOutageMaxAge = 10 * time.Minute
)

// ErrRevoked is the error for a token issued before its account's sessions were revoked (the account
// was disabled or its password changed).
var ErrRevoked = errors.New("token revoked: the account's sessions were ended")

// ErrSessionUnknown is the error for a token too old to pass while its session version cannot be read.
var ErrSessionUnknown = errors.New("session version unavailable and token older than the outage allowance")

// Sessions checks tokens against the session versions the gateway publishes in Redis. Versions are
// remembered in-process for SessionCacheTTL, so a busy service asks Redis about one account at most
// every two seconds; a revocation therefore reaches every service within SessionCacheTTL.
//
// When Redis does not answer (or has lost the key), the last version read is still trusted for
// SessionStaleLimit; after that a token passes only if it was issued within SessionOutageMaxAge and is
// not below any version seen before. Refusing everything would turn a Redis outage into a platform
// outage; trusting everything would let a revoked token live for its whole lifetime.
type Sessions struct {
	rdb    *redis.Client
	prefix string
	now    func() time.Time

	mu    sync.Mutex
	known map[string]sessionEntry // subject → last version read
}

type sessionEntry struct {
	version int64
	at      time.Time
}

// maxKnownSessions bounds the memory of versions; when full it is cleared (it refills in seconds).
const maxKnownSessions = 50000

// NewSessions checks against the versions kept under prefix (DefaultSessionKeyPrefix when empty) in rdb.
func NewSessions(rdb *redis.Client, prefix string) *Sessions {
	if prefix == "" {
		prefix = DefaultSessionKeyPrefix
	}
	return &Sessions{rdb: rdb, prefix: prefix, now: time.Now, known: map[string]sessionEntry{}}
}

// Key is the Redis key of subject's session version.
func (s *Sessions) Key(subject string) string { return s.prefix + subject }

// Check returns nil when c may still be used. Tokens without a session version (services) pass.
func (s *Sessions) Check(ctx context.Context, c *Claims) error {
	if c.SessionVersion <= 0 {
		return nil
	}
	now := s.now()
	s.mu.Lock()
	e, seen := s.known[c.Subject]
	s.mu.Unlock()
	if seen && now.Sub(e.at) < SessionCacheTTL {
		return compare(c, e.version)
	}
	v, err := s.read(ctx, c.Subject)
	if err == nil {
		s.remember(c.Subject, sessionEntry{version: v, at: now})
		return compare(c, v)
	}
	if seen && now.Sub(e.at) < SessionStaleLimit {
		return compare(c, e.version)
	}
	if seen && c.SessionVersion < e.version {
		return ErrRevoked
	}
	if c.IssuedAt == nil || now.Sub(c.IssuedAt.Time) > SessionOutageMaxAge {
		return ErrSessionUnknown
	}
	return nil
}

func compare(c *Claims, current int64) error {
	// A token above the published version means the publication lags (the gateway could not reach
	// Redis when it issued it); only a lower one is revoked.
	if c.SessionVersion < current {
		return ErrRevoked
	}
	return nil
}

var errNoVersion = errors.New("no session version published")

func (s *Sessions) read(ctx context.Context, subject string) (int64, error) {
	if s.rdb == nil {
		return 0, errNoVersion
	}
	ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	raw, err := s.rdb.Get(ctx, s.Key(subject)).Result()
	if errors.Is(err, redis.Nil) {
		return 0, errNoVersion
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(raw, 10, 64)
}

func (s *Sessions) remember(subject string, e sessionEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.known) >= maxKnownSessions {
		clear(s.known)
	}
	s.known[subject] = e
}

// CheckSessions makes v refuse tokens whose account sessions were revoked, reading the versions the
// gateway publishes in rdb under prefix. Platform bootstrap calls it with the service's Redis.
func (v *Verifier) CheckSessions(rdb *redis.Client, prefix string) {
	v.sessions = NewSessions(rdb, prefix)
}

package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/redis/go-redis/v9"
)

func TestSessionsWhenTheVersionCannotBeRead(t *testing.T) {
	t.Parallel()
	// Nothing listens here: Redis is down.
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	t.Cleanup(func() { _ = down.Close() })
	s := NewSessions(down, "")
	clock := time.Now()
	s.now = func() time.Time { return clock }
	ctx := context.Background()
	claims := func(sv int64, issued time.Time) *Claims {
		c := &Claims{Roles: []Role{RoleCityAdmin}, SessionVersion: sv}
		c.Subject = "li"
		c.IssuedAt = jwt.NewNumericDate(issued)
		return c
	}
	if err := s.Check(ctx, claims(3, clock.Add(-time.Minute))); err != nil {
		t.Fatalf("a fresh token must pass while Redis is down: %v", err)
	}
	if err := s.Check(ctx, claims(3, clock.Add(-SessionOutageMaxAge-time.Minute))); !errors.Is(err, ErrSessionUnknown) {
		t.Fatalf("an old token while Redis is down: %v, want ErrSessionUnknown", err)
	}
	// A version read before the outage keeps counting: for SessionStaleLimit as the truth, and after
	// that still as a floor below which tokens are revoked.
	s.remember("li", sessionEntry{version: 4, at: clock.Add(-3 * time.Second)})
	if err := s.Check(ctx, claims(4, clock.Add(-time.Hour))); err != nil {
		t.Fatalf("last known version within the stale limit: %v", err)
	}
	if err := s.Check(ctx, claims(3, clock.Add(-time.Hour))); !errors.Is(err, ErrRevoked) {
		t.Fatalf("token below the last known version: %v", err)
	}
	clock = clock.Add(10 * time.Second)
	if err := s.Check(ctx, claims(3, clock.Add(-time.Minute))); !errors.Is(err, ErrRevoked) {
		t.Fatalf("fresh token below a version seen before the outage: %v", err)
	}
	if err := s.Check(ctx, claims(4, clock.Add(-time.Hour))); !errors.Is(err, ErrSessionUnknown) {
		t.Fatalf("old token past the stale limit: %v", err)
	}
}

package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/redis/go-redis/v9"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/testkit"
)

func sessionSetup(t *testing.T) (*auth.Signer, *auth.Verifier, *redis.Client, string) {
	t.Helper()
	s, err := auth.GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	v, err := auth.NewStaticVerifier(s.JWK())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: testkit.RedisAddr(t)})
	t.Cleanup(func() { _ = rdb.Close() })
	prefix := testkit.KeyPrefix(t) + "sessver:"
	v.CheckSessions(rdb, prefix)
	return s, v, rdb, prefix
}

func person(t *testing.T, s *auth.Signer, subject string, sv int64, issued time.Time) string {
	t.Helper()
	c := auth.Claims{Name: "张三", Roles: []auth.Role{auth.RoleCityAdmin}, Region: "140100", SessionVersion: sv}
	c.Subject = subject
	c.ExpiresAt = jwt.NewNumericDate(issued.Add(time.Hour))
	tok, err := s.Sign(c, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestRevokedSessionEndsTokensWithinSeconds(t *testing.T) {
	t.Parallel()
	s, v, rdb, prefix := sessionSetup(t)
	ctx := context.Background()
	if err := rdb.Set(ctx, prefix+"zhang", 1, 0).Err(); err != nil {
		t.Fatal(err)
	}
	tok := person(t, s, "zhang", 1, time.Now())
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
	// The gateway disables the account: the version moves on, and within the cache TTL the token is dead.
	if err := rdb.Set(ctx, prefix+"zhang", 2, 0).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := v.Verify(ctx, tok)
		if errors.Is(err, auth.ErrRevoked) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("revoked token still accepted after 5 s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := v.Verify(ctx, person(t, s, "zhang", 2, time.Now())); err != nil {
		t.Fatalf("token of the new session refused: %v", err)
	}
	// Service tokens carry no session version and are not checked.
	svc, _ := s.Sign(auth.Claims{Name: "talent", Roles: []auth.Role{auth.RoleService}}, time.Minute)
	if _, err := v.Verify(ctx, svc); err != nil {
		t.Fatal(err)
	}
}

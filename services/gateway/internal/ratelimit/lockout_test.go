package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bianzhi/bianzhi/pkg/redisx"
	"github.com/bianzhi/bianzhi/pkg/testkit"
)

// downRedis is a client of a Redis that is not there.
func downRedis(t *testing.T) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 50 * time.Millisecond})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func TestLimiterStillLimitsWhenRedisIsDown(t *testing.T) {
	t.Parallel()
	l := New(downRedis(t), "x:", 3, quiet)
	for i := range 3 {
		if ok, _ := l.Allow(context.Background(), "10.0.0.9"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if ok, wait := l.Allow(context.Background(), "10.0.0.9"); ok || wait <= 0 {
		t.Fatal("a Redis outage lifted the limit")
	}
	if ok, _ := l.Allow(context.Background(), "10.0.0.10"); !ok {
		t.Fatal("another source refused")
	}
}

func TestBackoffDoublesUpToTheCap(t *testing.T) {
	t.Parallel()
	for failures, want := range map[int64]time.Duration{1: 0, 4: 0, 5: 30 * time.Second, 6: time.Minute, 7: 2 * time.Minute, 50: MaxBackoff} {
		if got := Backoff(failures); got != want {
			t.Errorf("Backoff(%d) = %s, want %s", failures, got, want)
		}
	}
}

func testLockout(t *testing.T, l *Lockout) {
	t.Helper()
	ctx := context.Background()
	clock := time.Now()
	l.now = func() time.Time { return clock }
	for i := range Threshold {
		if locked, _ := l.Locked(ctx, "alice"); locked {
			t.Fatalf("locked after %d failures", i)
		}
		l.Fail(ctx, "alice")
	}
	locked, wait := l.Locked(ctx, "alice")
	if !locked || wait <= 0 || wait > BaseBackoff {
		t.Fatalf("after %d failures: locked=%v wait=%s", Threshold, locked, wait)
	}
	if locked, _ := l.Locked(ctx, "bob"); locked {
		t.Fatal("another account locked")
	}
	l.Succeed(ctx, "alice")
	if locked, _ := l.Locked(ctx, "alice"); locked {
		t.Fatal("still locked after a success")
	}
}

func TestLockoutInRedis(t *testing.T) {
	t.Parallel()
	rdb, err := redisx.New(context.Background(), redisx.Options{Addr: testkit.RedisAddr(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rdb.Close() })
	prefix := testkit.KeyPrefix(t)
	l := NewLockout(rdb, prefix, quiet)
	testLockout(t, l)
	// The state is in Redis: another replica sees the lock.
	for range Threshold {
		l.Fail(context.Background(), "carol")
	}
	if locked, _ := NewLockout(rdb, prefix, quiet).Locked(context.Background(), "carol"); !locked {
		t.Fatal("a second replica does not see the lockout")
	}
}

func TestLockoutHoldsWhenRedisIsDown(t *testing.T) {
	t.Parallel()
	testLockout(t, NewLockout(downRedis(t), "x:", quiet))
}

package testkit

import (
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
)

var (
	redisOnce sync.Once
	redisAddr string
	redisMini *miniredis.Miniredis
)

// RedisAddr returns the address of a Redis for tests: REDIS_ADDR when something answers there (CI
// runs a real Redis), else one in-process miniredis shared by the test process. Tests must use their
// own key prefix (see KeyPrefix) because the real Redis is shared.
func RedisAddr(tb testing.TB) string {
	tb.Helper()
	redisOnce.Do(func() {
		if a := os.Getenv("REDIS_ADDR"); a != "" {
			if c, err := net.DialTimeout("tcp", a, 500*time.Millisecond); err == nil {
				_ = c.Close()
				redisAddr = a
				return
			}
		}
		m, err := miniredis.Run()
		if err != nil {
			panic(err)
		}
		redisMini = m
		redisAddr = m.Addr()
	})
	return redisAddr
}

// RealRedis reports whether tests run against a real Redis rather than miniredis.
func RealRedis() bool { return redisMini == nil && redisAddr != "" }

// KeyPrefix returns a prefix unique to the test, for keys in a shared Redis.
func KeyPrefix(tb testing.TB) string { return DatabaseName(tb) + ":" }

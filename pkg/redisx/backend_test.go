package redisx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// backend is the Redis a test runs against: the real one named by REDIS_ADDR
// when it answers (CI), else an in-process miniredis.
type backend struct {
	client *redis.Client
	mini   *miniredis.Miniredis // nil on real Redis
}

func newBackend(tb testing.TB) backend {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		client, err := New(ctx, Options{Addr: addr})
		if err == nil {
			tb.Cleanup(func() { _ = client.Close() })
			return backend{client: client}
		}
		if client != nil {
			_ = client.Close()
		}
		tb.Logf("REDIS_ADDR=%s not reachable (%v); using miniredis", addr, err)
	}
	return newMiniBackend(tb)
}

func newMiniBackend(tb testing.TB) backend {
	tb.Helper()
	mr := miniredis.RunT(tb)
	client, err := New(context.Background(), Options{Addr: mr.Addr()})
	if err != nil {
		tb.Fatalf("connect to miniredis: %v", err)
	}
	tb.Cleanup(func() { _ = client.Close() })
	return backend{client: client, mini: mr}
}

// uniqueName returns a cache name no other test or run uses, so tests sharing
// a real Redis never see each other's keys.
func uniqueName(tb testing.TB) string {
	tb.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return "test-" + hex.EncodeToString(b)
}

func newTestCache(tb testing.TB, client *redis.Client, ttl time.Duration, opts ...CacheOption) (*Cache, *prometheus.Registry) {
	tb.Helper()
	reg := prometheus.NewRegistry()
	c, err := NewCache(client, uniqueName(tb), ttl, reg, opts...)
	if err != nil {
		tb.Fatalf("NewCache: %v", err)
	}
	tb.Cleanup(func() { dropKeys(client, c.Name()+":*") })
	return c, reg
}

// counterValue reads bianzhi_cache_requests_total{cache,result} from reg.
func counterValue(tb testing.TB, reg *prometheus.Registry, cache, result string) float64 {
	tb.Helper()
	families, err := reg.Gather()
	if err != nil {
		tb.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != "bianzhi_cache_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["cache"] == cache && labels["result"] == result {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// dropKeys deletes what a test left in a shared Redis. It ignores errors:
// some tests stop Redis on purpose, and the entries expire anyway.
func dropKeys(client *redis.Client, pattern string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	iter := client.Scan(ctx, 0, pattern, 100).Iterator()
	for iter.Next(ctx) {
		client.Del(ctx, iter.Val())
	}
}

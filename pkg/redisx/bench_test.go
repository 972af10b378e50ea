package redisx

import (
	"context"
	"testing"
	"time"
)

// BenchmarkCacheHit measures a read served from Redis: one GET and one JSON
// decode of a small document. Set REDIS_ADDR to measure a real Redis.
func BenchmarkCacheHit(b *testing.B) {
	be := newBackend(b)
	c, _ := newTestCache(b, be.client, time.Hour)
	load := func(context.Context) (unit, error) {
		return unit{ID: "140105001", Name: "小店区机构编制委员会办公室", Tags: []string{"county", "office"}}, nil
	}
	ctx := context.Background()
	if _, err := GetOrLoad(ctx, c, "u", load); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := GetOrLoad(ctx, c, "u", load); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

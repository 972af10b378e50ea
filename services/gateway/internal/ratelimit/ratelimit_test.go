package ratelimit

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/redisx"
	"github.com/bianzhi/bianzhi/pkg/testkit"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestLimiterCountsPerKeyAndWindow(t *testing.T) {
	t.Parallel()
	rdb, err := redisx.New(context.Background(), redisx.Options{Addr: testkit.RedisAddr(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rdb.Close() })
	l := New(rdb, testkit.KeyPrefix(t), 2, quiet)
	clock := time.Date(2026, 3, 1, 9, 0, 10, 0, time.UTC)
	l.now = func() time.Time { return clock }

	steps := []struct {
		name  string
		parts []string
		at    time.Time
		want  bool
	}{
		{"first", []string{"alice", "10.0.0.1"}, clock, true},
		{"second", []string{"alice", "10.0.0.1"}, clock, true},
		{"third refused", []string{"alice", "10.0.0.1"}, clock, false},
		{"other IP", []string{"alice", "10.0.0.2"}, clock, true},
		{"other user", []string{"bob", "10.0.0.1"}, clock, true},
		{"parts do not run together", []string{"alice10.0.0", ".1"}, clock, true},
		{"next minute", []string{"alice", "10.0.0.1"}, clock.Add(time.Minute), true},
	}
	for _, s := range steps {
		l.now = func() time.Time { return s.at }
		ok, wait := l.Allow(context.Background(), s.parts...)
		if ok != s.want {
			t.Fatalf("%s: allowed = %v", s.name, ok)
		}
		if !ok && (wait <= 0 || wait > time.Minute) {
			t.Fatalf("%s: wait %s", s.name, wait)
		}
	}
}

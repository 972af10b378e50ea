package redisx

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/prometheus/client_golang/prometheus"
)

type unit struct {
	ID   string   `json:"id"`
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

// countingLoader returns a loader answering want and the number of its calls.
func countingLoader[T any](want T) (func(context.Context) (T, error), *atomic.Int64) {
	var calls atomic.Int64
	return func(context.Context) (T, error) {
		calls.Add(1)
		return want, nil
	}, &calls
}

func TestGetOrLoadMissThenHit(t *testing.T) {
	t.Parallel()
	be := newBackend(t)
	c, reg := newTestCache(t, be.client, time.Minute)
	ctx := context.Background()
	want := unit{ID: "u1", Name: "太原市机构编制委员会办公室", Tags: []string{"city"}}
	load, calls := countingLoader(want)

	for i := range 3 {
		got, err := GetOrLoad(ctx, c, "u1", load)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if got.ID != want.ID || got.Name != want.Name || len(got.Tags) != 1 {
			t.Fatalf("call %d: got %+v, want %+v", i, got, want)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("loader called %d times, want 1", n)
	}
	if m, h := counterValue(t, reg, c.Name(), "miss"), counterValue(t, reg, c.Name(), "hit"); m != 1 || h != 2 {
		t.Errorf("miss=%v hit=%v, want 1 and 2", m, h)
	}
	ttl, err := be.client.PTTL(ctx, c.Name()+":u1").Result()
	if err != nil || ttl <= 0 || ttl > time.Minute {
		t.Errorf("PTTL = %v, %v; want in (0, 1m]", ttl, err)
	}
}

func TestGetOrLoadExpiresAfterTTL(t *testing.T) {
	t.Parallel()
	be := newMiniBackend(t) // FastForward needs miniredis's clock
	c, _ := newTestCache(t, be.client, 30*time.Second)
	load, calls := countingLoader(42)

	mustGet(t, c, "k", load)
	be.mini.FastForward(29 * time.Second)
	mustGet(t, c, "k", load)
	if n := calls.Load(); n != 1 {
		t.Fatalf("before expiry loader called %d times, want 1", n)
	}
	be.mini.FastForward(2 * time.Second)
	mustGet(t, c, "k", load)
	if n := calls.Load(); n != 2 {
		t.Errorf("after expiry loader called %d times, want 2", n)
	}
}

func TestInvalidateForcesReload(t *testing.T) {
	t.Parallel()
	be := newBackend(t)
	c, reg := newTestCache(t, be.client, time.Minute)
	ctx := context.Background()
	var version atomic.Int64
	load := func(context.Context) (int64, error) { return version.Add(1), nil }

	if v := mustGet(t, c, "a", load); v != 1 {
		t.Fatalf("first read = %d, want 1", v)
	}
	if v := mustGet(t, c, "a", load); v != 1 {
		t.Fatalf("cached read = %d, want 1", v)
	}
	c.Invalidate(ctx, "a", "never-cached")
	if v := mustGet(t, c, "a", load); v != 2 {
		t.Errorf("read after Invalidate = %d, want 2", v)
	}
	if e := counterValue(t, reg, c.Name(), "error"); e != 0 {
		t.Errorf("errors = %v, want 0", e)
	}
}

func TestConcurrentMissesShareOneLoad(t *testing.T) {
	t.Parallel()
	be := newBackend(t)
	c, reg := newTestCache(t, be.client, time.Minute)
	const n = 32
	var calls, entered atomic.Int64
	load := func(ctx context.Context) (string, error) {
		calls.Add(1)
		// Hold the load until every caller is on its way, so that without
		// coalescing several of them would miss and load too.
		deadline := time.Now().Add(5 * time.Second)
		for entered.Load() < n && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		return "value", nil
	}

	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			entered.Add(1)
			v, err := GetOrLoad(context.Background(), c, "hot", load)
			if err == nil && v != "value" {
				err = errors.New("wrong value " + v)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("loader called %d times for %d concurrent reads, want 1", got, n)
	}
	total := counterValue(t, reg, c.Name(), "hit") + counterValue(t, reg, c.Name(), "miss")
	if total != n {
		t.Errorf("hit+miss = %v, want %d (one per request)", total, n)
	}
}

func TestLoaderErrorIsReturnedAndNotCached(t *testing.T) {
	t.Parallel()
	be := newBackend(t)
	c, _ := newTestCache(t, be.client, time.Minute)
	boom := errors.New("store down")
	var calls atomic.Int64
	load := func(context.Context) (int, error) { calls.Add(1); return 0, boom }

	for range 2 {
		if _, err := GetOrLoad(context.Background(), c, "x", load); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want %v", err, boom)
		}
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("loader called %d times, want 2 (errors are not cached)", n)
	}
}

func TestRedisDownServesFromLoader(t *testing.T) {
	t.Parallel()
	mr := miniredis.RunT(t)
	client, err := New(context.Background(), Options{Addr: mr.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	var logs bytes.Buffer
	c, reg := newTestCache(t, client, time.Minute, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	mr.Close()

	load, calls := countingLoader(unit{ID: "u9"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := range 3 {
		got, err := GetOrLoad(ctx, c, "u9", load)
		if err != nil || got.ID != "u9" {
			t.Fatalf("call %d: got %+v, %v; want the loader's value", i, got, err)
		}
	}
	c.Invalidate(ctx, "u9")

	if n := calls.Load(); n != 3 {
		t.Errorf("loader called %d times, want 3", n)
	}
	if e := counterValue(t, reg, c.Name(), "error"); e != 4 {
		t.Errorf("errors = %v, want 4 (3 reads + 1 invalidation)", e)
	}
	if lines := bytes.Count(logs.Bytes(), []byte("\n")); lines != 1 {
		t.Errorf("logged %d lines for 4 failures within %v, want 1:\n%s", lines, logEvery, logs.String())
	}
}

func TestUndecodableEntryFallsBackToLoader(t *testing.T) {
	t.Parallel()
	be := newBackend(t)
	c, reg := newTestCache(t, be.client, time.Minute)
	ctx := context.Background()
	// An entry left by a release that cached another shape under this key.
	if err := be.client.Set(ctx, c.Name()+":k", `"a string"`, time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	load, calls := countingLoader(unit{ID: "k"})
	if got := mustGet(t, c, "k", load); got.ID != "k" {
		t.Fatalf("got %+v", got)
	}
	if got := mustGet(t, c, "k", load); got.ID != "k" || calls.Load() != 2 {
		t.Fatalf("second read got %+v after %d loads, want a fresh entry", got, calls.Load())
	}
	if e := counterValue(t, reg, c.Name(), "error"); e != 1 {
		t.Errorf("errors = %v, want 1", e)
	}
}

func TestCachesShareOneRegistry(t *testing.T) {
	t.Parallel()
	be := newMiniBackend(t)
	reg := prometheus.NewRegistry()
	a, err := NewCache(be.client, "units", time.Minute, reg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewCache(be.client, "charters", time.Minute, reg)
	if err != nil {
		t.Fatalf("second cache on one registry: %v", err)
	}
	load, _ := countingLoader(1)
	mustGet(t, a, "x", load)
	mustGet(t, b, "x", load)
	mustGet(t, b, "x", load)
	if got := counterValue(t, reg, "units", "miss"); got != 1 {
		t.Errorf("units miss = %v, want 1", got)
	}
	if got := counterValue(t, reg, "charters", "hit"); got != 1 {
		t.Errorf("charters hit = %v, want 1", got)
	}
}

func TestNewCacheRejectsBadArguments(t *testing.T) {
	t.Parallel()
	be := newMiniBackend(t)
	for name, f := range map[string]func() (*Cache, error){
		"nil client": func() (*Cache, error) { return NewCache(nil, "n", time.Second, nil) },
		"empty name": func() (*Cache, error) { return NewCache(be.client, "", time.Second, nil) },
		"zero ttl":   func() (*Cache, error) { return NewCache(be.client, "n", 0, nil) },
	} {
		if c, err := f(); err == nil || c != nil {
			t.Errorf("%s: got %v, %v; want an error", name, c, err)
		}
	}
}

func mustGet[T any](tb testing.TB, c *Cache, key string, load func(context.Context) (T, error)) T {
	tb.Helper()
	v, err := GetOrLoad(context.Background(), c, key, load)
	if err != nil {
		tb.Fatalf("GetOrLoad(%q): %v", key, err)
	}
	return v
}

func TestPanickingLoaderFailsTheRequestNotTheProcess(t *testing.T) {
	t.Parallel()
	be := newMiniBackend(t)
	c, _ := newTestCache(t, be.client, time.Minute)
	_, err := GetOrLoad(context.Background(), c, "p", func(context.Context) (int, error) { panic("bad store") })
	if err == nil {
		t.Fatal("want an error from a panicking loader")
	}
}

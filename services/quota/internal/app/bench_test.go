package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/bianzhi/bianzhi/pkg/testkit"
)

// Run with REDIS_ADDR=127.0.0.1:6379 so both sides use the real Redis:
//
//	REDIS_ADDR=127.0.0.1:6379 go test -run '^$' -bench Read -benchtime 5s ./internal/app
//
// Both benchmarks drive their server with the same client and 50
// concurrent requesters, like the wrk -c50 baseline.

func benchClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 128}}
}

func getLoop(b *testing.B, c *http.Client, url, token string) {
	b.SetParallelism(25)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := c.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// startBareGinRedis serves value from Redis through a bare gin handler (one
// go-redis GET per request): the baseline of the cached balance read.
func startBareGinRedis(tb testing.TB, value []byte) string {
	tb.Helper()
	gin.SetMode(gin.ReleaseMode)
	rdb := redis.NewClient(&redis.Options{Addr: testkit.RedisAddr(tb)})
	tb.Cleanup(func() { _ = rdb.Close() })
	key := testkit.KeyPrefix(tb) + "v"
	if err := rdb.Set(context.Background(), key, value, 0).Err(); err != nil {
		tb.Fatal(err)
	}
	r := gin.New()
	r.GET("/v", func(c *gin.Context) {
		v, err := rdb.Get(c.Request.Context(), key).Bytes()
		if err != nil {
			c.Status(http.StatusInternalServerError)
			return
		}
		c.Data(http.StatusOK, "application/json", v)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: r}
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String() + "/v"
}

// BenchmarkReadBareGinRedis is the baseline: a bare gin handler answering
// with one go-redis GET of a value the size of a cached account.
func BenchmarkReadBareGinRedis(b *testing.B) {
	value := `{"id":"unit:u1:administrative","type":"unit","holder":"u1","kind":"administrative","kindLabel":"行政编制","region":"140105","level":"county","name":"测试单位","abolished":false,"balance":{"approved":100,"held":0,"occupied":0,"vacant":100},"seq":2}`
	getLoop(b, benchClient(), startBareGinRedis(b, []byte(value)), "")
}

// BenchmarkReadCachedBalance reads one account's balance through the whole
// service: token verification, tracing, metrics, scope check, Redis cache.
func BenchmarkReadCachedBalance(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	env := testkit.Env(b, map[string]string{"LOG_LEVEL": "error"})
	url := startQuota(b, env)
	tok := testkit.NewTokens(b).CityAdmin(b)
	seedUnit(api{b, url, tok}, "u1", 100)
	getLoop(b, benchClient(), url+"/v1/accounts/unit:u1:"+kind, tok)
}

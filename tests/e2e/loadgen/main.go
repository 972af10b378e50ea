// Command loadgen measures what the platform's plumbing costs, in one run on one machine so the ratios
// mean something: a bare gin handler, the same handler behind the full pkg/httpserver stack, a cached
// read through pkg/redisx behind that stack, and a request through the gateway to a service. It prints
// req/s and p99 for each and the ratio to the bare handler. `make bench` runs it; docs/performance.md
// keeps the numbers.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/redisx"
)

type result struct {
	name     string
	reqs     int64
	errors   int64
	duration time.Duration
	p50, p99 time.Duration
}

func (r result) rps() float64 { return float64(r.reqs) / r.duration.Seconds() }

// run drives url with conc workers for d and collects every latency.
func run(name, url string, header http.Header, conc int, d time.Duration) result {
	tr := &http.Transport{MaxIdleConns: conc * 2, MaxIdleConnsPerHost: conc * 2}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var reqs, errs atomic.Int64
	lat := make([][]time.Duration, conc)
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				for k, v := range header {
					req.Header[k] = v
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != 200 {
					errs.Add(1)
					continue
				}
				lat[w] = append(lat[w], time.Since(t0))
				reqs.Add(1)
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	r := result{name: name, reqs: reqs.Load(), errors: errs.Load(), duration: el}
	if len(all) > 0 {
		r.p50 = all[len(all)*50/100]
		r.p99 = all[len(all)*99/100]
	}
	return r
}

type item struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Approved int64  `json:"approved"`
	Occupied int64  `json:"occupied"`
	Held     int64  `json:"held"`
}

var sample = item{ID: "unit:140105-001:administrative", Name: "小店区人力资源和社会保障局", Approved: 48, Occupied: 41, Held: 2}

func serve(h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() { _ = http.Serve(ln, h) }()
	return "http://" + ln.Addr().String()
}

func main() {
	d := flag.Duration("duration", 5*time.Second, "length of each run")
	conc := flag.Int("c", 50, "concurrent connections")
	redisAddr := flag.String("redis", os.Getenv("REDIS_ADDR"), "Redis for the cached read (empty: in-process miniredis)")
	withGateway := flag.Bool("gateway", true, "also measure a request through the gateway (starts the local stack)")
	target := flag.String("url", "", "load only this URL (with -token) and print one line")
	token := flag.String("token", "", "bearer token for -url")
	flag.Parse()
	gin.SetMode(gin.ReleaseMode)
	if *target != "" {
		h := http.Header{}
		if *token != "" {
			h.Set("Authorization", "Bearer "+*token)
		}
		r := run(*target, *target, h, *conc, *d)
		fmt.Printf("%s: %.0f req/s, p50 %s, p99 %s, %d errors\n", r.name, r.rps(), r.p50, r.p99, r.errors)
		return
	}

	bare := gin.New()
	bare.GET("/v1/item", func(c *gin.Context) { c.JSON(200, sample) })

	full := httpserver.New(httpserver.Options{Service: "bench"})
	full.Engine().GET("/v1/item", func(c *gin.Context) { c.JSON(200, sample) })

	addr, stopRedis := redisFor(*redisAddr)
	defer stopRedis()
	rc, err := redisx.New(context.Background(), redisx.Options{Addr: addr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "redis:", err)
		os.Exit(1)
	}
	cache, err := redisx.NewCache(rc, "bench", time.Minute, full.Registry())
	if err != nil {
		panic(err)
	}
	cached := httpserver.New(httpserver.Options{Service: "bench-cached"})
	cached.Engine().GET("/v1/item", func(c *gin.Context) {
		v, err := redisx.GetOrLoad(c.Request.Context(), cache, "item", func(context.Context) (item, error) { return sample, nil })
		if err != nil {
			_ = c.Error(err)
			return
		}
		c.JSON(200, v)
	})

	var results []result
	results = append(results, run("bare gin handler", serve(bare)+"/v1/item", nil, *conc, *d))
	results = append(results, run("pkg/httpserver full middleware", serve(full.Engine())+"/v1/item", nil, *conc, *d))
	results = append(results, run("cached read via redisx", serve(cached.Engine())+"/v1/item", nil, *conc, *d))
	if *withGateway {
		r, err := gatewayRun(addr, *conc, *d)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gateway run:", err)
		} else {
			results = append(results, r...)
		}
	}
	fmt.Printf("\nload: %d connections, %s per run, GOMAXPROCS=%d, redis=%s\n\n", *conc, *d, numCPU(), addr)
	fmt.Println("| scenario | req/s | p50 | p99 | errors | vs bare |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	base := results[0].rps()
	for _, r := range results {
		fmt.Printf("| %s | %.0f | %s | %s | %d | %.0f%% |\n", r.name, r.rps(), r.p50.Round(10*time.Microsecond),
			r.p99.Round(10*time.Microsecond), r.errors, 100*r.rps()/base)
	}
}

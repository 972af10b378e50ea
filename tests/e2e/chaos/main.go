// Command chaos kills real processes while clients work, then proves that nothing acknowledged was
// lost and nothing was applied twice (issue 9, item 5; docs/quota.md, section Chaos).
//
// It builds the quota, units and gateway binaries and bianzhi-local, starts the stores
// (bianzhi-local -stores-only on free ports, temporary data folder), two quota processes on one
// database, units and the gateway as separate OS processes; builds a small world through the gateway;
// then drives hires, exits, holds (hire from the hold, void) and one 22-park merger through the
// gateway, plus hires and exits sent straight to the second quota process, every write under an
// Idempotency-Key that a retry repeats, while every 1–4 s it SIGKILLs a random quota or units process
// and restarts it. At the end it lets recovery run and checks the ledger checker, the merger and every
// acknowledged hire and exit. One summary line; exit status 1 on any anomaly.
//
//	go run ./tests/e2e/chaos -kills 100
package main

import (
	"context"
	cryptorand "crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

type options struct {
	kills    int
	seed     uint64
	workers  int
	direct   int
	recovery time.Duration
	keep     bool
	binDir   string
}

func main() {
	var o options
	flag.IntVar(&o.kills, "kills", 10, "processes to kill (SIGKILL) before the workload stops")
	flag.Uint64Var(&o.seed, "seed", 0, "random seed of the workload and the kills (0: from the clock; printed)")
	flag.IntVar(&o.workers, "workers", 3, "concurrent clients through the gateway")
	flag.IntVar(&o.direct, "direct", 1, "concurrent clients sending hires and exits straight to the second quota process")
	flag.DurationVar(&o.recovery, "recovery", 3*time.Minute, "how long recovery may take after the last kill")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary folder (logs, data, timeline) even when the run is clean")
	flag.StringVar(&o.binDir, "bin", "", "use the binaries in this folder instead of building them")
	flag.Parse()
	if o.seed == 0 {
		o.seed = uint64(time.Now().UnixNano())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, o)
	stop()
	os.Exit(code)
}

// The timeline records every acknowledgement, retry, kill and restart with its time: the
// reproduction of an anomaly.
var (
	tlMu   sync.Mutex
	tlFile *os.File
	t0     = time.Now()
)

func timeline(format string, args ...any) {
	tlMu.Lock()
	defer tlMu.Unlock()
	if tlFile != nil {
		fmt.Fprintf(tlFile, "%9.3fs %s\n", time.Since(t0).Seconds(), fmt.Sprintf(format, args...))
	}
}

func say(format string, args ...any) {
	fmt.Printf("chaos %6.1fs: %s\n", time.Since(t0).Seconds(), fmt.Sprintf(format, args...))
	timeline(format, args...)
}

func run(ctx context.Context, o options) (code int) {
	tmp, err := os.MkdirTemp("", "bianzhi-chaos-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		return 2
	}
	if tlFile, err = os.Create(filepath.Join(tmp, "timeline.log")); err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		return 2
	}
	say("seed %d, %d kills, folder %s", o.seed, o.kills, tmp)
	var procs []*proc
	defer func() {
		// Stop every process started, also on failure and Ctrl-C: services first, the stores last.
		for i := len(procs) - 1; i >= 0; i-- {
			procs[i].stop()
		}
		if code == 0 && !o.keep {
			_ = os.RemoveAll(tmp)
		} else {
			fmt.Printf("chaos: logs, data and the timeline are kept in %s\n", tmp)
		}
	}()
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "chaos: FAILED:", err)
		return 2
	}

	// 1. Build.
	bin := o.binDir
	if bin == "" {
		root, err := repoRoot()
		if err != nil {
			return fail(err)
		}
		bin = filepath.Join(tmp, "bin")
		start := time.Now()
		if err := build(ctx, root, bin); err != nil {
			return fail(fmt.Errorf("build: %w", err))
		}
		say("built quota, units, gateway, bianzhi-local in %s", time.Since(start).Round(100*time.Millisecond))
	}

	// 2. Start the stores and the services, each its own process.
	ports := map[string]string{}
	for _, n := range []string{"mongo", "redis", "gateway", "gateway-internal", "units", "quota-1", "quota-2"} {
		if ports[n], err = freePort(); err != nil {
			return fail(err)
		}
	}
	baseEnv := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	stores := &proc{name: "stores", bin: filepath.Join(bin, "bianzhi-local"), env: baseEnv, log: filepath.Join(tmp, "stores.log"),
		args: []string{"-stores-only", "-data", filepath.Join(tmp, "data"), "-mongo-addr", ports["mongo"], "-redis-addr", ports["redis"]}}
	procs = append(procs, stores)
	if err := stores.start(); err != nil {
		return fail(err)
	}
	if err := waitTCP(ctx, ports["mongo"], 60*time.Second); err != nil {
		return fail(err)
	}
	if err := waitTCP(ctx, ports["redis"], 10*time.Second); err != nil {
		return fail(err)
	}
	gw := "http://" + ports["gateway"]
	common := append(baseEnv,
		"MONGO_URI=mongodb://"+ports["mongo"]+"/",
		"REDIS_ADDR="+ports["redis"],
		"AUTH_JWKS_URL="+gw+"/api/v1/auth/jwks",
		"LOG_LEVEL=warn",
		"SHUTDOWN_TIMEOUT=5s",
	)
	service := func(name, binName string, extra ...string) *proc {
		env := append(append([]string{}, common...), "HTTP_ADDR="+ports[name])
		return &proc{name: name, bin: filepath.Join(bin, binName), env: append(env, extra...),
			log: filepath.Join(tmp, name+".log"), health: "http://" + ports[name] + "/healthz"}
	}
	// Short recovery settings: jobs every 2 s, pending work older than 1 s is settled.
	quotaEnv := []string{"QUOTA_JOB_INTERVAL=2s", "QUOTA_RECOVERY_GRACE=1s", "QUOTA_CHECK_INTERVAL=0"}
	q1 := service("quota-1", "quota", quotaEnv...)
	q2 := service("quota-2", "quota", quotaEnv...)
	// Units opens units' ledger accounts as itself: its client secret for the gateway's grant.
	unitsSecret := randomHex(16)
	units := service("units", "units", "QUOTA_URL=http://"+ports["quota-2"],
		"SERVICE_SECRET="+unitsSecret, "GATEWAY_URL=http://"+ports["gateway-internal"])
	gateway := service("gateway", "gateway", "GATEWAY_SERVICE_SECRETS=units:"+unitsSecret,
		"GATEWAY_SIGNING_KEY_FILE="+filepath.Join(tmp, "keys", "gateway-signing.pem"), "GATEWAY_CREATE_KEY=true",
		"GATEWAY_SEED_ACCOUNTS=true", "GATEWAY_LOGIN_RATE=100", "GATEWAY_INTERNAL_ADDR="+ports["gateway-internal"],
		"QUOTA_URL=http://"+ports["quota-1"], "UNITS_URL=http://"+ports["units"])
	for _, p := range []*proc{q1, q2, units, gateway} {
		procs = append(procs, p)
		if err := p.start(); err != nil {
			return fail(err)
		}
	}
	for _, p := range []*proc{q1, q2, units, gateway} {
		if err := p.waitHealthy(ctx, 60*time.Second); err != nil {
			return fail(err)
		}
	}
	say("stores on %s (mongo) and %s (redis); quota-1 %s, quota-2 %s, units %s, gateway %s",
		ports["mongo"], ports["redis"], ports["quota-1"], ports["quota-2"], ports["units"], ports["gateway"])

	// 3. Log in and build the world (no kills yet).
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	cityTok, err := login(ctx, gw, "city_admin")
	if err != nil {
		return fail(err)
	}
	revTok, err := login(ctx, gw, "city_reviewer")
	if err != nil {
		return fail(err)
	}
	city := &api{name: "gateway", base: gw, token: cityTok, hc: hc}
	reviewer := &api{name: "gateway", base: gw, token: revTok, hc: hc}
	direct := &api{name: "quota-2", base: "http://" + ports["quota-2"], token: cityTok, hc: hc}
	start := time.Now()
	staff, err := setupWorld(ctx, city)
	if err != nil {
		return fail(err)
	}
	say("world built in %s: %d parks with %d people, the centre, %d work units", time.Since(start).Round(100*time.Millisecond),
		parks, len(staff), len(workUnits))

	// 4. Chaos: the workload, the merger and the killer run together until the kills are done.
	book := newBook()
	stopWork := make(chan struct{})
	var wg sync.WaitGroup
	for i := range o.workers + o.direct {
		w := &worker{n: i, c: city, b: book, r: rand.New(rand.NewPCG(o.seed, uint64(i)+1)), hold: true}
		if i >= o.workers {
			w.c, w.hold = direct, false
		}
		wg.Add(1)
		go func() { defer wg.Done(); w.run(ctx, stopWork) }()
	}
	m := &merger{city: city, reviewer: reviewer}
	mergeCtx, cancelMerge := context.WithTimeout(ctx, 30*time.Minute)
	defer cancelMerge()
	mergeDone := make(chan string, 1)
	go func() {
		sleep(mergeCtx, 2*time.Second) // let the first kills land in the middle of it
		mergeDone <- m.run(mergeCtx, book)
	}()
	chaosStart := time.Now()
	kr := rand.New(rand.NewPCG(o.seed, 0))
	victims := []*proc{q1, q2, units}
	kills := map[string]int{}
	total := 0
	for total < o.kills && ctx.Err() == nil {
		sleep(ctx, time.Duration(1000+kr.IntN(3000))*time.Millisecond)
		if ctx.Err() != nil {
			break
		}
		v := victims[kr.IntN(len(victims))]
		timeline("KILL %s (SIGKILL)", v.name)
		if err := v.kill(); err != nil {
			close(stopWork)
			return fail(err)
		}
		if err := v.start(); err != nil {
			close(stopWork)
			return fail(err)
		}
		if err := v.waitHealthy(ctx, 60*time.Second); err != nil {
			close(stopWork)
			return fail(fmt.Errorf("restart after kill %d: %w", total+1, err))
		}
		total++
		kills[v.name]++
		timeline("RESTARTED %s (kill %d)", v.name, total)
		if total%10 == 0 || total == o.kills {
			book.mu.Lock()
			h, e := book.hires, book.exits
			book.mu.Unlock()
			say("%d kills (quota-1 %d, quota-2 %d, units %d); %d hires and %d exits acknowledged so far", total,
				kills["quota-1"], kills["quota-2"], kills["units"], h, e)
		}
	}
	close(stopWork)
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "chaos: interrupted")
		return 130
	}
	chaosTook := time.Since(chaosStart)
	say("killing stopped after %s; waiting for the clients' last requests", chaosTook.Round(100*time.Millisecond))
	wg.Wait()

	// 5. Recovery, then the verdict.
	recStart := time.Now()
	deadline := recStart.Add(o.recovery)
	recCtx, cancelRec := context.WithDeadline(ctx, deadline)
	defer cancelRec()
	var mergeState string
	select {
	case mergeState = <-mergeDone:
	case <-recCtx.Done():
		cancelMerge()
		mergeState = <-mergeDone
	}
	check, checks := waitChecker(recCtx, city)
	say("recovery: merger %s, checker ok=%v after %s (%d runs)", mergeState, check.Status == 200 && check.Body["ok"] == true,
		time.Since(recStart).Round(100*time.Millisecond), checks)
	verify(ctx, city, book, staff, check, mergeState)

	book.mu.Lock()
	defer book.mu.Unlock()
	acked := book.hires + book.exits + book.holdsPlaced + book.voids
	fmt.Printf("chaos summary: seed %d; kills survived %d (quota-1 %d, quota-2 %d, units %d) in %s; operations acknowledged %d "+
		"(hires %d of which %d from holds, exits %d, holds %d, voids %d); merger %s (%d execute calls); retries %d; "+
		"refused (red line) %d; fenced by recovery (nothing changed, verified) %d; unacknowledged %d; anomalies %d\n",
		o.seed, total, kills["quota-1"], kills["quota-2"], kills["units"], chaosTook.Round(time.Second), acked,
		book.hires, book.holdHires, book.exits, book.holdsPlaced, book.voids, mergeState, m.executeCalls, retries.Load(),
		book.refused, book.fenced, book.unknown, len(book.anomalies))
	for i, a := range book.anomalies {
		fmt.Printf("  anomaly %d: %s\n", i+1, a)
	}
	if len(book.anomalies) > 0 {
		return 1
	}
	return 0
}

// waitChecker runs the ledger checker until it says ok or ctx ends; it returns the last answer.
func waitChecker(ctx context.Context, city *api) (answer, int) {
	var a answer
	n := 0
	for {
		n++
		a = city.call(context.WithoutCancel(ctx), readPolicy, "GET", "/api/quota/v1/checks/ledger", "", nil)
		if a.Status == 200 && a.Body["ok"] == true {
			return a, n
		}
		timeline("checker run %d: %s", n, a)
		if ctx.Err() != nil {
			return a, n
		}
		sleep(ctx, 2*time.Second)
	}
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = cryptorand.Read(b)
	return hex.EncodeToString(b)
}

package sim_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/quota/internal/memstore"
	"github.com/bianzhi/bianzhi/services/quota/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/quota/internal/sim"
)

func envInt(name string, def int64) int64 {
	if v, err := strconv.ParseInt(os.Getenv(name), 10, 64); err == nil {
		return v
	}
	return def
}

// config is the run of one seed: two or three instances, a few dozen
// requests, 3% of store calls failing, timing out or crashing.
func config(seed int64) sim.Config {
	return sim.Config{Seed: seed, Instances: 2 + int(seed%2), Requests: 60, FaultRate: 0.03,
		Store: memstore.NewWithClock(time.Now), MidChecks: 40}
}

// TestSimulator runs the seeds SIM_SEED_START (1) to SIM_SEED_START+SIM_SEEDS
// (1,000 by default, as CI runs them; `make sim` runs 100,000). A failing seed prints its trace;
// SIM_SEED_START=<seed> SIM_SEEDS=1 replays it.
func TestSimulator(t *testing.T) {
	start, n := envInt("SIM_SEED_START", 1), envInt("SIM_SEEDS", 1000)
	began := time.Now()
	var steps, requests, crashes, faults int
	for seed := start; seed < start+n; seed++ {
		res := sim.Run(config(seed))
		steps, requests, crashes, faults = steps+res.Steps, requests+res.Requests, crashes+res.Crashes, faults+res.Faults
		if len(res.Problems) > 0 {
			t.Fatalf("seed %d failed (replay: SIM_SEED_START=%d SIM_SEEDS=1 make sim)\nproblems:\n  %s\ntrace (last events):\n%s",
				seed, seed, strings.Join(res.Problems, "\n  "), strings.Join(res.Trace, "\n"))
		}
	}
	el := time.Since(began)
	t.Logf("%d seeds from %d in %s (%.0f seeds/s): %d store calls, %d requests, %d faults injected, %d crashes",
		n, start, el.Round(time.Millisecond), float64(n)/el.Seconds(), steps, requests, faults, crashes)
}

// TestSimulatorReplays: the same seed gives the same run, event for event.
func TestSimulatorReplays(t *testing.T) {
	for _, seed := range []int64{3, 4} {
		a, b := sim.Run(config(seed)), sim.Run(config(seed))
		if strings.Join(a.Trace, "\n") != strings.Join(b.Trace, "\n") || a.Steps != b.Steps {
			t.Fatalf("seed %d did not replay: %d vs %d steps", seed, a.Steps, b.Steps)
		}
	}
}

// TestSimulatorOnFerretDB runs a few seeds on the real adapter over
// embedded FerretDB (SIM_FERRET_SEEDS, 5 by default): the in-memory store
// passes the same store suite, and this shows the ledger behaves the same
// on the real one end to end.
func TestSimulatorOnFerretDB(t *testing.T) {
	n := envInt("SIM_FERRET_SEEDS", 5)
	start := envInt("SIM_SEED_START", 1)
	for seed := start; seed < start+n; seed++ {
		s := mongostore.New(testkit.Mongo(t))
		if err := s.EnsureIndexes(context.Background()); err != nil {
			t.Fatal(err)
		}
		cfg := config(seed)
		cfg.Store, cfg.Requests = s, 30
		res := sim.Run(cfg)
		if len(res.Problems) > 0 {
			t.Fatalf("seed %d failed on FerretDB\nproblems:\n  %s\ntrace (last events):\n%s",
				seed, strings.Join(res.Problems, "\n  "), strings.Join(res.Trace, "\n"))
		}
		t.Logf("seed %d on FerretDB: %d store calls, %d requests, %d faults, %d crashes", seed, res.Steps, res.Requests, res.Faults, res.Crashes)
	}
}

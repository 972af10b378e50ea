package sim

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

// Config is one simulated run.
type Config struct {
	Seed      int64
	Instances int          // ledger processes sharing the store (≥ 2)
	Requests  int          // client requests to issue (retries come on top)
	FaultRate float64      // chance that a store call fails, times out or crashes
	Store     ledger.Store // the shared store (a fresh in-memory store)
	// MidChecks is how many steps pass between two checks of the
	// invariants that hold at every instant (0: only at the end).
	MidChecks int
}

// Result is what a run did and found.
type Result struct {
	Seed     int64
	Steps    int // store calls scheduled
	Requests int // client requests issued, retries included
	Acked    int // answered with success
	Refused  int // answered with a refusal
	Errors   int // answered with an error (to be retried)
	Crashes  int
	Faults   int
	Problems []string // invariant or acknowledgement violations: empty when the run passed
	Trace    []string // the last events before the first problem (or the end)
}

// world is the state of one run.
type world struct {
	cfg     Config
	rng     *rand.Rand
	store   ledger.Store
	sched   *scheduler
	insts   []*instance
	now     time.Time
	grace   time.Duration
	ids     int
	trace   []string
	res     *Result
	reqs    []*request
	retries []*request
	units   []string
	people  int
}

const (
	region   = "140105"
	kind     = ledger.KindAdministrative
	maxTrace = 400
)

func (w *world) clock() time.Time { return w.now }

func (w *world) log(format string, a ...any) {
	w.trace = append(w.trace, fmt.Sprintf("%6d %s ", w.res.Steps, w.now.Format("15:04:05.000"))+fmt.Sprintf(format, a...))
	if len(w.trace) > 4*maxTrace {
		w.trace = append([]string(nil), w.trace[len(w.trace)-maxTrace:]...)
	}
}

// Run runs one seed and returns what it found.
func Run(cfg Config) Result {
	if cfg.Instances < 2 {
		cfg.Instances = 2
	}
	res := Result{Seed: cfg.Seed}
	w := &world{cfg: cfg, rng: rand.New(rand.NewSource(cfg.Seed)), store: cfg.Store, sched: newScheduler(),
		now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), grace: 30 * time.Second, res: &res, people: 30}
	if err := w.setup(); err != nil {
		res.Problems = append(res.Problems, "setup: "+err.Error())
		return res
	}
	for i := range cfg.Instances {
		w.insts = append(w.insts, w.newInstance(i, 0))
	}
	w.loop()
	w.finalCheck()
	res.Trace = w.lastTrace()
	return res
}

func (w *world) lastTrace() []string {
	if len(w.trace) > maxTrace {
		return w.trace[len(w.trace)-maxTrace:]
	}
	return w.trace
}

// direct is a ledger on the shared store without faults or scheduling,
// for the set-up and the checks (run only while every instance is parked).
func (w *world) direct() *service.Ledger {
	l := service.New(w.store, service.Hooks{})
	l.SetClock(w.clock)
	l.SetIDs(func() string { w.ids++; return fmt.Sprintf("chk%d", w.ids) })
	l.RecoveryGrace = w.grace
	l.StaleAfter = 1000 * time.Hour
	return l
}

// setup opens the accounts: the province, a county's control total, its
// recovered pool, a talent pool, and units with a few posts each.
func (w *world) setup() error {
	ctx := context.Background()
	l := w.direct()
	open := func(id ledger.AccountID, reg, dept string) error {
		_, _, err := l.OpenAccount(ctx, service.AccountRequest{ID: id, Region: reg, Department: dept})
		return err
	}
	if err := open(ledger.ExternalAccount(ledger.LevelProvince, kind), "", ""); err != nil {
		return err
	}
	for _, id := range []ledger.AccountID{ledger.ControlAccount(region, kind), ledger.RecoveredAccount(region, kind)} {
		if err := open(id, "", ""); err != nil {
			return err
		}
	}
	if err := open(ledger.TalentAccount("city", kind), region, ""); err != nil {
		return err
	}
	if _, err := l.Move(ctx, "setup", "control", ledger.MoveRequest{Kind: ledger.TransferAdjustControl,
		From: ledger.ExternalAccount(ledger.LevelProvince, kind), To: ledger.ControlAccount(region, kind), Amount: 200, DocNo: "晋编〔2026〕1号"}); err != nil {
		return err
	}
	n := 3 + w.rng.Intn(3)
	for i := range n {
		u := fmt.Sprintf("u%d", i)
		w.units = append(w.units, u)
		dept := "d0"
		if i%2 == 1 {
			dept = "d1"
		}
		if err := open(ledger.UnitAccount(u, kind), region, dept); err != nil {
			return err
		}
		if _, err := l.Move(ctx, "setup", "approve-"+u, ledger.MoveRequest{Kind: ledger.TransferApprove,
			From: ledger.ControlAccount(region, kind), To: ledger.UnitAccount(u, kind), Amount: int64(2 + w.rng.Intn(4)), DocNo: "并编〔2026〕2号"}); err != nil {
			return err
		}
	}
	_, err := l.Move(ctx, "setup", "fund-talent", ledger.MoveRequest{Kind: ledger.TransferReturn,
		From: ledger.UnitAccount("u0", kind), To: ledger.TalentAccount("city", kind), Amount: 1})
	return err
}

// loop runs the workload to the end: at each point where every busy
// instance is parked, it starts a request on an idle instance or lets one
// parked call go on, with the fault the seed says.
func (w *world) loop() {
	issued := 0
	for {
		parked := w.sched.quiesce()
		var idle []int
		for _, in := range w.insts {
			if !w.sched.isBusy(in.id) {
				idle = append(idle, in.id)
			}
		}
		canStart := len(idle) > 0 && (issued < w.cfg.Requests || len(w.retries) > 0)
		switch {
		case canStart && (len(parked) == 0 || w.rng.Float64() < 0.25):
			inst := w.insts[idle[w.rng.Intn(len(idle))]]
			r := w.next(&issued)
			w.start(inst, r)
		case len(parked) > 0:
			inst := parked[w.rng.Intn(len(parked))]
			f := w.fault()
			w.res.Steps++
			w.now = w.now.Add(time.Millisecond)
			if w.rng.Float64() < 0.004 {
				w.now = w.now.Add(2 * w.grace) // a pause long enough for recovery to step in
			}
			method := w.sched.resume(inst, f)
			if f != faultNone {
				w.res.Faults++
				w.log("inst %d %s: %s", inst, method, f)
			}
			if w.cfg.MidChecks > 0 && w.res.Steps%w.cfg.MidChecks == 0 {
				w.midCheck()
			}
		default:
			return
		}
		if len(w.res.Problems) > 0 {
			w.drain()
			return
		}
	}
}

// drain lets every running request finish without faults (after a problem).
func (w *world) drain() {
	for {
		parked := w.sched.quiesce()
		if len(parked) == 0 {
			return
		}
		w.sched.resume(parked[0], faultNone)
	}
}

// fault draws what happens to a store call.
func (w *world) fault() fault {
	p := w.rng.Float64()
	r := w.cfg.FaultRate
	switch {
	case p < r*0.5:
		return faultError
	case p < r*0.8:
		return faultTimeout
	case p < r:
		return faultCrash
	}
	return faultNone
}

// start runs a request on an instance's goroutine; when it returns, its
// answer is recorded, and a crashed instance is replaced.
func (w *world) start(in *instance, r *request) {
	w.res.Requests++
	r.attempts++
	w.log("inst %d start %s", in.id, r)
	w.sched.start(in.id)
	go func() {
		err := r.run(context.Background(), in.l)
		w.answer(in, r, err)
		w.sched.finish(in.id)
	}()
}

// answer records a request's outcome (its goroutine runs alone: the
// scheduler waits for it to finish before anything else happens).
func (w *world) answer(in *instance, r *request, err error) {
	code := ledger.CodeOf(err)
	switch {
	case err == nil:
		w.res.Acked++
		r.acked = true
		w.log("inst %d done %s: ok", in.id, r)
	case code != "" && code != ledger.CodeConflict || code == ledger.CodeConflict && !retryable(err):
		w.res.Refused++
		r.refusals = append(r.refusals, string(code))
		w.log("inst %d done %s: refused %s", in.id, r, code)
	default:
		w.res.Errors++
		r.errors++
		w.log("inst %d done %s: error %v", in.id, r, shorten(err))
		if r.attempts < 4 && r.kind != "recover" && r.kind != "expire" {
			w.retries = append(w.retries, r)
		}
	}
	if in.store.dead.Load() {
		w.res.Crashes++
		w.log("inst %d crashed: restarts with an empty memory", in.id)
		w.insts[in.id] = w.newInstance(in.id, in.gen+1)
	}
}

// retryable tells a conflict that asks the client to come back later (the
// work is in progress, or was fenced off and changed nothing) from one that
// refuses for good.
func retryable(err error) bool {
	e, ok := err.(*ledger.Error)
	if !ok {
		return true
	}
	if e == ledger.ErrFenced {
		return true
	}
	return strings.Contains(e.Detail, "retry")
}

func shorten(err error) string {
	s := err.Error()
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

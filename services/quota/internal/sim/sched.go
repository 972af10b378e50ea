// Package sim is the quota ledger's deterministic simulator (TigerBeetle's
// VOPR is the model): a seeded run drives several ledger instances over one
// in-memory store (proven equal to the FerretDB adapter by the shared store
// suite) with a random workload, injects at every store call an error, a
// timeout whose write is applied, or a crash that throws the instance's
// memory away, runs recovery from random instances at random times, retries
// client calls as real clients do, and checks the ledger's invariants and
// that every acknowledged success has exactly one effect and every refusal
// none. A failing seed prints a short trace and replays identically.
//
// Determinism comes from the scheduler: instances run their operations on
// goroutines, but only one goroutine runs at a time. Every store call is a
// yield point; when every busy instance is parked at one, the scheduler
// picks (from the seed) which instance goes on and what happens to its
// call. Code between two store calls is deterministic (the ledger's clock
// and random IDs are the simulator's), so the same seed replays the same run.
package sim

import (
	"fmt"
	"sync"
)

// fault is what happens to a store call.
type fault int

const (
	faultNone    fault = iota
	faultError         // the call fails before it reaches the store
	faultTimeout       // the call is applied, its answer is lost
	faultCrash         // the instance dies at this call, before it is applied
)

func (f fault) String() string {
	return [...]string{"ok", "error", "timeout", "crash"}[f]
}

// parked is a store call waiting for the scheduler.
type parked struct {
	method string
	go_    chan fault
}

// scheduler lets one goroutine run at a time, at store-call granularity.
type scheduler struct {
	mu      sync.Mutex
	cond    *sync.Cond
	busy    map[int]bool    // instances running an operation
	waiting map[int]*parked // instances parked at a store call
}

func newScheduler() *scheduler {
	s := &scheduler{busy: map[int]bool{}, waiting: map[int]*parked{}}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// park is called by an instance's goroutine at a store call: it waits for
// the scheduler to let it go on and says what happens to the call.
func (s *scheduler) park(inst int, method string) fault {
	p := &parked{method: method, go_: make(chan fault, 1)}
	s.mu.Lock()
	if s.waiting[inst] != nil {
		s.mu.Unlock()
		panic(fmt.Sprintf("sim: instance %d made two store calls at once (%s and %s)", inst, s.waiting[inst].method, method))
	}
	s.waiting[inst] = p
	s.cond.Broadcast()
	s.mu.Unlock()
	return <-p.go_
}

// start marks an instance busy before its operation's goroutine starts.
func (s *scheduler) start(inst int) {
	s.mu.Lock()
	s.busy[inst] = true
	s.mu.Unlock()
}

// finish marks an instance idle once its operation returned.
func (s *scheduler) finish(inst int) {
	s.mu.Lock()
	delete(s.busy, inst)
	s.cond.Broadcast()
	s.mu.Unlock()
}

// quiesce waits until every busy instance is parked, and returns the parked
// instances in a stable order and the idle count.
func (s *scheduler) quiesce() (parkedIDs []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		all := true
		for inst := range s.busy {
			if s.waiting[inst] == nil {
				all = false
				break
			}
		}
		if all {
			break
		}
		s.cond.Wait()
	}
	for inst := range s.waiting {
		parkedIDs = append(parkedIDs, inst)
	}
	sortInts(parkedIDs)
	return parkedIDs
}

// resume lets a parked instance go on with fault f; it returns the method
// of the call it resumed.
func (s *scheduler) resume(inst int, f fault) string {
	s.mu.Lock()
	p := s.waiting[inst]
	delete(s.waiting, inst)
	s.mu.Unlock()
	p.go_ <- f
	return p.method
}

// isBusy reports whether inst runs an operation.
func (s *scheduler) isBusy(inst int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.busy[inst]
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

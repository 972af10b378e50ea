package sim

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

// Errors the simulated store gives. They are not domain errors: to a
// client they are a 5xx, to be retried.
var (
	errInjected = errors.New("sim: injected store error")
	errTimeout  = errors.New("sim: store call timed out (it was applied)")
	errCrashed  = errors.New("sim: the instance crashed")
)

// faultyStore wraps the shared store for one generation of one instance.
type faultyStore struct {
	in    ledger.Store
	inst  int
	sched *scheduler
	world *world
	dead  atomic.Bool
}

// do runs one store call at the scheduler's word.
func (s *faultyStore) do(method string, op func() error) error {
	if s.dead.Load() {
		return errCrashed
	}
	f := s.sched.park(s.inst, method)
	switch f {
	case faultError:
		return errInjected
	case faultCrash:
		s.dead.Store(true)
		return errCrashed
	}
	err := op()
	if f == faultTimeout {
		return errTimeout
	}
	return err
}

// instance is one ledger process; a crash replaces its ledger (memory
// gone) with a fresh one on the same store.
type instance struct {
	id    int
	gen   int
	store *faultyStore
	l     *service.Ledger
}

func (w *world) newInstance(id, gen int) *instance {
	fs := &faultyStore{in: w.store, inst: id, sched: w.sched, world: w}
	l := service.New(fs, service.Hooks{})
	l.SetClock(w.clock)
	l.SetIDs(func() string {
		w.ids++ // only one goroutine runs at a time: no lock needed
		return fmt.Sprintf("sim%d", w.ids)
	})
	l.RecoveryGrace = w.grace
	l.StaleAfter = w.grace * 4
	return &instance{id: id, gen: gen, store: fs, l: l}
}

package service_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// hookStore wraps a store so a test can stop, pause or fail one process's
// store calls at a chosen point: the way the regression tests of issue 9
// put two processes, or a process and recovery, in the interleaving that
// broke the ledger. Hooks run before (phase "before") or after ("after")
// the wrapped call; an error from a hook is returned instead of the call's
// (after: the write is applied and its answer lost, as on a timeout).
type hookStore struct {
	ledger.Store
	mu    sync.Mutex
	hooks map[string]func(phase string, arg any) error
}

func hooked(s ledger.Store) *hookStore {
	return &hookStore{Store: s, hooks: map[string]func(string, any) error{}}
}

// on sets the hook of a method (nil removes it).
func (h *hookStore) on(method string, fn func(phase string, arg any) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if fn == nil {
		delete(h.hooks, method)
		return
	}
	h.hooks[method] = fn
}

func (h *hookStore) call(method, phase string, arg any) error {
	h.mu.Lock()
	fn := h.hooks[method]
	h.mu.Unlock()
	if fn == nil {
		return nil
	}
	return fn(phase, arg)
}

// around runs op between the before and after hooks of method.
func (h *hookStore) around(method string, arg any, op func() error) error {
	if err := h.call(method, "before", arg); err != nil {
		return err
	}
	if err := op(); err != nil {
		return err
	}
	return h.call(method, "after", arg)
}

func (h *hookStore) AppendEntry(ctx context.Context, e ledger.Entry) error {
	return h.around("AppendEntry", e, func() error { return h.Store.AppendEntry(ctx, e) })
}

func (h *hookStore) InsertTransfer(ctx context.Context, t ledger.Transfer) error {
	return h.around("InsertTransfer", t, func() error { return h.Store.InsertTransfer(ctx, t) })
}

func (h *hookStore) SetTransferState(ctx context.Context, id string, s ledger.TransferState, f *ledger.Error) error {
	return h.around("SetTransferState", s, func() error { return h.Store.SetTransferState(ctx, id, s, f) })
}

func (h *hookStore) ClaimSlots(ctx context.Context, slots []ledger.Slot) ([]string, error) {
	var out []string
	err := h.around("ClaimSlots", slots, func() error {
		var err error
		out, err = h.Store.ClaimSlots(ctx, slots)
		return err
	})
	return out, err
}

func (h *hookStore) InsertHold(ctx context.Context, hd ledger.Hold) error {
	return h.around("InsertHold", hd, func() error { return h.Store.InsertHold(ctx, hd) })
}

func (h *hookStore) InsertTenureOp(ctx context.Context, op ledger.TenureOp) error {
	return h.around("InsertTenureOp", op, func() error { return h.Store.InsertTenureOp(ctx, op) })
}

func (h *hookStore) UpdateIncumbent(ctx context.Context, r ledger.IncumbentRecord) (bool, error) {
	var ok bool
	err := h.around("UpdateIncumbent", r, func() error {
		var err error
		ok, err = h.Store.UpdateIncumbent(ctx, r)
		return err
	})
	return ok, err
}

// gate pauses the first call that matches until the test opens it.
type gate struct {
	once    sync.Once
	arrived chan struct{}
	open    chan struct{}
}

func newGate() *gate { return &gate{arrived: make(chan struct{}), open: make(chan struct{})} }

// hold blocks the first caller (signalling its arrival); later callers pass.
func (g *gate) hold() {
	first := false
	g.once.Do(func() { first = true })
	if first {
		close(g.arrived)
		<-g.open
	}
}

// wait waits until a caller arrived at the gate.
func (g *gate) wait(t *testing.T) {
	t.Helper()
	select {
	case <-g.arrived:
	case <-time.After(30 * time.Second):
		t.Fatal("nobody arrived at the gate")
	}
}

func (g *gate) release() { close(g.open) }

func (h *hookStore) UpdateCase(ctx context.Context, c ledger.Case) error {
	return h.around("UpdateCase", c, func() error { return h.Store.UpdateCase(ctx, c) })
}

// Package service holds the quota ledger's use cases: the append protocol
// that makes a journal insert the compare-and-swap of an account, transfers
// applied leg by leg with recovery, group-committed hires, holds, plans,
// discipline cases, reports and the invariant checker.
package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// Hooks observe the ledger for metrics and caches. Nil fields are skipped.
type Hooks struct {
	// Transfer counts a settled transfer: outcome is posted, rejected or error.
	Transfer func(kind ledger.TransferKind, outcome string, n int)
	// Redline counts red-line refusals.
	Redline func(n int)
	// Checked reports the outcome of an invariant check.
	Checked func(ok bool)
	// Changed runs after a write that changed these accounts' balances, to
	// invalidate caches.
	Changed func(ctx context.Context, accounts ...ledger.AccountID)
}

// Ledger runs the use cases against a store. It is safe for concurrent use,
// and several Ledgers (service instances) may share one store: nothing here
// relies on being the only writer.
type Ledger struct {
	store ledger.Store
	now   func() time.Time
	hooks Hooks

	// FaultAfterLeg, when set, runs after each applied leg; an error stops
	// the transfer there as a crash would. Tests use it to prove recovery;
	// it is nil in production.
	FaultAfterLeg func(transferID string, leg int) error
	// FaultBeforeActivate, when set, runs between a hire batch's journal
	// entry and marking its people active; an error stops the batch there.
	FaultBeforeActivate func(batchID string) error
	// FaultMove, when set, runs in a merger before each kind's transfer
	// (step "transfer") and before each person's record moves (step = the
	// ID number); an error stops the merger there.
	FaultMove func(transferID, step string) error

	// newID returns a fresh random ID for work that has no key of its own
	// (a hire batch, a void); the simulator replaces it to replay runs.
	newID func() string

	mu    sync.Mutex
	heads map[ledger.AccountID]ledger.Entry // last entry this process saw
	locks map[ledger.AccountID]*sync.Mutex
	hires map[ledger.AccountID]*hireQueue
	// hireSlots bounds the hire batches applied at once: batches of
	// different accounts share the store's one writer, and more of them in
	// flight only turn into busy retries with back-off.
	hireSlots chan struct{}
	// RecoveryGrace is how old unsettled work must be before recovery
	// touches it, so recovery rarely disturbs a writer still working (it
	// fences such work, so correctness does not depend on the guess).
	RecoveryGrace time.Duration
	// StaleAfter is how long work may stay unsettled before the checker
	// calls it a fault: recovery should have settled it by then.
	StaleAfter time.Duration
}

// New returns a ledger on store.
func New(store ledger.Store, hooks Hooks) *Ledger {
	return &Ledger{store: store, now: time.Now, newID: randomID, hooks: hooks, RecoveryGrace: 30 * time.Second, StaleAfter: 5 * time.Minute,
		heads: map[ledger.AccountID]ledger.Entry{}, locks: map[ledger.AccountID]*sync.Mutex{},
		hires: map[ledger.AccountID]*hireQueue{}, hireSlots: make(chan struct{}, 4)}
}

// SetClock replaces the clock, for tests of expiry and recovery.
func (l *Ledger) SetClock(now func() time.Time) { l.now = now }

// SetIDs replaces the source of random IDs, for runs that must replay.
func (l *Ledger) SetIDs(newID func() string) { l.newID = newID }

// Store returns the ledger's store, for reports.
func (l *Ledger) Store() ledger.Store { return l.store }

// lockAccount serialises this process's appends to one account. Other
// processes are kept honest by the unique _id; the lock only saves this
// one from losing races against itself.
func (l *Ledger) lockAccount(id ledger.AccountID) func() {
	l.mu.Lock()
	m, ok := l.locks[id]
	if !ok {
		m = &sync.Mutex{}
		l.locks[id] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}

func (l *Ledger) cachedHead(id ledger.AccountID) (ledger.Entry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.heads[id]
	return e, ok
}

func (l *Ledger) remember(e ledger.Entry) {
	l.mu.Lock()
	if cur, ok := l.heads[e.Account]; !ok || cur.Seq < e.Seq {
		l.heads[e.Account] = e
	}
	l.mu.Unlock()
}

// headHintEvery is how often an append records the head in the account
// document: often enough that a fresh process probes few entries forward,
// rarely enough that hints cost a small share of writes.
const headHintEvery = 16

// discover finds an account's last entry: start at the best known entry
// (this process's cache, else the account's hint) and probe forward by _id
// until a miss. Entries are immutable, so any entry once seen is a safe
// starting point.
func (l *Ledger) discover(ctx context.Context, id ledger.AccountID, from ledger.Entry) (ledger.Entry, error) {
	head := from
	if head.Seq == 0 {
		if c, ok := l.cachedHead(id); ok {
			head = c
		} else {
			rec, err := l.store.Account(ctx, id)
			if err != nil && !errors.Is(err, ledger.ErrNotFound) {
				return ledger.Entry{}, err
			}
			if rec.HeadHint > 0 {
				e, err := l.store.Entry(ctx, id, rec.HeadHint)
				if err != nil {
					return ledger.Entry{}, fmt.Errorf("read hinted head of %s: %w", id, err)
				}
				head = e
			}
		}
	}
	for {
		next, err := l.store.Entry(ctx, id, head.Seq+1)
		if errors.Is(err, ledger.ErrNotFound) {
			l.remember(head)
			return head, nil
		}
		if err != nil {
			return ledger.Entry{}, err
		}
		head = next
	}
}

// Head returns an account's current last entry (its balance), reading the store.
func (l *Ledger) Head(ctx context.Context, id ledger.AccountID) (ledger.Entry, error) {
	return l.discover(ctx, id, ledger.Entry{})
}

// build computes the entry to append on top of head, or a refusal.
type build func(head ledger.Entry) (ledger.Entry, error)

// appendEntry runs the append protocol for one account: build the next
// entry on the best known head and insert it; the insert succeeds only if
// no one took that sequence number. On a lost race re-read the head and
// rebuild, so the rule is re-validated on the balance that really precedes
// the entry. It returns the applied entry and whether this call applied it
// (false: the same transferLeg was applied before, e.g. by a crashed
// attempt or a concurrent retry).
func (l *Ledger) appendEntry(ctx context.Context, id ledger.AccountID, b build) (ledger.Entry, bool, error) {
	unlock := l.lockAccount(id)
	defer unlock()
	return l.appendLocked(ctx, id, b)
}

// appendLocked is appendEntry for a caller that holds the account's lock.
func (l *Ledger) appendLocked(ctx context.Context, id ledger.AccountID, b build) (ledger.Entry, bool, error) {
	head, verified := l.cachedHead(id)
	verified = !verified
	if verified {
		var err error
		if head, err = l.discover(ctx, id, ledger.Entry{}); err != nil {
			return ledger.Entry{}, false, err
		}
	}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return ledger.Entry{}, false, err
		}
		e, err := b(head)
		if err != nil && !verified {
			// A cached head may be stale (another instance moved the
			// account, or a primed guess): refuse only on the real head.
			verified = true
			if head, err = l.discover(ctx, id, head); err != nil {
				return ledger.Entry{}, false, err
			}
			continue
		}
		if err != nil {
			return ledger.Entry{}, false, err
		}
		err = l.store.AppendEntry(ctx, e)
		if err == nil {
			l.remember(e)
			if e.Seq%headHintEvery == 0 {
				// A lost hint only costs a later reader a few probes.
				_ = l.store.SetHeadHint(ctx, id, e.Seq)
			}
			return e, true, nil
		}
		if !errors.Is(err, ledger.ErrDuplicate) {
			return ledger.Entry{}, false, err
		}
		// The sequence number or the transferLeg is taken. Which one?
		taken, gerr := l.store.Entry(ctx, id, e.Seq)
		switch {
		case gerr == nil && taken.TransferLeg == e.TransferLeg:
			l.remember(taken)
			return taken, false, nil
		case errors.Is(gerr, ledger.ErrNotFound):
			prior, perr := l.store.EntryByTransferLeg(ctx, e.TransferLeg)
			if perr != nil {
				return ledger.Entry{}, false, fmt.Errorf("append %s: duplicate without a holder: %w", e.ID, perr)
			}
			if prior.IsFence() {
				return ledger.Entry{}, false, ledger.ErrFenced
			}
			return prior, false, nil
		case gerr != nil:
			return ledger.Entry{}, false, gerr
		}
		if head, err = l.discover(ctx, id, taken); err != nil {
			return ledger.Entry{}, false, err
		}
	}
}

// fence settles transfer tid as never applied unless its first leg is
// already in (ledger.Fence). It reports whether tid is fenced: true, the
// first leg can never be applied; false, it was applied first.
func (l *Ledger) fence(ctx context.Context, tid, by string) (bool, error) {
	err := l.store.AppendEntry(ctx, ledger.Fence(tid, by, l.now()))
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, ledger.ErrDuplicate) {
		return false, fmt.Errorf("fence %s: %w", tid, err)
	}
	e, err := l.store.EntryByTransferLeg(ctx, ledger.TransferLeg(tid, 0))
	if err != nil {
		return false, fmt.Errorf("fence %s: read the first leg: %w", tid, err)
	}
	return e.IsFence(), nil
}

func (l *Ledger) changed(ctx context.Context, ids ...ledger.AccountID) {
	if l.hooks.Changed != nil && len(ids) > 0 {
		l.hooks.Changed(ctx, ids...)
	}
}

func (l *Ledger) count(kind ledger.TransferKind, outcome string, n int) {
	if l.hooks.Transfer != nil && n > 0 {
		l.hooks.Transfer(kind, outcome, n)
	}
}

func (l *Ledger) redline(err error, n int) {
	if l.hooks.Redline != nil && ledger.CodeOf(err) == ledger.CodeQuotaExhausted {
		l.hooks.Redline(n)
	}
}

// Now returns the ledger's clock reading.
func (l *Ledger) Now() time.Time { return l.now() }

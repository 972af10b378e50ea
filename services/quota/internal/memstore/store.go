// Package memstore is an in-memory ledger.Store for the deterministic
// simulator and fast tests. It keeps the guards the ledger relies on (unique
// _id keys, the entries' unique transferLeg, unordered bulk inserts that
// report duplicates) and the answers of the FerretDB adapter (mongostore)
// down to its quirks: times are stored at millisecond precision in UTC,
// updates of a missing record by a $set are silent, the checker's read of
// every person carries only its projected fields. storetest.Run proves the
// two stores equal; fix this package, not the suite, when they differ.
//
// Every record is copied in and out, so a caller can never change the
// store through a slice or pointer it passed or received. Lists the
// interface does not order come back sorted by _id, so a seeded simulation
// replays exactly.
package memstore

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// Store implements ledger.Store in memory. One mutex guards every map: each
// method is atomic, which is at least what the real store guarantees for
// the single-document writes the ledger makes.
type Store struct {
	mu  sync.Mutex
	now func() time.Time

	accounts   map[ledger.AccountID]ledger.AccountRecord
	entries    map[string]ledger.Entry // by _id, <account>#<seq> (fences: fence#<transfer>)
	legs       map[string]string       // transferLeg -> entry _id: the unique index
	transfers  map[string]ledger.Transfer
	incumbents map[string]ledger.IncumbentRecord // by ID number
	history    map[string]ledger.IncumbentRecord // by <ID number>#<exit transfer>
	moves      map[string]ledger.MoveSnapshot
	tenureOps  map[string]ledger.TenureOp          // by <tenure>#<seq>
	exits      map[string]ledger.ExitRequestRecord // exit requests by ID
	batches    map[string]ledger.HireBatch
	holds      map[string]ledger.Hold
	slots      map[string]ledger.Slot
	plans      map[string]ledger.UsagePlan
	cases      map[string]ledger.Case
	blocks     map[string]map[string]bool // subject -> open case IDs
	hireClaims map[string]ledger.HireClaim
	requests   map[string]ledger.RequestRecord
	answers    map[string]ledger.RequestRecord // by request ID: the first answer saved
}

var _ ledger.Store = (*Store)(nil)

// New returns an empty store that stamps updates with time.Now.
func New() *Store { return NewWithClock(time.Now) }

// NewWithClock returns an empty store that stamps updates (a transfer's
// updatedAt) with now, so a simulation can run on a fake clock.
func NewWithClock(now func() time.Time) *Store {
	return &Store{
		now:        now,
		accounts:   map[ledger.AccountID]ledger.AccountRecord{},
		requests:   map[string]ledger.RequestRecord{},
		hireClaims: map[string]ledger.HireClaim{},
		answers:    map[string]ledger.RequestRecord{},
		entries:    map[string]ledger.Entry{},
		legs:       map[string]string{},
		transfers:  map[string]ledger.Transfer{},
		incumbents: map[string]ledger.IncumbentRecord{},
		history:    map[string]ledger.IncumbentRecord{},
		moves:      map[string]ledger.MoveSnapshot{},
		tenureOps:  map[string]ledger.TenureOp{},
		exits:      map[string]ledger.ExitRequestRecord{},
		batches:    map[string]ledger.HireBatch{},
		holds:      map[string]ledger.Hold{},
		slots:      map[string]ledger.Slot{},
		plans:      map[string]ledger.UsagePlan{},
		cases:      map[string]ledger.Case{},
		blocks:     map[string]map[string]bool{},
	}
}

// ms is a time as Mongo stores it: milliseconds since the epoch, read back
// in UTC.
func ms(t time.Time) time.Time { return t.Truncate(time.Millisecond).UTC() }

// duplicate is the error a unique key refuses a write with, worded like
// the adapter's.
func duplicate(what string) error { return fmt.Errorf("%s: %w", what, ledger.ErrDuplicate) }

// insert adds v under id unless the key is taken.
func insert[K comparable, V any](m map[K]V, id K, v V, what string) error {
	if _, ok := m[id]; ok {
		return duplicate(what)
	}
	m[id] = v
	return nil
}

// get returns a copy of the record under id.
func get[K comparable, V any](m map[K]V, id K, clone func(V) V) (V, error) {
	v, ok := m[id]
	if !ok {
		var zero V
		return zero, ledger.ErrNotFound
	}
	return clone(v), nil
}

// replace overwrites the record under id; ErrNotFound if there is none
// (the adapter's ReplaceOne matching nothing).
func replace[K comparable, V any](m map[K]V, id K, v V) error {
	if _, ok := m[id]; !ok {
		return ledger.ErrNotFound
	}
	m[id] = v
	return nil
}

// list returns copies of the records that keep accepts, sorted by key.
func list[K cmp.Ordered, V any](m map[K]V, keep func(V) bool, clone func(V) V) []V {
	keys := make([]K, 0, len(m))
	for k, v := range m {
		if keep == nil || keep(v) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]V, len(keys))
	for i, k := range keys {
		out[i] = clone(m[k])
	}
	return out
}

func same[V any](v V) V { return v }

// strs copies a string list the way Mongo round-trips an omitempty array:
// an empty list comes back absent.
func strs(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// errEmptyInsert is the driver's refusal of a bulk insert of nothing.
func errEmptyInsert(what string) error {
	return fmt.Errorf("%s: invalid documents: must provide at least one element in input slice", what)
}

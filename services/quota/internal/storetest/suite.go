// Package storetest is the one test suite every ledger.Store must pass: the
// FerretDB adapter (mongostore) and the in-memory store (memstore) of the
// simulator run the same cases, so the simulator's store is proven to
// answer as the real one does (the shared repository test of wild-workouts).
//
// It tests the semantics the use cases rely on, method by method: inserts
// guarded by unique keys answer an error wrapping ledger.ErrDuplicate and
// change nothing; reads of a missing record answer ledger.ErrNotFound;
// unordered bulk inserts report exactly the refused rows; the filters of
// the reports and of recovery; times round-trip at millisecond precision in
// UTC; and records come back as copies. Where the interface promises no
// order, the suite does not depend on one.
//
// It is test support, imported only by _test.go files.
package storetest

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// Run runs the suite; every sub-test gets a fresh store from newStore.
func Run(t *testing.T, newStore func(t *testing.T) ledger.Store) {
	for _, family := range []struct {
		name  string
		tests []test
	}{
		{"accounts", accountTests},
		{"entries", entryTests},
		{"transfers", transferTests},
		{"incumbents", incumbentTests},
		{"archive", archiveTests},
		{"tenure ops", tenureOpTests},
		{"exit requests", exitRequestTests},
		{"moves", moveTests},
		{"batches", batchTests},
		{"holds", holdTests},
		{"slots", slotTests},
		{"plans", planTests},
		{"cases", caseTests},
		{"blocks", blockTests},
		{"requests", requestTests},
		{"hire claims", hireClaimTests},
	} {
		t.Run(family.name, func(t *testing.T) {
			for _, tc := range family.tests {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore(t)) })
			}
		})
	}
}

type test struct {
	name string
	run  func(t *testing.T, s ledger.Store)
}

// t0 has nanoseconds and a zone, so every round trip shows the truncation
// to milliseconds and the conversion to UTC.
var t0 = time.Date(2026, 3, 14, 9, 26, 53, 589_793_238, ledger.China)

// at is t0 plus d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// stored is a time as every store must give it back: milliseconds, UTC.
func stored(t time.Time) time.Time { return t.Truncate(time.Millisecond).UTC() }

func ctx(t *testing.T) context.Context { return t.Context() }

// must fails the test on err.
func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// isDuplicate fails the test unless err wraps ledger.ErrDuplicate.
func isDuplicate(t *testing.T, err error, what string) {
	t.Helper()
	if !errors.Is(err, ledger.ErrDuplicate) {
		t.Errorf("%s: error %v, want one wrapping ledger.ErrDuplicate", what, err)
	}
}

// isNotFound fails the test unless err wraps ledger.ErrNotFound.
func isNotFound(t *testing.T, err error, what string) {
	t.Helper()
	if !errors.Is(err, ledger.ErrNotFound) {
		t.Errorf("%s: error %v, want one wrapping ledger.ErrNotFound", what, err)
	}
}

// equal reports a difference between got and want. An empty slice equals
// a nil one: the stores need not agree on which they answer.
func equal[T any](t *testing.T, what string, got, want T) bool {
	t.Helper()
	emptyToNil(reflect.ValueOf(&got).Elem())
	emptyToNil(reflect.ValueOf(&want).Elem())
	if reflect.DeepEqual(got, want) {
		return true
	}
	t.Errorf("%s:\n got %s\nwant %s", what, show(got), show(want))
	return false
}

func emptyToNil(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			emptyToNil(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				emptyToNil(f)
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			if v.CanSet() {
				v.SetZero()
			}
			return
		}
		for i := range v.Len() {
			emptyToNil(v.Index(i))
		}
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// sortedBy returns the list sorted by key, for lists the interface does not
// order.
func sortedBy[T any, K cmp.Ordered](list []T, key func(T) K) []T {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	return out
}

// ids returns the keys of a list, sorted.
func ids[T any](list []T, key func(T) string) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = key(v)
	}
	slices.Sort(out)
	return out
}

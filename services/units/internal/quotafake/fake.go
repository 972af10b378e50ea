// Package quotafake is a hand-written in-memory quota ledger for the units service's
// component tests. It keeps approved and occupied posts per holder and kind, honours
// idempotency keys like the real service (a repeated key returns the first result and
// changes nothing), refuses to go below zero, and can be told to fail, which is how the
// tests break the quota service half-way through an execution.
package quotafake

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/bianzhi/bianzhi/services/units/internal/service"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// ErrDown is what an injected failure returns.
var ErrDown = errors.New("quotafake: service down")

type posts struct{ approved, occupied int64 }

// Ledger is the fake. The zero value is not usable; call New.
type Ledger struct {
	mu         sync.Mutex
	acc        map[string]map[unit.QuotaKind]*posts // unit ID or "pool:<region>"
	keys       map[string]bool
	discipline map[string]bool
	// Applied counts writes that changed something; a replayed key does not count.
	Applied int
	// FailWrites makes the next FailWrites writes fail with ErrDown (after
	// SucceedFirst more writes have gone through).
	FailWrites   int
	SucceedFirst int
	// LoseReplies makes the next LoseReplies writes take effect but answer ErrDown, as
	// when the quota service commits and the reply is lost on the way back.
	LoseReplies int
}

var _ service.Quota = (*Ledger)(nil)

// New returns an empty ledger.
func New() *Ledger {
	return &Ledger{acc: map[string]map[unit.QuotaKind]*posts{}, keys: map[string]bool{}, discipline: map[string]bool{}}
}

func (l *Ledger) get(holder string, k unit.QuotaKind) *posts {
	if l.acc[holder] == nil {
		l.acc[holder] = map[unit.QuotaKind]*posts{}
	}
	if l.acc[holder][k] == nil {
		l.acc[holder][k] = &posts{}
	}
	return l.acc[holder][k]
}

func pool(region string) string { return "pool:" + region }

// Seed sets a unit's approved and occupied posts of kind directly (test setup).
func (l *Ledger) Seed(unitID string, k unit.QuotaKind, approved, occupied int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.get(unitID, k)
	p.approved, p.occupied = approved, occupied
}

// SeedPool sets a region pool's posts (test setup).
func (l *Ledger) SeedPool(region string, k unit.QuotaKind, n int64) { l.Seed(pool(region), k, n, 0) }

// SetDiscipline opens or closes a discipline case against department.
func (l *Ledger) SetDiscipline(department string, open bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.discipline[department] = open
}

// Total returns the sum of approved posts and of occupied posts over every holder: a
// merger or an abolition must leave both unchanged.
func (l *Ledger) Total() (approved, occupied int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.acc {
		for _, p := range m {
			approved += p.approved
			occupied += p.occupied
		}
	}
	return
}

// Get returns a unit's (or "pool:<region>") approved and occupied posts of kind.
func (l *Ledger) Get(holder string, k unit.QuotaKind) (approved, occupied int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.get(holder, k)
	return p.approved, p.occupied
}

// write runs op once per key, failing when told to.
func (l *Ledger) write(key string, op func() error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys[key] {
		return nil
	}
	if l.SucceedFirst > 0 {
		l.SucceedFirst--
	} else if l.FailWrites > 0 {
		l.FailWrites--
		return ErrDown
	}
	if err := op(); err != nil {
		return err
	}
	l.keys[key] = true
	l.Applied++
	if l.LoseReplies > 0 {
		l.LoseReplies--
		return ErrDown
	}
	return nil
}

func balances(m map[unit.QuotaKind]*posts) []unit.Balance {
	out := []unit.Balance{}
	for k, p := range m {
		out = append(out, unit.Balance{Kind: k, Approved: p.approved, Occupied: p.occupied, Vacant: p.approved - p.occupied})
	}
	return out
}

// Balances implements service.Quota.
func (l *Ledger) Balances(_ context.Context, ids []string) (map[string][]unit.Balance, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string][]unit.Balance{}
	for _, id := range ids {
		out[id] = balances(l.acc[id])
	}
	return out, nil
}

// PoolBalances implements service.Quota.
func (l *Ledger) PoolBalances(_ context.Context, region string) ([]unit.Balance, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return balances(l.acc[pool(region)]), nil
}

// SetApproved implements service.Quota; the difference comes from the region's control
// total, which the fake does not track.
func (l *Ledger) SetApproved(_ context.Context, key, unitID, _ string, lines []unit.QuotaLine, _ string) error {
	return l.write(key, func() error {
		for _, q := range lines {
			p := l.get(unitID, q.Kind)
			if q.Count < p.occupied {
				return &unit.Error{Kind: unit.KindRule, Code: "quota_exhausted", Message: "核定编制少于实有人员", Detail: "approved below occupied"}
			}
			p.approved = q.Count
		}
		return nil
	})
}

// Move implements service.Quota.
func (l *Ledger) Move(_ context.Context, key string, m service.Move) error {
	from, to := m.From, m.To
	if from == "" {
		from = pool(m.Region)
	}
	if to == "" {
		to = pool(m.Region)
	}
	return l.write(key, func() error {
		src := l.get(from, m.Kind)
		if src.approved-src.occupied < m.Count {
			return &unit.Error{Kind: unit.KindRule, Code: "quota_exhausted", Message: "空编不足",
				Detail: fmt.Sprintf("%s has %d vacant %s, %d asked", from, src.approved-src.occupied, m.Kind, m.Count)}
		}
		src.approved -= m.Count
		l.get(to, m.Kind).approved += m.Count
		return nil
	})
}

// MoveIncumbents implements service.Quota: people move with the posts they occupy.
func (l *Ledger) MoveIncumbents(_ context.Context, key, from, to, _ string) (int64, error) {
	var n int64
	err := l.write(key, func() error {
		for k, p := range l.acc[from] {
			t := l.get(to, k)
			t.approved += p.occupied
			t.occupied += p.occupied
			p.approved -= p.occupied
			n += p.occupied
			p.occupied = 0
		}
		return nil
	})
	return n, err
}

// DisciplineOpen implements service.Quota.
func (l *Ledger) DisciplineOpen(_ context.Context, department string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.discipline[department], nil
}

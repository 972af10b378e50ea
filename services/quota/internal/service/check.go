package service

import (
	"time"

	"context"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// CheckResult is the invariant checker's answer.
type CheckResult struct {
	OK       bool             `json:"ok"`
	Accounts int              `json:"accounts"`
	Entries  int              `json:"entries"`
	InFlight int              `json:"inFlight"`
	Problems []ledger.Problem `json:"problems"`
	// People is how many people are on posts (the occupancy check's count).
	People int `json:"people"`
}

// Check reads the whole ledger and proves its invariants (ledger.Check).
// Transfers still pending are reported as in flight, not as problems:
// recovery settles them.
func (l *Ledger) Check(ctx context.Context) (CheckResult, error) {
	accs, err := l.store.Accounts(ctx, ledger.AccountFilter{})
	if err != nil {
		return CheckResult{}, err
	}
	entries, err := l.store.AllEntries(ctx)
	if err != nil {
		return CheckResult{}, err
	}
	pending, err := l.store.PendingTransfers(ctx, l.now().Add(time.Hour))
	if err != nil {
		return CheckResult{}, err
	}
	inFlight := map[string]bool{}
	for _, t := range pending {
		inFlight[t.ID] = true
	}
	m := make(map[ledger.AccountID]ledger.Account, len(accs))
	for _, a := range accs {
		m[a.ID] = a.Account
	}
	ps := ledger.Check(m, entries, inFlight)
	occ, people, err := l.occupancy(ctx, m, entries, pending)
	if err != nil {
		return CheckResult{}, err
	}
	ps = append(ps, occ...)
	if ps == nil {
		ps = []ledger.Problem{}
	}
	if l.hooks.Checked != nil {
		l.hooks.Checked(len(ps) == 0)
	}
	return CheckResult{OK: len(ps) == 0, Accounts: len(accs), Entries: len(entries), InFlight: len(inFlight), Problems: ps, People: people}, nil
}

// occupancy runs ledger.CheckOccupancy: one read of every person and one of
// every hire batch, grouped in memory (a pending person is on a post when
// their committed batch names them, as ActiveIncumbents resolves it).
// Accounts with a pending transfer or an open hire batch are skipped: their
// balance and their people change in separate writes.
func (l *Ledger) occupancy(ctx context.Context, accs map[ledger.AccountID]ledger.Account, entries []ledger.Entry, pending []ledger.Transfer) ([]ledger.Problem, int, error) {
	people, err := l.store.AllIncumbents(ctx)
	if err != nil {
		return nil, 0, err
	}
	batches, err := l.store.AllBatches(ctx)
	if err != nil {
		return nil, 0, err
	}
	skip := map[ledger.AccountID]bool{}
	for _, t := range pending {
		for _, leg := range t.Legs {
			skip[leg.Account] = true
		}
	}
	hired := map[string]map[string]bool{}
	for _, b := range batches {
		switch b.State {
		case ledger.BatchOpen:
			skip[b.Account] = true
		case ledger.BatchCommitted:
			set := make(map[string]bool, len(b.People))
			for _, id := range b.People {
				set[id] = true
			}
			hired[b.ID] = set
		}
	}
	count := map[ledger.AccountID]int64{}
	total := 0
	for _, p := range people {
		if p.State == ledger.IncumbentActive || p.State == ledger.IncumbentPending && hired[p.TransferID][p.IDNumber] {
			count[p.Account]++
			total++
		}
	}
	last := map[ledger.AccountID]ledger.Entry{}
	for _, e := range entries {
		if e.Seq > last[e.Account].Seq {
			last[e.Account] = e
		}
	}
	occupied := make(map[ledger.AccountID]int64, len(last))
	for id, e := range last {
		occupied[id] = e.Balance.Occupied
	}
	return ledger.CheckOccupancy(accs, occupied, count, skip), total, nil
}

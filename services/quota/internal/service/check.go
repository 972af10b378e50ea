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
	if ps == nil {
		ps = []ledger.Problem{}
	}
	if l.hooks.Checked != nil {
		l.hooks.Checked(len(ps) == 0)
	}
	return CheckResult{OK: len(ps) == 0, Accounts: len(accs), Entries: len(entries), InFlight: len(inFlight), Problems: ps}, nil
}

package service

import (
	"context"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// Journal loads every account and entry, the input of the reports. Both
// are full reads; reports are rare and their answers are cached by callers.
func (l *Ledger) Journal(ctx context.Context) (map[ledger.AccountID]ledger.Account, []ledger.Entry, error) {
	accs, err := l.store.Accounts(ctx, ledger.AccountFilter{})
	if err != nil {
		return nil, nil, err
	}
	entries, err := l.store.AllEntries(ctx)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[ledger.AccountID]ledger.Account, len(accs))
	for _, a := range accs {
		m[a.ID] = a.Account
	}
	return m, entries, nil
}

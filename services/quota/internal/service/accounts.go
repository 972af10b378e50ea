package service

import (
	"context"
	"errors"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// AccountRequest opens an account.
type AccountRequest struct {
	ID         ledger.AccountID `json:"id"`
	Region     string           `json:"region"`
	Department string           `json:"department"`
	Name       string           `json:"name"`
}

// OpenAccount creates an account, or returns the existing one if the same
// account was opened before (opening is naturally idempotent by its ID).
func (l *Ledger) OpenAccount(ctx context.Context, r AccountRequest) (ledger.AccountRecord, bool, error) {
	a, err := ledger.NewAccount(r.ID, r.Region, r.Department, r.Name, l.now())
	if err != nil {
		return ledger.AccountRecord{}, false, err
	}
	err = l.store.InsertAccount(ctx, a)
	if errors.Is(err, ledger.ErrDuplicate) {
		got, gerr := l.store.Account(ctx, a.ID)
		if gerr != nil {
			return ledger.AccountRecord{}, false, gerr
		}
		// A request that names no department (the units service opening
		// a merger's accounts) matches whatever department is recorded.
		if got.Region != a.Region || a.Department != "" && got.Department != a.Department {
			return ledger.AccountRecord{}, false, &ledger.Error{Code: ledger.CodeConflict, Field: "id",
				Message: "账户已存在且区划或主管部门不同", Detail: "account exists with another region or department"}
		}
		return got, false, nil
	}
	if err != nil {
		return ledger.AccountRecord{}, false, err
	}
	return ledger.AccountRecord{Account: a}, true, nil
}

// Account reads an account, as a domain not_found if missing.
func (l *Ledger) Account(ctx context.Context, id ledger.AccountID) (ledger.AccountRecord, error) {
	a, err := l.store.Account(ctx, id)
	if errors.Is(err, ledger.ErrNotFound) {
		return a, ledger.NotFound("account", string(id))
	}
	return a, err
}

// SetAbolished marks every account of a unit abolished (撤销): it takes no
// more quota in, while its remaining quota can still be moved out.
func (l *Ledger) SetAbolished(ctx context.Context, unit string, abolished bool) (int, error) {
	accs, err := l.store.Accounts(ctx, ledger.AccountFilter{Unit: unit})
	if err != nil {
		return 0, err
	}
	if len(accs) == 0 {
		return 0, ledger.NotFound("account", "unit:"+unit)
	}
	for _, a := range accs {
		if err := l.store.SetAbolished(ctx, a.ID, abolished); err != nil {
			return 0, err
		}
	}
	return len(accs), nil
}

// Balance returns an account's current balance and sequence number.
func (l *Ledger) Balance(ctx context.Context, id ledger.AccountID) (ledger.AccountRecord, ledger.Entry, error) {
	a, err := l.Account(ctx, id)
	if err != nil {
		return a, ledger.Entry{}, err
	}
	head, err := l.discover(ctx, id, ledger.Entry{})
	return a, head, err
}

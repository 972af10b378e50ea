package service_test

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/bianzhi/bianzhi/pkg/apperr"

	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

// fakeLedger is a hand-written quota ledger for the use-case tests: balances with the red line,
// holds, idempotency keys that replay the first answer, discipline blocks, and a switch that applies
// a call but loses its answer, as a timeout would.
type fakeLedger struct {
	mu        sync.Mutex
	accounts  map[string]*service.Balance
	holds     map[string]string // hold ID → pool account, while open
	results   map[string]any    // idempotency key → first answer
	blocked   map[string]bool
	loseNext  map[string]bool // op → apply, then answer unavailable once
	calls     map[string]int  // op → effective applications
	nextHold  int
	unreached bool
}

func newFakeLedger() *fakeLedger {
	return &fakeLedger{accounts: map[string]*service.Balance{}, holds: map[string]string{}, results: map[string]any{},
		blocked: map[string]bool{}, loseNext: map[string]bool{}, calls: map[string]int{}}
}

func (f *fakeLedger) set(account string, approved, occupied int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accounts[account] = &service.Balance{Approved: approved, Occupied: occupied}
}

func (f *fakeLedger) balance(account string) service.Balance {
	f.mu.Lock()
	defer f.mu.Unlock()
	if b := f.accounts[account]; b != nil {
		return *b
	}
	return service.Balance{}
}

func (f *fakeLedger) applied(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeLedger) acct(id string) *service.Balance {
	if f.accounts[id] == nil {
		f.accounts[id] = &service.Balance{}
	}
	return f.accounts[id]
}

var errUnavailable = apperr.New(apperr.CodeUnavailable, "", "quota did not answer")

// idem runs op once per key; a lost answer is reported after applying.
func (f *fakeLedger) idem(name, key string, op func() (any, error)) (any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.unreached {
		return nil, errUnavailable
	}
	if r, ok := f.results[key]; ok {
		if err, isErr := r.(error); isErr {
			return nil, err
		}
		return r, nil
	}
	r, err := op()
	if err != nil {
		f.results[key] = err
		return nil, err
	}
	f.results[key] = r
	f.calls[name]++
	if f.loseNext[name] {
		f.loseNext[name] = false
		return nil, errUnavailable
	}
	return r, nil
}

func exhausted(b service.Balance) error {
	return apperr.New(apperr.CodeQuotaExhausted, fmt.Sprintf("编制已满：核定%d，已占用%d，已预留%d", b.Approved, b.Occupied, b.Held), "red line")
}

func (f *fakeLedger) OpenDiscipline(_ context.Context, unit, _ string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.unreached {
		return false, errUnavailable
	}
	return f.blocked[unit], nil
}

func (f *fakeLedger) PlaceHold(_ context.Context, key string, r service.HoldRequest) (service.Hold, error) {
	r2, err := f.idem("hold", key, func() (any, error) {
		b := f.acct(r.Account)
		if b.Vacant() < 1 {
			return nil, exhausted(*b)
		}
		b.Held++
		f.nextHold++
		id := fmt.Sprintf("h-%d", f.nextHold)
		f.holds[id] = r.Account
		return service.Hold{ID: id, ExpiresAt: r.ExpiresAt}, nil
	})
	if err != nil {
		return service.Hold{}, err
	}
	return r2.(service.Hold), nil
}

func (f *fakeLedger) VoidHold(_ context.Context, key, holdID string) error {
	_, err := f.idem("void", key, func() (any, error) {
		acct, ok := f.holds[holdID]
		if !ok {
			return nil, apperr.New(apperr.CodeConflict, "该预留已用完、已作废或已过期", "hold closed")
		}
		delete(f.holds, holdID)
		f.acct(acct).Held--
		return "voided", nil
	})
	return err
}

func (f *fakeLedger) Lend(_ context.Context, key string, r service.LoanRequest) (service.Loan, error) {
	r2, err := f.idem("lend", key, func() (any, error) {
		acct, ok := f.holds[r.HoldID]
		if !ok {
			return nil, apperr.New(apperr.CodeConflict, "该预留已用完、已作废或已过期", "hold closed")
		}
		if f.blocked[r.Unit] {
			return nil, apperr.New(apperr.CodeRectificationPending, "", "blocked")
		}
		delete(f.holds, r.HoldID)
		p := f.acct(acct)
		p.Held--
		p.Approved--
		u := f.acct(service.UnitAccount(r.Unit, r.Kind))
		u.Approved++
		u.Occupied++
		return service.Loan{TransferID: "hl-" + r.HoldID}, nil
	})
	if err != nil {
		return service.Loan{}, err
	}
	return r2.(service.Loan), nil
}

func (f *fakeLedger) Return(_ context.Context, key string, r service.ReturnRequest) (string, error) {
	r2, err := f.idem("return", key, func() (any, error) {
		u := f.acct(service.UnitAccount(r.Unit, r.Kind))
		if u.Vacant() < 1 {
			return nil, exhausted(*u)
		}
		u.Approved--
		f.acct(r.Account).Approved++
		return "t-return-" + key, nil
	})
	if err != nil {
		return "", err
	}
	return r2.(string), nil
}

func (f *fakeLedger) Balance(_ context.Context, account string) (service.Balance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.unreached {
		return service.Balance{}, errUnavailable
	}
	b, ok := f.accounts[account]
	if !ok {
		return service.Balance{}, apperr.NotFound("编制账户", account)
	}
	return *b, nil
}

// fakeUnits is the directory of units for the use-case tests: every unit lies in 小店区 (140105)
// under department "dept-<unit>" unless moved, and "ghost-…" units are unknown.
type fakeUnits struct {
	mu    sync.Mutex
	moved map[string]string // unit → region
	calls int
}

func newFakeUnits() *fakeUnits { return &fakeUnits{moved: map[string]string{}} }

func (f *fakeUnits) Unit(_ context.Context, id string) (service.Unit, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if strings.HasPrefix(id, "ghost-") {
		return service.Unit{}, apperr.NotFound("单位", "unit "+id+" not found")
	}
	region := "140105"
	if r, ok := f.moved[id]; ok {
		region = r
	}
	return service.Unit{ID: id, Name: "单位" + id, Region: region, Department: "dept-" + id}, nil
}

func (f *fakeUnits) move(id, region string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.moved[id] = region
}

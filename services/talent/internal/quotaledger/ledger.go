// Package quotaledger is the talent service's adapter to the quota service: it implements
// service.Ledger with the quota service's typed client (over pkg/svcclient: timeouts, retries of
// keyed writes, circuit breaker, tracing).
//
// Every call goes out under the talent service's own identity, never the person's: the quota
// ledger scopes Idempotency-Keys by the caller, so a step begun by a person and finished by the job
// must reach the ledger as the same caller to be applied once. The person's rights were checked here
// before the call; the case history records who acted.
package quotaledger

import (
	"context"
	"time"

	"github.com/bianzhi/bianzhi/pkg/svcclient"
	quota "github.com/bianzhi/bianzhi/services/quota/client"

	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

// Ledger calls the quota service.
type Ledger struct {
	c *quota.Client
}

var _ service.Ledger = (*Ledger)(nil)

// New returns the adapter for the quota service at baseURL; token gives the talent service's own
// token.
func New(baseURL string, token func(ctx context.Context) (string, error)) (*Ledger, error) {
	c, err := quota.New(svcclient.Options{BaseURL: baseURL, Caller: "talent", Timeout: 10 * time.Second,
		TokenSource: token})
	if err != nil {
		return nil, err
	}
	return &Ledger{c: c}, nil
}

// asService drops the person's token from ctx, so the client falls back to the service's own.
func asService(ctx context.Context) context.Context { return svcclient.WithToken(ctx, "") }

// OpenDiscipline asks quota whether the unit or its supervising department (the units service's
// record of it) has an open discipline case.
func (l *Ledger) OpenDiscipline(ctx context.Context, unit, department string) (bool, error) {
	chk, err := l.c.CaseCheck(asService(ctx), unit, department)
	return chk.Blocked, err
}

// PlaceHold reserves one post of a pool account.
func (l *Ledger) PlaceHold(ctx context.Context, key string, r service.HoldRequest) (service.Hold, error) {
	h, err := l.c.PlaceHold(asService(ctx), key, quota.PlaceHold{Account: r.Account, Amount: 1, Purpose: r.Purpose,
		ExpiresAt: r.ExpiresAt.UTC()})
	if err != nil {
		return service.Hold{}, err
	}
	return service.Hold{ID: h.ID, ExpiresAt: h.ExpiresAt}, nil
}

// VoidHold releases what is left of a hold; quota voids by claiming the hold's free slots, so a
// repeated void finds none and changes nothing.
func (l *Ledger) VoidHold(ctx context.Context, _ string, holdID string) error {
	_, err := l.c.VoidHold(asService(ctx), holdID)
	return err
}

// Lend posts the hold as a loan to the unit, then hires the candidate into the lent post. Quota
// makes the loan once per hold (its transfer ID derives from the hold) and the hire once per key,
// so a retry after either call completes the pair without lending twice.
func (l *Ledger) Lend(ctx context.Context, key string, r service.LoanRequest) (service.Loan, error) {
	ctx = asService(ctx)
	t, err := l.c.LendHold(ctx, r.HoldID, quota.UnitAccount(r.Unit, r.Kind))
	if err != nil {
		return service.Loan{}, err
	}
	_, err = l.c.Hire(ctx, key+"-hire", quota.Hire{IDNumber: r.IDNumber, Name: r.Name, Unit: r.Unit, Kind: r.Kind,
		Channel: "talent_pool", EntryDate: r.EntryDate, DocNo: r.DocNo})
	if err != nil {
		return service.Loan{}, err
	}
	return service.Loan{TransferID: t.ID}, nil
}

// Return moves one post from the unit back to the pool; quota's red line refuses it while the unit
// has no vacancy of the kind.
func (l *Ledger) Return(ctx context.Context, key string, r service.ReturnRequest) (string, error) {
	t, err := l.c.Transfer(asService(ctx), key, quota.TransferRequest{Kind: "return",
		From: quota.UnitAccount(r.Unit, r.Kind), To: r.Account, Amount: 1, Reason: r.Reason})
	return t.ID, err
}

// Balance reads an account's balance.
func (l *Ledger) Balance(ctx context.Context, account string) (service.Balance, error) {
	a, err := l.c.Account(asService(ctx), account)
	if err != nil {
		return service.Balance{}, err
	}
	return service.Balance{Approved: a.Balance.Approved, Held: a.Balance.Held, Occupied: a.Balance.Occupied}, nil
}

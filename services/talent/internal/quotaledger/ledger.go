// Package quotaledger is the talent service's adapter to the quota service: it implements
// service.Ledger over the quota REST API with the quota service's own wire types (its client
// package), through pkg/svcclient (timeouts, retries of keyed writes, circuit breaker, tracing).
//
// Every call goes out under the talent service's own identity, never the person's: the quota
// ledger scopes Idempotency-Keys by the caller, so a step begun by a person and finished by the job
// must reach the ledger as the same caller to be applied once. The person's rights were checked here
// before the call; the case history records who acted.
package quotaledger

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
	quota "github.com/bianzhi/bianzhi/services/quota/client"

	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

// Ledger calls the quota service.
type Ledger struct {
	c *svcclient.Client
}

var _ service.Ledger = (*Ledger)(nil)

// New returns the adapter for the quota service at baseURL; token gives the talent service's own
// token.
func New(baseURL string, token func(ctx context.Context) (string, error)) (*Ledger, error) {
	c, err := svcclient.New(svcclient.Options{BaseURL: baseURL, Service: "quota", Caller: "talent",
		Timeout: 10 * time.Second, TokenSource: token})
	if err != nil {
		return nil, err
	}
	return &Ledger{c: c}, nil
}

// asService drops the person's token from ctx, so the client falls back to the service's own.
func asService(ctx context.Context) context.Context { return svcclient.WithToken(ctx, "") }

func (l *Ledger) do(ctx context.Context, method, path string, in, out any, key string) error {
	var opts []svcclient.CallOption
	if key != "" {
		opts = append(opts, svcclient.WithIdempotencyKey(key))
	}
	return l.c.Do(asService(ctx), method, path, in, out, opts...)
}

// OpenDiscipline asks quota whether the unit or its supervising department (which quota knows from
// the unit's account) has an open discipline case.
func (l *Ledger) OpenDiscipline(ctx context.Context, unit, kind string) (bool, error) {
	var a quota.Account
	err := l.do(ctx, http.MethodGet, "/v1/accounts/"+url.PathEscape(service.UnitAccount(unit, kind)), nil, &a, "")
	if err != nil && !apperr.Is(err, apperr.CodeNotFound) {
		return false, err
	}
	q := url.Values{}
	if a.Department != "" {
		q.Set("department", a.Department)
	}
	var chk quota.CaseCheck
	if err := l.c.Do(asService(ctx), http.MethodGet, "/v1/units/"+url.PathEscape(unit)+"/case-check", nil, &chk,
		svcclient.WithQuery(q)); err != nil {
		return false, err
	}
	return chk.Blocked, nil
}

// PlaceHold reserves one post of a pool account.
func (l *Ledger) PlaceHold(ctx context.Context, key string, r service.HoldRequest) (service.Hold, error) {
	var h quota.Hold
	err := l.do(ctx, http.MethodPost, "/v1/holds",
		quota.PlaceHold{Account: r.Account, Amount: 1, Purpose: r.Purpose, ExpiresAt: r.ExpiresAt.UTC()}, &h, key)
	if err != nil {
		return service.Hold{}, err
	}
	return service.Hold{ID: h.ID, ExpiresAt: h.ExpiresAt}, nil
}

// VoidHold releases what is left of a hold. Quota voids by claiming the hold's free slots, so a
// repeated void finds none and changes nothing.
func (l *Ledger) VoidHold(ctx context.Context, key, holdID string) error {
	return l.do(ctx, http.MethodPost, "/v1/holds/"+url.PathEscape(holdID)+"/void", nil, nil, key)
}

// Lend posts the hold as a loan to the unit, then hires the candidate into the lent post. Quota
// makes the loan once per hold (its transfer ID derives from the hold) and the hire once per key,
// so a retry after either call completes the pair without lending twice.
func (l *Ledger) Lend(ctx context.Context, key string, r service.LoanRequest) (service.Loan, error) {
	var t quota.Transfer
	err := l.do(ctx, http.MethodPost, "/v1/holds/"+url.PathEscape(r.HoldID)+"/lend",
		quota.Lend{To: service.UnitAccount(r.Unit, r.Kind)}, &t, key+"-lend")
	if err != nil {
		return service.Loan{}, err
	}
	var p quota.Incumbent
	err = l.do(ctx, http.MethodPost, "/v1/incumbents", quota.Hire{IDNumber: r.IDNumber, Name: r.Name, Unit: r.Unit,
		Kind: r.Kind, Channel: "talent_pool", EntryDate: r.EntryDate, DocNo: r.DocNo}, &p, key+"-hire")
	if err != nil {
		return service.Loan{}, err
	}
	return service.Loan{TransferID: t.ID}, nil
}

// Return moves one post from the unit back to the pool; quota's red line refuses it while the unit
// has no vacancy of the kind.
func (l *Ledger) Return(ctx context.Context, key string, r service.ReturnRequest) (string, error) {
	var t quota.Transfer
	err := l.do(ctx, http.MethodPost, "/v1/transfers", quota.TransferRequest{Kind: "return",
		From: service.UnitAccount(r.Unit, r.Kind), To: r.Account, Amount: 1, Reason: r.Reason}, &t, key)
	return t.ID, err
}

// Balance reads an account's balance.
func (l *Ledger) Balance(ctx context.Context, account string) (service.Balance, error) {
	var a quota.Account
	if err := l.do(ctx, http.MethodGet, "/v1/accounts/"+url.PathEscape(account), nil, &a, ""); err != nil {
		return service.Balance{}, err
	}
	return service.Balance{Approved: a.Balance.Approved, Held: a.Balance.Held, Occupied: a.Balance.Occupied}, nil
}

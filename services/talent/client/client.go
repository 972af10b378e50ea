// Package client is the typed Go client of the talent service, for the services (and the gateway)
// that call it. Errors are *apperr.Error values: branch on their Code (quota_exhausted,
// rectification_pending, invalid_state, conflict, unavailable, ...).
package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
)

// Client calls the talent service.
type Client struct {
	c *svcclient.Client
}

// New returns a client for the talent service at opts.BaseURL.
func New(opts svcclient.Options) (*Client, error) {
	opts.Service = "talent"
	c, err := svcclient.New(opts)
	if err != nil {
		return nil, err
	}
	return &Client{c: c}, nil
}

// WhoAmI asks the service who it takes the caller to be.
func (c *Client) WhoAmI(ctx context.Context) (auth.Identity, error) {
	var id auth.Identity
	err := c.c.Do(ctx, http.MethodGet, "/v1/whoami", nil, &id)
	return id, err
}

// The events a case action names, as the path segment of POST /v1/cases/{id}/{event}.
const (
	ActAccept   = "accept"
	ActSendBack = "send-back"
	ActReject   = "reject"
	ActResubmit = "resubmit"
	ActWithdraw = "withdraw"
	ActHire     = "hire"
)

// File files a case; the same key files it once.
func (c *Client) File(ctx context.Context, key string, in FileCase) (Case, error) {
	var out Case
	err := c.c.Do(ctx, http.MethodPost, "/v1/cases", in, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// Case reads a case.
func (c *Client) Case(ctx context.Context, id string) (Case, error) {
	var out Case
	err := c.c.Do(ctx, http.MethodGet, "/v1/cases/"+url.PathEscape(id), nil, &out)
	return out, err
}

// Cases lists cases; filter keys: unit, status, subPool.
func (c *Client) Cases(ctx context.Context, filter url.Values) (Cases, error) {
	var out Cases
	err := c.c.Do(ctx, http.MethodGet, "/v1/cases", nil, &out, svcclient.WithQuery(filter))
	return out, err
}

// History reads a case's steps.
func (c *Client) History(ctx context.Context, id string) (History, error) {
	var out History
	err := c.c.Do(ctx, http.MethodGet, "/v1/cases/"+url.PathEscape(id)+"/history", nil, &out)
	return out, err
}

// Amend changes the application of a case sent back for changes.
func (c *Client) Amend(ctx context.Context, id string, in Application) (Case, error) {
	var out Case
	err := c.c.Do(ctx, http.MethodPut, "/v1/cases/"+url.PathEscape(id)+"/application", in, &out)
	return out, err
}

// Act runs an action (ActAccept, ActHire, ...) on a case. Actions are sent once: a repeat of an
// action whose answer was lost is safe to send again, as the service finishes the recorded step.
func (c *Client) Act(ctx context.Context, id, action string, in Act) (Case, error) {
	var out Case
	err := c.c.Do(ctx, http.MethodPost, "/v1/cases/"+url.PathEscape(id)+"/"+action, in, &out)
	return out, err
}

// ReturnDue runs the return-loans job now.
func (c *Client) ReturnDue(ctx context.Context) (DueReport, error) {
	var out DueReport
	err := c.c.Do(ctx, http.MethodPost, "/v1/loans/return-due", nil, &out)
	return out, err
}

// PoolStatement reads the pool statement.
func (c *Client) PoolStatement(ctx context.Context) (PoolStatement, error) {
	var out PoolStatement
	err := c.c.Do(ctx, http.MethodGet, "/v1/reports/pool", nil, &out)
	return out, err
}

// OverdueLoans reads the overdue loans with their units' vacancies.
func (c *Client) OverdueLoans(ctx context.Context) (OverdueLoans, error) {
	var out OverdueLoans
	err := c.c.Do(ctx, http.MethodGet, "/v1/reports/overdue-loans", nil, &out)
	return out, err
}

// Package client is the typed Go client of the quota service, for the services that call it (units
// and talent first). Every write takes the caller's idempotency key: the service answers a repeated
// key with its first result, so the client may retry writes safely, and does.
//
// Errors are *apperr.Error values: branch on their Code (quota_exhausted, rectification_pending,
// duplicate_person, invalid_argument, ...). A quota_exhausted error carries approved, occupied and
// held in its Extra.
package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
)

// Client calls the quota service.
type Client struct {
	c *svcclient.Client
}

// New returns a client for the quota service at opts.BaseURL.
func New(opts svcclient.Options) (*Client, error) {
	opts.Service = "quota"
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

// UnitAccount returns the account ID of a unit's quota of a kind.
func UnitAccount(unit, kind string) string { return "unit:" + unit + ":" + kind }

// ControlAccount returns the account ID of a region's control total of a kind.
func ControlAccount(region, kind string) string { return "pool:control:" + region + ":" + kind }

// RecoveredAccount returns the account ID of a region's recovered-quota pool of a kind.
func RecoveredAccount(region, kind string) string { return "pool:recovered:" + region + ":" + kind }

// TalentAccount returns the account ID of a talent revolving pool of a kind.
func TalentAccount(subpool, kind string) string { return "pool:talent:" + subpool + ":" + kind }

// OpenAccount opens an account; opening an existing one returns it.
func (c *Client) OpenAccount(ctx context.Context, in OpenAccount) (Account, error) {
	var out Account
	err := c.c.Do(ctx, http.MethodPost, "/v1/accounts", in, &out, svcclient.WithIdempotencyKey("open:"+in.ID))
	return out, err
}

// Account returns an account with its balance.
func (c *Client) Account(ctx context.Context, id string) (Account, error) {
	var out Account
	err := c.c.Do(ctx, http.MethodGet, "/v1/accounts/"+url.PathEscape(id), nil, &out)
	return out, err
}

// AccountAsOf returns an account's balance at the end of a day (YYYY-MM-DD, Beijing time).
func (c *Client) AccountAsOf(ctx context.Context, id, day string) (Account, error) {
	var out Account
	err := c.c.Do(ctx, http.MethodGet, "/v1/accounts/"+url.PathEscape(id), nil, &out, svcclient.WithQuery(url.Values{"asOf": {day}}))
	return out, err
}

// Balances lists accounts with balances; filter keys: region, kind, level, type, unit.
func (c *Client) Balances(ctx context.Context, filter url.Values) (Balances, error) {
	var out Balances
	err := c.c.Do(ctx, http.MethodGet, "/v1/balances", nil, &out, svcclient.WithQuery(filter))
	return out, err
}

// Transfer moves approved posts (approve, adjust_control, move_unit, move_level, recover,
// reallocate, lend, return).
func (c *Client) Transfer(ctx context.Context, key string, in TransferRequest) (Transfer, error) {
	var out Transfer
	err := c.c.Do(ctx, http.MethodPost, "/v1/transfers", in, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// Approve moves n posts from a region's control total to a unit (核定编制).
func (c *Client) Approve(ctx context.Context, key, region, unit, kind string, n int64, docNo, reason string) (Transfer, error) {
	return c.Transfer(ctx, key, TransferRequest{Kind: "approve", From: ControlAccount(region, kind), To: UnitAccount(unit, kind), Amount: n, DocNo: docNo, Reason: reason})
}

// TransferBatch applies many transfers, validated all-or-nothing.
func (c *Client) TransferBatch(ctx context.Context, key string, rows []TransferRequest) (BatchResponse, error) {
	var out BatchResponse
	err := c.c.Do(ctx, http.MethodPost, "/v1/transfers/batch", BatchTransfers{Rows: rows}, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// PlaceHold reserves posts for a recruitment.
func (c *Client) PlaceHold(ctx context.Context, key string, in PlaceHold) (Hold, error) {
	var out Hold
	err := c.c.Do(ctx, http.MethodPost, "/v1/holds", in, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// Hold reads a hold.
func (c *Client) Hold(ctx context.Context, id string) (Hold, error) {
	var out Hold
	err := c.c.Do(ctx, http.MethodGet, "/v1/holds/"+url.PathEscape(id), nil, &out)
	return out, err
}

// VoidHold releases a hold's unused posts; voiding again changes nothing.
func (c *Client) VoidHold(ctx context.Context, id string) (Hold, error) {
	var out Hold
	err := c.c.Do(ctx, http.MethodPost, "/v1/holds/"+url.PathEscape(id)+"/void", nil, &out, svcclient.WithIdempotencyKey("void:"+id))
	return out, err
}

// LendHold posts a talent-pool hold as a loan to a unit's account; lending again changes nothing.
func (c *Client) LendHold(ctx context.Context, id, to string) (Transfer, error) {
	var out Transfer
	err := c.c.Do(ctx, http.MethodPost, "/v1/holds/"+url.PathEscape(id)+"/lend", Lend{To: to}, &out, svcclient.WithIdempotencyKey("lend:"+id))
	return out, err
}

// Hire puts a person on a post (with HoldID: a post the hold reserved).
func (c *Client) Hire(ctx context.Context, key string, in Hire) (Incumbent, error) {
	var out Incumbent
	err := c.c.Do(ctx, http.MethodPost, "/v1/incumbents", in, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// HireBatch hires many people in one request, validated all-or-nothing.
func (c *Client) HireBatch(ctx context.Context, key string, rows []Hire) (BatchResponse, error) {
	var out BatchResponse
	err := c.c.Do(ctx, http.MethodPost, "/v1/incumbents/batch", BatchHires{Rows: rows}, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// Incumbent reads a person by ID number.
func (c *Client) Incumbent(ctx context.Context, idNumber string) (Incumbent, error) {
	var out Incumbent
	err := c.c.Do(ctx, http.MethodGet, "/v1/incumbents/"+url.PathEscape(idNumber), nil, &out)
	return out, err
}

// UnitIncumbents lists the people on a unit's posts.
func (c *Client) UnitIncumbents(ctx context.Context, unit string) ([]Incumbent, error) {
	var out struct {
		Incumbents []Incumbent `json:"incumbents"`
	}
	err := c.c.Do(ctx, http.MethodGet, "/v1/units/"+url.PathEscape(unit)+"/incumbents", nil, &out)
	return out.Incumbents, err
}

// Exit releases a person's post.
func (c *Client) Exit(ctx context.Context, key, idNumber string, in Exit) (Incumbent, error) {
	var out Incumbent
	err := c.c.Do(ctx, http.MethodPost, "/v1/incumbents/"+url.PathEscape(idNumber)+"/exit", in, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// CaseCheck reports whether an open discipline case blocks the unit (or its department).
func (c *Client) CaseCheck(ctx context.Context, unit, department string) (CaseCheck, error) {
	var out CaseCheck
	err := c.c.Do(ctx, http.MethodGet, "/v1/units/"+url.PathEscape(unit)+"/case-check", nil, &out,
		svcclient.WithQuery(url.Values{"department": {department}}))
	return out, err
}

// AbolishUnit marks a unit's accounts abolished: they take no more quota in.
func (c *Client) AbolishUnit(ctx context.Context, unit string) error {
	return c.c.Do(ctx, http.MethodPost, "/v1/units/"+url.PathEscape(unit)+"/abolish", nil, nil, svcclient.WithIdempotencyKey("abolish:"+unit))
}

// CheckLedger runs the invariant checker.
func (c *Client) CheckLedger(ctx context.Context) (Check, error) {
	var out Check
	err := c.c.Do(ctx, http.MethodGet, "/v1/checks/ledger", nil, &out)
	return out, err
}

// OpenAccounts opens many accounts at once (the demo loader's thousands); existing ones are kept.
func (c *Client) OpenAccounts(ctx context.Context, key string, rows []OpenAccount) (BatchResponse, error) {
	var out BatchResponse
	err := c.c.Do(ctx, http.MethodPost, "/v1/accounts/batch", BatchAccounts{Rows: rows}, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// MoveIncumbents moves every person of unit from, with their posts, to unit to (a merger).
func (c *Client) MoveIncumbents(ctx context.Context, key, from, to, docNo string) (int64, error) {
	var out Moved
	err := c.c.Do(ctx, http.MethodPost, "/v1/units/"+url.PathEscape(from)+"/incumbents/transfer", MoveIncumbents{To: to, DocNo: docNo}, &out,
		svcclient.WithIdempotencyKey(key))
	return out.Moved, err
}

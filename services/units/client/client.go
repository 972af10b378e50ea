// Package client is the typed Go client of the units service, for the services that call it.
package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
)

// Client calls the units service.
type Client struct {
	c *svcclient.Client
}

// New returns a client for the units service at opts.BaseURL.
func New(opts svcclient.Options) (*Client, error) {
	opts.Service = "units"
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

// PutRegions creates or updates regions (parents first or in the same batch).
func (c *Client) PutRegions(ctx context.Context, rs []Region) error {
	return c.c.Do(ctx, http.MethodPut, "/v1/regions", map[string]any{"regions": rs}, nil,
		svcclient.WithIdempotencyKey("regions"))
}

// RegionTree returns the region tree under root ("" for everything in the caller's scope).
func (c *Client) RegionTree(ctx context.Context, root string) ([]*Region, error) {
	var out struct {
		Regions []*Region `json:"regions"`
	}
	err := c.c.Do(ctx, http.MethodGet, "/v1/regions", nil, &out, svcclient.WithQuery(url.Values{"root": {root}}))
	return out.Regions, err
}

// ImportUnits records existing units in one batch; units whose ID exists are skipped,
// so the call is safe to repeat.
func (c *Client) ImportUnits(ctx context.Context, key string, us []Unit) (BatchResult, error) {
	var out BatchResult
	err := c.c.Do(ctx, http.MethodPost, "/v1/batch/units", map[string]any{"units": us}, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// ImportCharters records approved charters in one batch (existing versions skipped).
func (c *Client) ImportCharters(ctx context.Context, key string, cs []Charter) (BatchResult, error) {
	var out BatchResult
	err := c.c.Do(ctx, http.MethodPost, "/v1/batch/charters", map[string]any{"charters": cs}, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// Unit returns a unit; asOf ("YYYY-MM-DD", optional) asks for the version in force that day.
func (c *Client) Unit(ctx context.Context, id, asOf string) (Unit, error) {
	var u Unit
	var opts []svcclient.CallOption
	if asOf != "" {
		opts = append(opts, svcclient.WithQuery(url.Values{"asOf": {asOf}}))
	}
	err := c.c.Do(ctx, http.MethodGet, "/v1/units/"+url.PathEscape(id), nil, &u, opts...)
	return u, err
}

// ListUnits lists units in a region subtree, optionally filtered by kind and status.
func (c *Client) ListUnits(ctx context.Context, region, kind, status string) ([]Unit, error) {
	var out struct {
		Units []Unit `json:"units"`
	}
	q := url.Values{}
	for k, v := range map[string]string{"region": region, "kind": kind, "status": status} {
		if v != "" {
			q.Set(k, v)
		}
	}
	err := c.c.Do(ctx, http.MethodGet, "/v1/units", nil, &out, svcclient.WithQuery(q))
	return out.Units, err
}

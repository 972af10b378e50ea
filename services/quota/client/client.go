// Package client is the typed Go client of the quota service, for the services that call it.
package client

import (
	"context"
	"net/http"

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

// Package client is the typed Go client of the gateway: logging in, the service-token grant that
// jobs and other systems use, the caller's identity, the JWKS and the audit log.
package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
)

// Client calls the gateway.
type Client struct {
	c *svcclient.Client
}

// New returns a client for the gateway at opts.BaseURL.
func New(opts svcclient.Options) (*Client, error) {
	opts.Service = "gateway"
	c, err := svcclient.New(opts)
	if err != nil {
		return nil, err
	}
	return &Client{c: c}, nil
}

// User is the identity a token carries.
type User struct {
	Username string      `json:"username"`
	Name     string      `json:"name"`
	Roles    []auth.Role `json:"roles"`
	Region   string      `json:"region,omitempty"`
	Units    []string    `json:"units,omitempty"`
}

// Session is the answer to a login.
type Session struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	User      User      `json:"user"`
}

// ServiceToken is the answer to the service-token grant.
type ServiceToken struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	Service   string    `json:"service"`
	Ops       []string  `json:"ops"` // the operations the token may call (auth.Claims.MayOp)
}

// Me is the caller's identity and the expiry of the token used.
type Me struct {
	User
	ExpiresAt time.Time `json:"expiresAt"`
}

// AuditRecord is one audited change.
type AuditRecord struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	RequestID  string    `json:"requestId"`
	Subject    string    `json:"subject"`
	Name       string    `json:"name,omitempty"`
	Roles      []string  `json:"roles,omitempty"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Service    string    `json:"service,omitempty"`
	Resource   string    `json:"resource,omitempty"`
	ResourceID string    `json:"resourceId,omitempty"`
	ClientIP   string    `json:"clientIp"`
	Status     int       `json:"status"`
}

// AuditPage is one answer of the audit query.
type AuditPage struct {
	Items []AuditRecord `json:"items"`
	From  time.Time     `json:"from"`
	To    time.Time     `json:"to"`
	Limit int           `json:"limit"`
}

// AuditQuery selects audit records; zero fields take the gateway's defaults (last 7 days, 100).
type AuditQuery struct {
	From, To time.Time
	Subject  string
	Limit    int
}

// Login exchanges a username and password for a token.
func (c *Client) Login(ctx context.Context, username, password string) (Session, error) {
	var s Session
	err := c.c.Do(ctx, http.MethodPost, "/api/v1/auth/login", map[string]string{"username": username, "password": password}, &s)
	return s, err
}

// ServiceToken exchanges a service's credentials for a token with the service role. The grant is
// served only on the gateway's internal listener: build this client with that base URL (port 8081).
func (c *Client) ServiceToken(ctx context.Context, service, secret string) (ServiceToken, error) {
	var t ServiceToken
	err := c.c.Do(ctx, http.MethodPost, "/api/v1/auth/service-token", map[string]string{"service": service, "secret": secret}, &t)
	return t, err
}

// Me returns who the gateway takes the caller (the token in ctx) to be.
func (c *Client) Me(ctx context.Context) (Me, error) {
	var m Me
	err := c.c.Do(ctx, http.MethodGet, "/api/v1/auth/me", nil, &m)
	return m, err
}

// JWKS returns the gateway's public keys.
func (c *Client) JWKS(ctx context.Context) (auth.JWKS, error) {
	var set auth.JWKS
	err := c.c.Do(ctx, http.MethodGet, "/api/v1/auth/jwks", nil, &set)
	return set, err
}

// Audit reads the audit log (city office and auditors only).
func (c *Client) Audit(ctx context.Context, q AuditQuery) (AuditPage, error) {
	v := url.Values{}
	if !q.From.IsZero() {
		v.Set("from", q.From.Format(time.RFC3339))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.Format(time.RFC3339))
	}
	if q.Subject != "" {
		v.Set("subject", q.Subject)
	}
	if q.Limit != 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	var p AuditPage
	err := c.c.Do(ctx, http.MethodGet, "/api/v1/audit", nil, &p, svcclient.WithQuery(v))
	return p, err
}

// TokenSource returns a svcclient.Options.TokenSource that holds a service token and fetches a new
// one a minute before it expires: how a job calls services under its own identity.
func (c *Client) TokenSource(service, secret string) func(ctx context.Context) (string, error) {
	var mu sync.Mutex
	var cur ServiceToken
	return func(ctx context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if cur.Token != "" && time.Until(cur.ExpiresAt) > time.Minute {
			return cur.Token, nil
		}
		t, err := c.ServiceToken(ctx, service, secret)
		if err != nil {
			return "", err
		}
		cur = t
		return t.Token, nil
	}
}

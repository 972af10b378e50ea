package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
)

// Verifier checks tokens against a set of public keys.
type Verifier struct {
	mu       sync.RWMutex
	keys     map[string]ed25519.PublicKey
	url      string
	client   *http.Client
	fetched  time.Time
	minFetch time.Duration // bounds refetches caused by unknown key IDs
	maxAge   time.Duration // refetch after this even if every kid is known (rotation)
	parser   *jwt.Parser
	verified sync.Map // token → *verifiedToken; every request of a session carries the same token
	cached   atomic.Int64
	sessions *Sessions // nil: no revocation check (tests of signatures alone)
}

// verifiedToken remembers a token whose signature already checked out, until it expires or its key is
// no longer published. Signature checks dominate the cost of an authenticated request; the claims are
// immutable once signed. What may change (the account's session version) is checked on every use.
type verifiedToken struct {
	claims *Claims
	kid    string
	until  time.Time
}

// maxCachedTokens bounds the cache; when full it is cleared (tokens live minutes, so a full cache is
// mostly expired entries anyway).
const maxCachedTokens = 20000

// leeway absorbs clock skew between the gateway and the services.
const leeway = 30 * time.Second

// NewStaticVerifier trusts exactly the given keys (tests, and the gateway verifying its own tokens).
func NewStaticVerifier(keys ...JWK) (*Verifier, error) {
	v := newVerifier()
	if err := v.setKeys(JWKS{Keys: keys}); err != nil {
		return nil, err
	}
	return v, nil
}

// NewJWKSVerifier trusts the keys published at url (the gateway's JWKS). Keys are fetched lazily on
// first use, again when a token names an unknown key (at most every 10 seconds), and every 10 minutes.
func NewJWKSVerifier(url string) *Verifier {
	v := newVerifier()
	v.url = url
	v.client = &http.Client{Timeout: 5 * time.Second, Transport: otelhttp.NewTransport(http.DefaultTransport)}
	return v
}

func newVerifier() *Verifier {
	return &Verifier{
		keys:     map[string]ed25519.PublicKey{},
		minFetch: 10 * time.Second,
		maxAge:   10 * time.Minute,
		parser: jwt.NewParser(jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithIssuer(Issuer),
			jwt.WithAudience(Audience), jwt.WithExpirationRequired(), jwt.WithLeeway(leeway)),
	}
}

func (v *Verifier) setKeys(set JWKS) error {
	keys := map[string]ed25519.PublicKey{}
	for _, k := range set.Keys {
		pub, err := k.PublicKey()
		if err != nil {
			return fmt.Errorf("key %s: %w", k.Kid, err)
		}
		keys[k.Kid] = pub
	}
	v.mu.Lock()
	v.keys = keys
	v.fetched = time.Now()
	v.mu.Unlock()
	// A key that is no longer published takes its tokens with it: a remembered verification must not
	// outlive the key that made it (a rotation after a leak means exactly that).
	v.verified.Range(func(tok, e any) bool {
		if _, ok := keys[e.(*verifiedToken).kid]; !ok {
			v.verified.Delete(tok)
			v.cached.Add(-1)
		}
		return true
	})
	return nil
}

func (v *Verifier) fetch(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.url, nil)
	if err != nil {
		return err
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return fmt.Errorf("fetch JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch JWKS: status %d", resp.StatusCode)
	}
	var set JWKS
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 1<<16)).Decode(&set); err != nil {
		return fmt.Errorf("decode JWKS: %w", err)
	}
	return v.setKeys(set)
}

func (v *Verifier) key(ctx context.Context, kid string) (ed25519.PublicKey, error) {
	v.mu.RLock()
	k, ok := v.keys[kid]
	age := time.Since(v.fetched)
	v.mu.RUnlock()
	if v.url == "" {
		if !ok {
			return nil, errUnknownKey
		}
		return k, nil
	}
	if ok && age < v.maxAge {
		return k, nil
	}
	if !ok && age < v.minFetch && !v.fetchedZero() {
		return nil, errUnknownKey
	}
	if err := v.fetch(ctx); err != nil {
		if ok {
			return k, nil // a stale but known key beats refusing everyone while the gateway restarts
		}
		return nil, err
	}
	v.mu.RLock()
	k, ok = v.keys[kid]
	v.mu.RUnlock()
	if !ok {
		return nil, errUnknownKey
	}
	return k, nil
}

func (v *Verifier) fetchedZero() bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.fetched.IsZero()
}

var errUnknownKey = errors.New("token signed by an unknown key")

// Verify parses and checks a token: signature by a key still published, issuer, audience, expiry,
// a lifetime of at most MaxTokenLifetime, known roles and, when sessions are checked, a session
// version the account has not revoked since.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	c, err := v.verifySigned(ctx, token)
	if err != nil {
		return nil, err
	}
	if v.sessions != nil {
		if err := v.sessions.Check(ctx, c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (v *Verifier) verifySigned(ctx context.Context, token string) (*Claims, error) {
	if e, ok := v.verified.Load(token); ok {
		vt := e.(*verifiedToken)
		// Asking for the key again is a map read, except when the JWKS is due a refresh: then this is
		// what notices a rotation even while every request carries a remembered token.
		if _, kerr := v.key(ctx, vt.kid); kerr == nil && time.Now().Before(vt.until) {
			return vt.claims, nil
		}
		if v.verified.CompareAndDelete(token, e) {
			v.cached.Add(-1)
		}
	}
	var kid string
	c, err := v.verify(ctx, token, &kid)
	if err != nil {
		return nil, err
	}
	if v.cached.Add(1) > maxCachedTokens {
		v.verified.Clear()
		v.cached.Store(1)
	}
	v.verified.Store(token, &verifiedToken{claims: c, kid: kid, until: c.ExpiresAt.Add(leeway)})
	return c, nil
}

// ErrLifetime is the error for a token whose lifetime (exp - iat) exceeds MaxTokenLifetime.
var ErrLifetime = errors.New("token lifetime exceeds the cap")

func (v *Verifier) verify(ctx context.Context, token string, kid *string) (*Claims, error) {
	var c Claims
	_, err := v.parser.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		*kid, _ = t.Header["kid"].(string)
		return v.key(ctx, *kid)
	})
	if err != nil {
		return nil, err
	}
	if c.IssuedAt == nil || c.ExpiresAt.Sub(c.IssuedAt.Time) > MaxTokenLifetime {
		return nil, ErrLifetime
	}
	if len(c.Roles) == 0 {
		return nil, errors.New("token carries no role")
	}
	for _, r := range c.Roles {
		if !r.Valid() {
			return nil, fmt.Errorf("token carries unknown role %q", r)
		}
	}
	return &c, nil
}

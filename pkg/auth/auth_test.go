package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
)

func mustSigner(t *testing.T) *Signer {
	t.Helper()
	s, err := GenerateSigner()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerify(t *testing.T) {
	t.Parallel()
	good := mustSigner(t)
	other := mustSigner(t)
	v, err := NewStaticVerifier(good.JWK())
	if err != nil {
		t.Fatal(err)
	}
	base := Claims{Name: "张三", Roles: []Role{RoleCityAdmin}, Region: "140100"}
	expired := base
	expired.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
	unknownRole := base
	unknownRole.Roles = []Role{"root"}
	noRole := base
	noRole.Roles = nil

	sign := func(s *Signer, c Claims) string {
		tok, err := s.Sign(c, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"valid", sign(good, base), true},
		{"expired", sign(good, expired), false},
		{"wrong key", sign(other, base), false},
		{"unknown role", sign(good, unknownRole), false},
		{"no role", sign(good, noRole), false},
		{"garbage", "not.a.token", false},
		{"tampered", sign(good, base)[:40] + "x" + sign(good, base)[41:], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := v.Verify(context.Background(), tt.token)
			if tt.ok != (err == nil) {
				t.Fatalf("ok=%v err=%v", tt.ok, err)
			}
			if tt.ok && c.Name != "张三" {
				t.Fatalf("claims lost: %+v", c)
			}
		})
	}
}

func TestScope(t *testing.T) {
	t.Parallel()
	city := &Claims{Roles: []Role{RoleCityAdmin}, Region: "140100"}
	county := &Claims{Roles: []Role{RoleCountyAdmin}, Region: "140105"}
	hr := &Claims{Roles: []Role{RoleUnitHR}, Region: "140105", Units: []string{"u1"}}
	svc := &Claims{Roles: []Role{RoleService}}
	// The gateway issues unit HR tokens without a region; an old token that still carries one must not
	// widen the officer's scope to the region.
	hrOldToken := &Claims{Roles: []Role{RoleUnitHR}, Region: "140100", Units: []string{"u1"}}
	noRegion := &Claims{Roles: []Role{RoleCountyAdmin}}
	auditor := &Claims{Roles: []Role{RoleAuditor}, Region: "140100"}
	nobody := &Claims{}
	tests := []struct {
		name   string
		c      *Claims
		unit   string
		region string
		want   bool
	}{
		{"city sees county", city, "u9", "140105", true},
		{"city sees township", city, "u9", "140105001", true},
		{"city not other city", city, "u9", "140200", false},
		{"county sees own township", county, "u9", "140105002", true},
		{"county not neighbour", county, "u9", "140106", false},
		{"county not city level", county, "u9", "140100", false},
		{"hr own unit", hr, "u1", "140105", true},
		{"hr other unit same region", hr, "u2", "140105", false},
		{"hr with region claim: own unit", hrOldToken, "u1", "140105", true},
		{"hr with region claim: not the region", hrOldToken, "u2", "140105", false},
		{"hr empty unit id", hr, "", "140105", false},
		{"office without region: nothing", noRegion, "u2", "140105", false},
		{"auditor reads city", auditor, "u2", "140181", true},
		{"no claims: nothing", nobody, "u1", "140105", false},
		{"service anywhere", svc, "u2", "140181", true},
	}
	for _, tt := range tests {
		if got := tt.c.CanUnit(tt.unit, tt.region); got != tt.want {
			t.Errorf("%s: CanUnit=%v want %v", tt.name, got, tt.want)
		}
	}
	regions := []struct {
		name string
		c    *Claims
		code string
		want bool
	}{
		{"hr-only bearer has no region", hrOldToken, "140105", false},
		{"hr-only bearer has no region (own)", hr, "140105", false},
		{"empty region is no region", noRegion, "140105", false},
		{"empty region is not the empty code", noRegion, "", false},
		{"no claims", nobody, "140105", false},
		{"service", svc, "140181", true},
		{"county", county, "140105001", true},
	}
	for _, tt := range regions {
		if got := tt.c.InRegion(tt.code); got != tt.want {
			t.Errorf("%s: InRegion=%v want %v", tt.name, got, tt.want)
		}
		if err := RequireRegion(tt.c, tt.code); (err == nil) != tt.want {
			t.Errorf("%s: RequireRegion err=%v want ok=%v", tt.name, err, tt.want)
		}
	}
	if RequireRegion(nil, "140100") == nil || RequireUnit(nil, "u1", "140100") == nil {
		t.Error("nil claims allowed")
	}
	if (&Claims{Roles: []Role{RoleAuditor}, Region: "140100"}).CanWrite() {
		t.Error("auditor may write")
	}
}

func TestJWKSVerifierFetchesAndRotates(t *testing.T) {
	t.Parallel()
	first, second := mustSigner(t), mustSigner(t)
	var current atomic.Pointer[Signer]
	current.Store(first)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_ = json.NewEncoder(w).Encode(JWKS{Keys: []JWK{current.Load().JWK()}})
	}))
	defer srv.Close()
	v := NewJWKSVerifier(srv.URL)
	v.minFetch = 0
	tok, _ := first.Sign(Claims{Roles: []Role{RoleAuditor}}, time.Minute)
	for range 3 {
		if _, err := v.Verify(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
	}
	if hits.Load() != 1 {
		t.Fatalf("JWKS fetched %d times for one key, want 1", hits.Load())
	}
	current.Store(second)
	tok2, _ := second.Sign(Claims{Roles: []Role{RoleAuditor}}, time.Minute)
	if _, err := v.Verify(context.Background(), tok2); err != nil {
		t.Fatalf("rotated key not picked up: %v", err)
	}
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	s := mustSigner(t)
	v, _ := NewStaticVerifier(s.JWK())
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.Use(func(c *gin.Context) {
		c.Next()
		if len(c.Errors) > 0 && !c.Writer.Written() {
			c.String(http.StatusTeapot, c.Errors.Last().Error())
		}
	})
	r.GET("/x", Middleware(v), Require(RoleCityAdmin), func(c *gin.Context) { c.String(200, Caller(c).Name) })
	do := func(tok string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		return w
	}
	admin, _ := s.Sign(Claims{Name: "李四", Roles: []Role{RoleCityAdmin}, Region: "140100"}, time.Minute)
	hr, _ := s.Sign(Claims{Name: "王五", Roles: []Role{RoleUnitHR}}, time.Minute)
	if w := do(admin); w.Code != 200 || w.Body.String() != "李四" {
		t.Fatalf("admin: %d %s", w.Code, w.Body)
	}
	if w := do(""); !strings.Contains(w.Body.String(), "unauthenticated") {
		t.Fatalf("no token: %s", w.Body)
	}
	if w := do(hr); !strings.Contains(w.Body.String(), "forbidden") {
		t.Fatalf("hr: %s", w.Body)
	}
}

func TestKeyFileRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "keys", "signing.pem")
	k1, err := LoadOrCreateKeyFile(path, true)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKeyFile(path, false)
	if err != nil || !k1.Equal(k2) {
		t.Fatalf("key not kept: %v", err)
	}
	if _, err := LoadOrCreateKeyFile(filepath.Join(t.TempDir(), "none.pem"), false); err == nil {
		t.Fatal("missing key file accepted")
	}
}

func TestCachedVerificationStillExpires(t *testing.T) {
	t.Parallel()
	s := mustSigner(t)
	v, _ := NewStaticVerifier(s.JWK())
	c := Claims{Roles: []Role{RoleAuditor}}
	// Expired 29s ago: still inside the 30s clock-skew leeway for about one more second.
	c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-29 * time.Second))
	tok, _ := s.Sign(c, 0)
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatal("cached token refused", err)
	}
	// A remembered token must not outlive expiry plus leeway, exactly like an unremembered one.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := v.Verify(context.Background(), tok); err != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("expired token still accepted from the cache")
}

func TestRotatedOutKeyEndsRememberedTokens(t *testing.T) {
	t.Parallel()
	first, second := mustSigner(t), mustSigner(t)
	var published atomic.Pointer[[]JWK]
	published.Store(&[]JWK{first.JWK()})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(JWKS{Keys: *published.Load()})
	}))
	defer srv.Close()
	v := NewJWKSVerifier(srv.URL)
	v.minFetch = 0
	old, _ := first.Sign(Claims{Roles: []Role{RoleAuditor}}, time.Minute)
	if _, err := v.Verify(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	// The first key is withdrawn (a leak, say); once the verifier has seen the new JWKS, the token it
	// remembered must fail like any other token of a key nobody publishes.
	published.Store(&[]JWK{second.JWK()})
	v.maxAge = 0 // the next use refreshes the JWKS, as the 10-minute refresh would
	if _, err := v.Verify(context.Background(), old); err == nil {
		t.Fatal("a remembered token outlived its key's withdrawal")
	}
	// A refresh caused by another token drops the memory too.
	v2 := NewJWKSVerifier(srv.URL)
	published.Store(&[]JWK{first.JWK(), second.JWK()})
	if _, err := v2.Verify(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	published.Store(&[]JWK{second.JWK()})
	if err := v2.fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := v2.verified.Load(old); ok {
		t.Fatal("the JWKS refresh kept a token of a key no longer published")
	}
}

func TestTokenLifetimeIsCapped(t *testing.T) {
	t.Parallel()
	s := mustSigner(t)
	v, _ := NewStaticVerifier(s.JWK())
	if _, err := s.Sign(Claims{Roles: []Role{RoleAuditor}}, 9*time.Hour); err == nil {
		t.Fatal("signer issued a 9 h token")
	}
	ok, err := s.Sign(Claims{Roles: []Role{RoleAuditor}}, MaxTokenLifetime)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), ok); err != nil {
		t.Fatalf("8 h token refused: %v", err)
	}
	// A token minted by hand (another signer holding the key, an old gateway) with a day's lifetime.
	long := Claims{Roles: []Role{RoleAuditor}}
	long.Issuer, long.Audience = Issuer, jwt.ClaimStrings{Audience}
	long.IssuedAt = jwt.NewNumericDate(time.Now())
	long.ExpiresAt = jwt.NewNumericDate(time.Now().Add(24 * time.Hour))
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, long)
	tok.Header["kid"] = s.kid
	raw, err := tok.SignedString(s.key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), raw); !errors.Is(err, ErrLifetime) {
		t.Fatalf("24 h token: %v, want ErrLifetime", err)
	}
	long.IssuedAt = nil
	long.ExpiresAt = jwt.NewNumericDate(time.Now().Add(time.Hour))
	tok = jwt.NewWithClaims(jwt.SigningMethodEdDSA, long)
	tok.Header["kid"] = s.kid
	raw, _ = tok.SignedString(s.key)
	if _, err := v.Verify(context.Background(), raw); !errors.Is(err, ErrLifetime) {
		t.Fatalf("token without iat: %v, want ErrLifetime", err)
	}
}

func TestMayOp(t *testing.T) {
	t.Parallel()
	svc := &Claims{Roles: []Role{RoleService}, Ops: []string{"quota:holds"}}
	if !svc.MayOp("quota:holds") || svc.MayOp("quota:transfers") {
		t.Fatal("service ops not honoured")
	}
	if !(&Claims{Roles: []Role{RoleCityAdmin}}).MayOp("quota:transfers") {
		t.Fatal("people are governed by roles, not ops")
	}
	s := mustSigner(t)
	v, _ := NewStaticVerifier(s.JWK())
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.Use(func(c *gin.Context) {
		c.Next()
		if len(c.Errors) > 0 && !c.Writer.Written() {
			c.String(http.StatusForbidden, c.Errors.Last().Error())
		}
	})
	r.POST("/holds", Middleware(v), Require(RoleService), RequireOp("quota:holds"), func(c *gin.Context) { c.String(200, "ok") })
	r.POST("/transfers", Middleware(v), Require(RoleService), RequireOp("quota:transfers"), func(c *gin.Context) { c.String(200, "ok") })
	tok, _ := s.Sign(Claims{Roles: []Role{RoleService}, Ops: []string{"quota:holds"}}, time.Minute)
	for path, want := range map[string]int{"/holds": 200, "/transfers": 403} {
		req := httptest.NewRequest(http.MethodPost, path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("%s: %d %s, want %d", path, w.Code, w.Body, want)
		}
	}
}

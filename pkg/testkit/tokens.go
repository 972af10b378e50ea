package testkit

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/auth"
)

// Tokens mints tokens the services accept: it stands in for the gateway, publishing its JWKS on a
// loopback URL that services get as AUTH_JWKS_URL.
type Tokens struct {
	Signer  *auth.Signer
	JWKSURL string
}

var (
	tokensOnce sync.Once
	tokens     *Tokens
)

// NewTokens returns the process-wide test token minter.
func NewTokens(tb testing.TB) *Tokens {
	tb.Helper()
	tokensOnce.Do(func() {
		s, err := auth.GenerateSigner()
		if err != nil {
			panic(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(auth.JWKS{Keys: []auth.JWK{s.JWK()}})
		}))
		tokens = &Tokens{Signer: s, JWKSURL: srv.URL}
	})
	return tokens
}

// Mint signs claims for ten minutes.
func (t *Tokens) Mint(tb testing.TB, c auth.Claims) string {
	tb.Helper()
	if c.Subject == "" {
		c.Subject = "test-" + string(c.Roles[0])
	}
	tok, err := t.Signer.Sign(c, 10*time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// CityAdmin is a city staffing office token for all of Taiyuan.
func (t *Tokens) CityAdmin(tb testing.TB) string {
	return t.Mint(tb, auth.Claims{Name: "市编办测试员", Roles: []auth.Role{auth.RoleCityAdmin}, Region: "140100"})
}

// CountyAdmin is a county office token for region.
func (t *Tokens) CountyAdmin(tb testing.TB, region string) string {
	return t.Mint(tb, auth.Claims{Name: "县区编办测试员", Roles: []auth.Role{auth.RoleCountyAdmin}, Region: region})
}

// UnitHR is a unit HR officer token for the given units in region.
func (t *Tokens) UnitHR(tb testing.TB, region string, units ...string) string {
	return t.Mint(tb, auth.Claims{Name: "单位人事测试员", Roles: []auth.Role{auth.RoleUnitHR}, Region: region, Units: units})
}

// Auditor is a read-only token for region.
func (t *Tokens) Auditor(tb testing.TB, region string) string {
	return t.Mint(tb, auth.Claims{Name: "审计测试员", Roles: []auth.Role{auth.RoleAuditor}, Region: region})
}

// Service is a service identity token.
func (t *Tokens) Service(tb testing.TB, name string) string {
	return t.Mint(tb, auth.Claims{RegisteredClaims: jwtSubject("svc:" + name), Name: name, Roles: []auth.Role{auth.RoleService}})
}

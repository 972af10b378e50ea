// Package auth verifies the gateway's signed tokens and answers "may this caller act here". People
// log in at the gateway, which signs short-lived EdDSA tokens; every service verifies them with the
// gateway's published public keys (JWKS) and enforces roles and region/unit scope itself.
package auth

import (
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// Role is a coarse permission set a person (or service) holds.
type Role string

// The roles of the platform.
const (
	RoleCityAdmin   Role = "city_admin"   // city staffing office (市委編辦)
	RoleCountyAdmin Role = "county_admin" // county/district office (縣區編辦)
	RoleUnitHR      Role = "unit_hr"      // a unit's HR officer (單位人事)
	RoleAuditor     Role = "auditor"      // reads everything in scope, changes nothing
	RoleService     Role = "service"      // another Bianzhi service acting on its own behalf
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleCityAdmin, RoleCountyAdmin, RoleUnitHR, RoleAuditor, RoleService:
		return true
	}
	return false
}

// Issuer is the iss of every token the gateway signs.
const Issuer = "bianzhi-gateway"

// Audience is the aud every service expects.
const Audience = "bianzhi"

// Claims is what a token says about its bearer.
type Claims struct {
	jwt.RegisteredClaims
	Name   string   `json:"name"`
	Roles  []Role   `json:"roles"`
	Region string   `json:"region,omitempty"` // root of the region subtree the bearer may act on
	Units  []string `json:"units,omitempty"`  // unit IDs a unit HR officer may act on
	// SessionVersion is the account's session version when the token was issued; a token whose
	// version is below the one the gateway publishes now is revoked (see Sessions). People's tokens
	// carry one (≥ 1); service tokens do not.
	SessionVersion int64 `json:"sv,omitempty"`
	// Ops names the operations a service token may call ("quota:holds", ...); see MayOp.
	Ops []string `json:"ops,omitempty"`
}

// Has reports whether the bearer holds any of roles.
func (c *Claims) Has(roles ...Role) bool {
	for _, r := range roles {
		if slices.Contains(c.Roles, r) {
			return true
		}
	}
	return false
}

// MayOp reports whether the bearer may call operation op (e.g. "quota:holds"). A service token may
// call only the operations its gateway client lists in the token's ops claim, whatever its role lets it
// pass; a person is governed by roles and scope alone, so MayOp holds for people.
func (c *Claims) MayOp(op string) bool {
	if !c.Has(RoleService) {
		return true
	}
	return slices.Contains(c.Ops, op)
}

// CanWrite reports whether the bearer may change anything at all (auditors may not).
func (c *Claims) CanWrite() bool {
	return c.Has(RoleCityAdmin, RoleCountyAdmin, RoleUnitHR, RoleService)
}

// regionRoles are the roles whose scope is a region subtree. A unit HR officer's scope is a list
// of units, never a region, whatever the token's region claim says.
var regionRoles = []Role{RoleCityAdmin, RoleCountyAdmin, RoleAuditor}

// RegionScoped reports whether the bearer's scope is a region subtree: it holds an office or
// auditor role and its token names a region. Services are not region-scoped; they see everything.
func (c *Claims) RegionScoped() bool {
	return c.Region != "" && c.Has(regionRoles...)
}

// InRegion reports whether region code lies in the bearer's region subtree. Services see every
// region. Everyone else fails closed: a bearer whose only role is unit HR has no region (their
// scope is their units), and an empty region in a person's token means no region at all.
func (c *Claims) InRegion(code string) bool {
	if c.Has(RoleService) {
		return true
	}
	return c.RegionScoped() && InSubtree(c.Region, code)
}

// OwnsUnit reports whether unitID is one of the units a unit HR officer's token lists.
func (c *Claims) OwnsUnit(unitID string) bool {
	return unitID != "" && c.Has(RoleUnitHR) && slices.Contains(c.Units, unitID)
}

// CanUnit reports whether the bearer may act on unit (which lies in region, as the owner of the
// unit's data says): office staff and auditors by region, a unit HR officer only on the units
// listed in the token, services on every unit.
func (c *Claims) CanUnit(unitID, region string) bool {
	return c.Has(RoleService) || c.InRegion(region) || c.OwnsUnit(unitID)
}

// RegionPrefix returns the code prefix that every region under code shares. Division codes pad with
// zeros: province 140000 → "14", city 140100 → "1401", county 140105 → "140105", township
// 140105001 → "140105001".
func RegionPrefix(code string) string {
	if len(code) == 6 {
		switch {
		case strings.HasSuffix(code, "0000"):
			return code[:2]
		case strings.HasSuffix(code, "00"):
			return code[:4]
		}
	}
	return code
}

// InSubtree reports whether code lies under (or is) root.
func InSubtree(root, code string) bool {
	if root == "" || code == "" {
		return false
	}
	return strings.HasPrefix(code, RegionPrefix(root))
}

// Package account is the gateway's people: local accounts, their password hashes and the demo
// accounts of the local stack. It imports no store or web package.
package account

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/bianzhi/bianzhi/pkg/auth"
)

// Account is one person who may log in at the gateway. The username is the account's key.
type Account struct {
	Username string
	Name     string
	Roles    []auth.Role
	Region   string
	Units    []string
	Password Hash
	Disabled bool
	// SessionVersion is carried by every token of the account (claim sv). Disabling the account or
	// changing its password raises it, which revokes every token issued before (auth.Sessions).
	SessionVersion int64
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{1,63}$`)

// ValidUsername reports whether s can be a username: lower-case ASCII letters, digits and _.- (2..64).
func ValidUsername(s string) bool { return usernameRE.MatchString(s) }

// New builds an account from a plain password, hashing it. People (not services) log in here, so the
// service role is refused.
func New(username, name, password string, roles []auth.Role, region string, units []string) (Account, error) {
	if !ValidUsername(username) {
		return Account{}, fmt.Errorf("username %q: want 2..64 of a-z 0-9 _ . -", username)
	}
	if name == "" {
		return Account{}, errors.New("name is empty")
	}
	if len(roles) == 0 {
		return Account{}, errors.New("no role")
	}
	for _, r := range roles {
		if !r.Valid() || r == auth.RoleService {
			return Account{}, fmt.Errorf("role %q cannot log in", r)
		}
	}
	if slices.Contains(roles, auth.RoleUnitHR) && len(units) == 0 {
		return Account{}, errors.New("a unit HR officer needs at least one unit")
	}
	if officeScoped(roles) && region == "" {
		return Account{}, errors.New("an office or auditor account needs a region")
	}
	if !officeScoped(roles) && region != "" {
		return Account{}, errors.New("a unit HR officer's scope is units, not a region")
	}
	h, err := HashPassword(password)
	if err != nil {
		return Account{}, err
	}
	return Account{Username: username, Name: name, Roles: roles, Region: region, Units: units, Password: h,
		SessionVersion: 1}, nil
}

// officeScoped reports whether roles include one whose scope is a region (offices, auditors).
func officeScoped(roles []auth.Role) bool {
	return slices.ContainsFunc(roles, func(r auth.Role) bool {
		return r == auth.RoleCityAdmin || r == auth.RoleCountyAdmin || r == auth.RoleAuditor
	})
}

// Claims returns the token claims of the account. A unit HR officer's token carries units and no
// region, even for an account stored before that rule (whose region is ignored), so that no check
// asking "is this region in scope" can widen the officer's scope to a whole region.
func (a Account) Claims() auth.Claims {
	region := a.Region
	if !officeScoped(a.Roles) {
		region = ""
	}
	c := auth.Claims{Name: a.Name, Roles: a.Roles, Region: region, Units: a.Units, SessionVersion: a.SessionVersion}
	c.Subject = a.Username
	return c
}

// DemoUnitID is the default unit of the demo HR officer (GATEWAY_DEMO_UNIT); the local stack points
// it at a unit of its demo dataset.
const DemoUnitID = "demo-unit-hr"

// DemoPassword is the password of every demo account (documented in docs/gateway.md).
const DemoPassword = "Bianzhi@2026"

// DemoSpec describes a demo account before its password is hashed.
type DemoSpec struct {
	Username, Name string
	Role           auth.Role
	Region         string
	Units          []string
}

// Demo lists the accounts the local stack seeds: one per role a person can hold; the HR officer acts
// on hrUnit.
func Demo(hrUnit string) []DemoSpec {
	return []DemoSpec{
		{Username: "city_admin", Name: "市编办管理员", Role: auth.RoleCityAdmin, Region: "140100"},
		{Username: "xiaodian_admin", Name: "小店区编办管理员", Role: auth.RoleCountyAdmin, Region: "140105"},
		{Username: "unit_hr", Name: "单位人事专员", Role: auth.RoleUnitHR, Units: []string{hrUnit}},
		{Username: "auditor", Name: "审计员", Role: auth.RoleAuditor, Region: "140100"},
	}
}

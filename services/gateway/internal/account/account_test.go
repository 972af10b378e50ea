package account

import (
	"strings"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/auth"
)

func TestHashVerify(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("Bianzhi@2026")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(h), "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q lacks its parameters", h)
	}
	h2, _ := HashPassword("Bianzhi@2026")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	cases := []struct {
		name     string
		hash     Hash
		password string
		want     bool
	}{
		{"right password", h, "Bianzhi@2026", true},
		{"wrong password", h, "Bianzhi@2025", false},
		{"empty password", h, "", false},
		{"case differs", h, "bianzhi@2026", false},
		{"over-long password", h, strings.Repeat("x", MaxPasswordBytes+1), false},
		{"not a PHC string", Hash("plain"), "plain", false},
		{"bcrypt hash", Hash("$2a$10$abcdefghijklmnopqrstuv"), "x", false},
		{"memory bomb", Hash(strings.Replace(string(h), "m=19456", "m=99999999", 1)), "Bianzhi@2026", false},
		{"truncated key", Hash(string(h)[:len(h)-30]), "Bianzhi@2026", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.hash.Verify(tc.password); got != tc.want {
				t.Fatalf("Verify = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHashRefusesWeakPasswords(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"", "short", strings.Repeat("长", 3), strings.Repeat("x", MaxPasswordBytes+1)} {
		if _, err := HashPassword(p); err == nil {
			t.Errorf("HashPassword(%q) accepted", p)
		}
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	acc, err := New("unit_hr", "单位人事专员", "Bianzhi@2026", []auth.Role{auth.RoleUnitHR}, "", []string{DemoUnitID})
	if err != nil {
		t.Fatal(err)
	}
	disabled := acc
	disabled.Disabled = true
	cases := []struct {
		name     string
		acc      *Account
		password string
		want     bool
	}{
		{"ok", &acc, "Bianzhi@2026", true},
		{"wrong password", &acc, "nope-nope-nope", false},
		{"unknown user", nil, "Bianzhi@2026", false},
		{"disabled", &disabled, "Bianzhi@2026", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Authenticate(tc.acc, tc.password); got != tc.want {
				t.Fatalf("Authenticate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNewGuards(t *testing.T) {
	t.Parallel()
	roles := []auth.Role{auth.RoleCityAdmin}
	cases := []struct {
		name, username, display, password string
		roles                             []auth.Role
		units                             []string
	}{
		{"bad username", "City Admin", "x", "Bianzhi@2026", roles, nil},
		{"one-letter username", "a", "x", "Bianzhi@2026", roles, nil},
		{"no name", "ok_user", "", "Bianzhi@2026", roles, nil},
		{"no role", "ok_user", "x", "Bianzhi@2026", nil, nil},
		{"service role", "ok_user", "x", "Bianzhi@2026", []auth.Role{auth.RoleService}, nil},
		{"unknown role", "ok_user", "x", "Bianzhi@2026", []auth.Role{"root"}, nil},
		{"unit HR without unit", "ok_user", "x", "Bianzhi@2026", []auth.Role{auth.RoleUnitHR}, nil},
		{"unit HR with a region", "ok_user", "x", "Bianzhi@2026", []auth.Role{auth.RoleUnitHR}, []string{"u1"}},
		{"weak password", "ok_user", "x", "123", roles, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.username, tc.display, tc.password, tc.roles, "140100", tc.units); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// An account stored before unit HR tokens lost their region still gets a token without one.
func TestUnitHRClaimsCarryNoRegion(t *testing.T) {
	t.Parallel()
	old := Account{Username: "unit_hr", Name: "单位人事专员", Roles: []auth.Role{auth.RoleUnitHR}, Region: "140100", Units: []string{"u1"}}
	if c := old.Claims(); c.Region != "" || c.InRegion("140105") || !c.CanUnit("u1", "140105") {
		t.Fatalf("claims %+v", c)
	}
	office := Account{Username: "x", Roles: []auth.Role{auth.RoleCountyAdmin}, Region: "140105"}
	if c := office.Claims(); c.Region != "140105" {
		t.Fatalf("office lost its region: %+v", c)
	}
}

func TestDemoAccountsAreValid(t *testing.T) {
	t.Parallel()
	seen := map[auth.Role]bool{}
	for _, d := range Demo(DemoUnitID) {
		a, err := New(d.Username, d.Name, DemoPassword, []auth.Role{d.Role}, d.Region, d.Units)
		if err != nil {
			t.Fatalf("%s: %v", d.Username, err)
		}
		if c := a.Claims(); c.Subject != d.Username || !c.Has(d.Role) {
			t.Fatalf("%s: claims %+v", d.Username, c)
		}
		if c := a.Claims(); d.Role == auth.RoleUnitHR && (c.Region != "" || c.InRegion("140100") || len(c.Units) == 0) {
			t.Fatalf("%s: a unit HR token must carry units and no region: %+v", d.Username, c)
		}
		seen[d.Role] = true
	}
	for _, r := range []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleUnitHR, auth.RoleAuditor} {
		if !seen[r] {
			t.Errorf("no demo account holds %s", r)
		}
	}
}

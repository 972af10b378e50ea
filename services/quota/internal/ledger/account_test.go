package ledger

import (
	"testing"
	"time"
)

func TestAccountIDParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id     AccountID
		ok     bool
		typ    HolderType
		holder string
	}{
		{UnitAccount("u-001", KindAdministrative), true, HolderUnit, "u-001"},
		{ControlAccount("140105", KindInstitutionFull), true, HolderControl, "140105"},
		{RecoveredAccount("140100", KindAdministrative), true, HolderRecovered, "140100"},
		{TalentAccount("city", KindInstitutionFull), true, HolderTalent, "city"},
		{ExternalAccount(LevelProvince, KindAdministrative), true, HolderExternal, "province"},
		{"unit:u1:bogus", false, "", ""},
		{"unit:u.1:administrative", false, "", ""},
		{"pool:control:14:administrative", false, "", ""},
		{"ext:county:administrative", false, "", ""},
		{"unit:u1", false, "", ""},
		{"", false, "", ""},
	}
	for _, tc := range tests {
		typ, holder, _, ok := tc.id.Parts()
		if ok != tc.ok || (ok && (typ != tc.typ || holder != tc.holder)) {
			t.Errorf("%q.Parts() = %s %s %v, want %s %s %v", tc.id, typ, holder, ok, tc.typ, tc.holder, tc.ok)
		}
	}
}

func TestRegions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code   string
		level  Level
		parent string
	}{
		{"140100", LevelCity, "140000"},
		{"140105", LevelCounty, "140100"},
		{"140105001", LevelTownship, "140105"},
		{"140000", LevelProvince, ""},
	}
	for _, tc := range tests {
		if l := RegionLevel(tc.code); l != tc.level {
			t.Errorf("RegionLevel(%s) = %s, want %s", tc.code, l, tc.level)
		}
		if p := ParentRegion(tc.code); p != tc.parent {
			t.Errorf("ParentRegion(%s) = %s, want %s", tc.code, p, tc.parent)
		}
	}
	in := []struct {
		scope, code string
		want        bool
	}{
		{"140100", "140105001", true},
		{"140100", "140200", false},
		{"140105", "140105001", true},
		{"140105", "140106", false},
		{"140105001", "140105002", false},
	}
	for _, tc := range in {
		if got := InRegion(tc.scope, tc.code); got != tc.want {
			t.Errorf("InRegion(%s, %s) = %v, want %v", tc.scope, tc.code, got, tc.want)
		}
	}
}

func TestNewAccount(t *testing.T) {
	t.Parallel()
	now := time.Now()
	tests := []struct {
		name   string
		id     AccountID
		region string
		field  string
		level  Level
	}{
		{"unit", UnitAccount("u1", KindAdministrative), "140105", "", LevelCounty},
		{"unit without region", UnitAccount("u1", KindAdministrative), "", "region", ""},
		{"control takes its region from the id", ControlAccount("140105001", KindAdministrative), "", "", LevelTownship},
		{"control with another region", ControlAccount("140105", KindAdministrative), "140106", "region", ""},
		{"external", ExternalAccount(LevelProvince, KindAdministrative), "", "", LevelProvince},
		{"malformed", "unit:", "140105", "id", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, err := NewAccount(tc.id, tc.region, "", "", now)
			if tc.field != "" {
				var e *Error
				if !asErr(err, &e) || e.Field != tc.field {
					t.Fatalf("NewAccount error = %v, want field %s", err, tc.field)
				}
				return
			}
			if err != nil || a.Level != tc.level {
				t.Fatalf("NewAccount = %+v, %v; want level %s", a, err, tc.level)
			}
		})
	}
}

package service_test

import (
	"context"
	"slices"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

// TestScopeComesFromTheUnitsService: a case's region and unit name are the units service's, an
// unknown unit cannot file, and lists and scope follow the unit's current region (a unit handed
// over to another county takes its cases with it), whatever the case recorded at filing.
func TestScopeComesFromTheUnitsService(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.units.move("u-gj", "140181")
	c := f.file(t, "u-gj", 1)
	if c.Region != "140181" || c.UnitName != "单位u-gj" {
		t.Fatalf("case region %q name %q, want the units service's 140181", c.Region, c.UnitName)
	}
	if _, err := f.cases.File(ctx, "ghost-1", "", application(t, 2), "hr"); !apperr.Is(err, apperr.CodeNotFound) || apperr.From(err).Field != "unit" {
		t.Fatalf("filing for an unknown unit: %v", err)
	}
	xd := f.file(t, "u-xd", 3)

	county := func(region string) *auth.Claims {
		return &auth.Claims{Roles: []auth.Role{auth.RoleCountyAdmin}, Region: region}
	}
	hr := &auth.Claims{Roles: []auth.Role{auth.RoleUnitHR}, Units: []string{"u-gj"}, Region: "140105"}
	for _, tc := range []struct {
		name string
		cl   *auth.Claims
		unit string
		want bool
	}{
		{"county of the unit", county("140181"), "u-gj", true},
		{"other county", county("140105"), "u-gj", false},
		{"city", county("140100"), "u-gj", true},
		{"unit HR of the unit", hr, "u-gj", true},
		{"unit HR's token region is no scope", hr, "u-xd", false},
		{"service", &auth.Claims{Roles: []auth.Role{auth.RoleService}}, "u-xd", true},
		{"no claims", nil, "u-xd", false},
		{"unknown unit", county("140100"), "ghost-2", false},
	} {
		if got, err := f.cases.InScope(ctx, tc.cl, tc.unit); err != nil || got != tc.want {
			t.Errorf("%s: %v %v, want %v", tc.name, got, err, tc.want)
		}
	}

	ids := func(region string) []string {
		t.Helper()
		cs, err := f.cases.List(ctx, recruit.Filter{Region: region})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	if got := ids("140181"); len(got) != 1 || got[0] != c.ID {
		t.Fatalf("古交 lists %v, want %s", got, c.ID)
	}
	f.units.move("u-gj", "140105") // handed over to 小店区
	if got := ids("140181"); len(got) != 0 {
		t.Fatalf("古交 still lists %v after the hand-over", got)
	}
	if got := ids("140105"); len(got) != 2 || !slices.Contains(got, c.ID) || !slices.Contains(got, xd.ID) {
		t.Fatalf("小店 lists %v, want both cases", got)
	}
	if ok, _ := f.cases.InScope(ctx, county("140181"), "u-gj"); ok {
		t.Fatal("the old county still reaches the case")
	}
}

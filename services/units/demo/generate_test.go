package demo

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

func TestGenerateIsDeterministicAndValid(t *testing.T) {
	t.Parallel()
	a, b, c := Generate(7), Generate(7), Generate(8)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different data")
	}
	if reflect.DeepEqual(a.Hires, c.Hires) {
		t.Fatal("different seeds gave the same people")
	}
	if len(a.Units) < 2000 || len(a.Hires) < 20000 {
		t.Fatalf("%d units and %d incumbents: not a city's size", len(a.Units), len(a.Hires))
	}
	regions := map[string]bool{}
	towns := 0
	for _, r := range a.Regions {
		if _, err := unit.NewRegion(unit.Region{Code: r.Code, Name: r.Name, Kind: unit.RegionKind(r.Kind), Parent: r.Parent}); err != nil {
			t.Fatalf("region %s: %v", r.Code, err)
		}
		regions[r.Code] = true
		if len(r.Code) == 9 {
			towns++
		}
	}
	if towns != 105 || len(a.Regions) != 116 {
		t.Fatalf("%d regions with %d townships", len(a.Regions), towns)
	}
	ids := map[string]bool{}
	parks, small := 0, 0
	for _, u := range a.Units {
		eff, _ := time.Parse(time.DateOnly, u.EffectiveFrom)
		lvl, _ := unit.LevelOfCode(u.RegionCode)
		d := unit.Unit{ID: u.ID, Name: u.Name, Kind: unit.Kind(u.Kind), Category: unit.Category(u.Category), Level: lvl,
			RegionCode: u.RegionCode, Rank: u.Rank, USCC: u.USCC}
		if _, err := unit.NewUnit(d, eff, u.DocumentNo); err != nil {
			t.Fatalf("unit %s: %v", u.ID, err)
		}
		if ids[u.ID] || !regions[u.RegionCode] {
			t.Fatalf("unit %s repeated or in an unknown region", u.ID)
		}
		ids[u.ID] = true
		if strings.HasPrefix(u.ID, "C-PARK-") {
			parks++
		}
		var total int64
		for _, p := range a.Quotas[u.ID] {
			if !isLeaderKind(p.Kind) {
				total += p.Approved
			}
			if p.Occupied > p.Approved {
				t.Fatalf("unit %s over quota", u.ID)
			}
		}
		if u.Kind == string(unit.KindInstitution) && total < unit.MinInstitutionQuotas {
			small++
		}
	}
	if parks != 22 || small < 150 {
		t.Fatalf("%d parks, %d institutions under 10 quotas", parks, small)
	}
	people := map[string]bool{}
	for _, p := range a.Hires {
		if people[p.IDNumber] || len(p.IDNumber) != 18 || !ids[p.Unit] {
			t.Fatalf("person %+v repeated, malformed or in an unknown unit", p)
		}
		people[p.IDNumber] = true
	}
	l := a.Ledger()
	if len(l.Approvals) == 0 || len(l.Controls) == 0 || len(l.Accounts) < len(l.Approvals) {
		t.Fatalf("ledger plan %d accounts %d approvals %d controls", len(l.Accounts), len(l.Approvals), len(l.Controls))
	}
	t.Logf("%d regions, %d units, %d charters, %d incumbents, %d accounts, %d transfers",
		len(a.Regions), len(a.Units), len(a.Charters), len(a.Hires), len(l.Accounts), len(l.Controls)+len(l.Approvals))
}

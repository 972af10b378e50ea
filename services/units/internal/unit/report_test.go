package unit

import "testing"

func TestCoverages(t *testing.T) {
	t.Parallel()
	withCharter := func(u Unit, v int) Unit { u.CharterVersion = v; return u }
	d1 := withCharter(dept("D1", "140100"), 1)
	d1.Sections = []Section{{Name: "a", Large: true}}
	d2 := withCharter(dept("D2", "140100"), 2) // charter pointer ahead of the stored approved version: a gap
	d3 := dept("D3", "140100")                 // no charter
	closed := dept("D4", "140100")
	closed.Status = StatusAbolished
	town := withCharter(dept("T1", "140105001"), 1)
	units := []Unit{d3, d2, d1, closed, town, inst("I1", "140100", CategoryWelfare1)}
	ch := func(id string, v int, safety bool) Charter {
		return Charter{UnitID: id, Version: v, Status: CharterApproved, Functions: []Function{{Text: "x", WorkSafety: safety}}}
	}
	charters := map[string]Charter{"D1": ch("D1", 1, true), "D2": ch("D2", 1, true), "T1": ch("T1", 1, false)}
	towns := []Region{
		{Code: "140105001", Level: LevelTownship, Name: "甲街道"},
		{Code: "140105002", Level: LevelTownship, Name: "乙街道"},
		{Code: "140105", Level: LevelCounty},
	}
	items := Coverages(units, charters, towns)
	want := []struct {
		key            string
		total, covered int
		gaps           []string
		pct            float64
	}{
		{CoverageCityCharters, 3, 1, []string{"D2", "D3"}, 33.33},
		{CoverageLargeSections, 3, 1, []string{"D2", "D3"}, 33.33},
		{CoverageWorkSafety, 2, 1, []string{"T1"}, 50},
		{CoverageTownshipCharter, 2, 1, []string{"140105002"}, 50},
	}
	for i, w := range want {
		it := items[i]
		if it.Key != w.key || it.Total != w.total || it.Covered != w.covered || it.Percent != w.pct || len(it.Gaps) != len(w.gaps) {
			t.Fatalf("%s: %+v", w.key, it)
		}
		for j, g := range w.gaps {
			if it.Gaps[j].ID != g {
				t.Errorf("%s gap %d = %s, want %s", w.key, j, it.Gaps[j].ID, g)
			}
		}
	}
}

func TestStats(t *testing.T) {
	t.Parallel()
	base := inst("A", "140100", CategoryWelfare1)
	base.Change = ChangeBaseline
	h1 := History{base}
	m := base
	m.Version, m.Status, m.MergedInto, m.Change, m.EffectiveFrom = 2, StatusMerged, "N", "merge", day("2024-05-01")
	h1 = append(h1, m)
	n := inst("N", "140100", CategoryWelfare1)
	n.Change, n.EffectiveFrom = "merge", day("2024-05-01")
	small := inst("S", "140105", CategoryWelfare2)
	small.Change = ChangeBaseline
	ab := inst("Z", "140105", CategoryWelfare2)
	ab.Change = ChangeBaseline
	abv := ab
	abv.Version, abv.Status, abv.Change, abv.EffectiveFrom = 2, StatusAbolished, "abolish", day("2025-02-01")
	hs := []History{h1, {n}, {small}, {ab, abv}}
	st := Stats(hs, map[string]int64{"N": 30, "S": 8}, []CreditEvent{{"140100", 1}, {"140105", 2}, {"140105", -1}}, day("2024-01-01"), day("2024-12-31"))
	if st.Established != 1 || st.Merged != 1 || st.Abolished != 0 || st.ActiveInstitutions != 2 {
		t.Fatalf("stats %+v", st)
	}
	if len(st.InstitutionsUnder10) != 1 || st.InstitutionsUnder10[0].ID != "S" {
		t.Fatalf("under 10: %+v", st.InstitutionsUnder10)
	}
	if st.CreditBalance["140100"] != 1 || st.CreditBalance["140105"] != 1 {
		t.Fatalf("credits %+v", st.CreditBalance)
	}
}

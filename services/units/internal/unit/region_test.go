package unit

import "testing"

func TestLevelOfCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code string
		want Level
		ok   bool
	}{
		{"140100", LevelCity, true},
		{"140105", LevelCounty, true},
		{"140181", LevelCounty, true},
		{"140105001", LevelTownship, true},
		{"140000", "", false},    // province
		{"14010", "", false},     // short
		{"14010A", "", false},    // not digits
		{"140105000", "", false}, // township part zero
		{"140100001", "", false}, // township under a city, not a county
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := LevelOfCode(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LevelOfCode(%q) = %q,%v; want %q,%v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParentCodeAndCovers(t *testing.T) {
	t.Parallel()
	parents := map[string]string{"140105001": "140105", "140105": "140100", "140100": "", "x": ""}
	for code, want := range parents {
		if got := ParentCode(code); got != want {
			t.Errorf("ParentCode(%q) = %q, want %q", code, got, want)
		}
	}
	tests := []struct {
		scope, code string
		want        bool
	}{
		{"140100", "140100", true},
		{"140100", "140105", true},
		{"140100", "140105001", true},
		{"140100", "140200", false}, // another city
		{"140105", "140105001", true},
		{"140105", "140105", true},
		{"140105", "140106001", false},
		{"140105", "140100", false}, // a county cannot act on the city
		{"140105001", "140105001", true},
		{"140105001", "140105002", false},
		{"bad", "140105", false},
		{"140100", "", false},
	}
	for _, tt := range tests {
		if got := Covers(tt.scope, tt.code); got != tt.want {
			t.Errorf("Covers(%q,%q) = %v, want %v", tt.scope, tt.code, got, tt.want)
		}
	}
}

func TestNewRegion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    Region
		code string // "" = valid
	}{
		{"street", Region{Code: "140105001", Name: "坞城街道", Kind: RegionStreet, Parent: "140105"}, ""},
		{"county", Region{Code: "140121", Name: "清徐县", Kind: RegionCountyKind, Parent: "140100"}, ""},
		{"wrong parent", Region{Code: "140105001", Name: "x", Kind: RegionStreet, Parent: "140106"}, "invalid_region_parent"},
		{"wrong kind", Region{Code: "140105001", Name: "x", Kind: RegionDistrict, Parent: "140105"}, "invalid_region_kind"},
		{"bad code", Region{Code: "1401", Name: "x", Kind: RegionStreet}, "invalid_region_code"},
		{"no name", Region{Code: "140105", Kind: RegionDistrict, Parent: "140100"}, "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := NewRegion(tt.r)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if lvl, _ := LevelOfCode(tt.r.Code); got.Level != lvl {
					t.Fatalf("level %q not derived", got.Level)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Code != tt.code {
				t.Fatalf("error %v, want code %s", err, tt.code)
			}
		})
	}
}

func TestTaiyuanTree(t *testing.T) {
	t.Parallel()
	rs := append(TaiyuanRegions(), Region{Code: "140105001", Name: "坞城街道", Kind: RegionStreet, Level: LevelTownship, Parent: "140105"})
	for _, r := range rs {
		if _, err := NewRegion(r); err != nil {
			t.Errorf("region %s invalid: %v", r.Code, err)
		}
	}
	roots := BuildTree(rs)
	if len(roots) != 1 || roots[0].Code != TaiyuanCode || len(roots[0].Children) != 10 {
		t.Fatalf("tree: %d roots, want Taiyuan with 10 counties", len(roots))
	}
	if c := roots[0].Children[0]; c.Code != "140105" || len(c.Children) != 1 {
		t.Fatalf("first county %s with %d children, want 140105 with 1", c.Code, len(c.Children))
	}
}

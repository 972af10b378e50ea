package unit

import (
	"testing"
	"time"
)

var d0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func inst(id, region string, cat Category) Unit {
	lvl, _ := LevelOfCode(region)
	return Unit{ID: id, Name: "机构" + id, Kind: KindInstitution, Category: cat, Level: lvl, RegionCode: region,
		Status: StatusActive, Version: 1, EffectiveFrom: d0}
}

func dept(id, region string) Unit {
	lvl, _ := LevelOfCode(region)
	return Unit{ID: id, Name: "部门" + id, Kind: KindGovernment, Level: lvl, RegionCode: region, Status: StatusActive,
		Version: 1, EffectiveFrom: d0}
}

func TestUnitValidate(t *testing.T) {
	t.Parallel()
	uscc, _ := MakeUSCC("12", "140100", "12345678")
	tests := []struct {
		name  string
		edit  func(*Unit)
		code  string
		field string
	}{
		{"valid", func(u *Unit) { u.USCC = uscc }, "", ""},
		{"no name", func(u *Unit) { u.Name = " " }, "required", "name"},
		{"id with a colon", func(u *Unit) { u.ID = "unit:1" }, "invalid_id", "id"},
		{"bad kind", func(u *Unit) { u.Kind = "club" }, "invalid_kind", "kind"},
		{"institution without category", func(u *Unit) { u.Category = "" }, "invalid_category", "category"},
		{"department with category", func(u *Unit) { u.Kind = KindGovernment }, "category_not_allowed", "category"},
		{"level mismatch", func(u *Unit) { u.Level = LevelCounty }, "level_region_mismatch", "level"},
		{"bad rank", func(u *Unit) { u.Rank = "大级" }, "invalid_rank", "rank"},
		{"bad uscc", func(u *Unit) { u.USCC = "12140100123456789X" }, "invalid_uscc", "uscc"},
		{"merged without target", func(u *Unit) { u.Status = StatusMerged }, "required", "mergedInto"},
		{"duplicate section", func(u *Unit) { u.Sections = []Section{{Name: "办公室"}, {Name: "办公室"}} }, "invalid_section", "sections"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := inst("U1", "140100", CategoryWelfare1)
			tt.edit(&u)
			err := u.Validate()
			if tt.code == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Code != tt.code || e.Field != tt.field {
				t.Fatalf("got %v, want %s on %s", err, tt.code, tt.field)
			}
			if e.Message == "" || e.Detail == "" {
				t.Fatal("error lacks a message or detail")
			}
		})
	}
}

func TestLargeSections(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    []Section
		want bool
	}{
		{nil, false},
		{[]Section{{Name: "a", Large: true}}, true},
		{[]Section{{Name: "a", Large: true}, {Name: "b"}}, false},
	}
	for _, tt := range tests {
		if got := (Unit{Sections: tt.s}).UsesLargeSections(); got != tt.want {
			t.Errorf("%v: got %v", tt.s, got)
		}
	}
}

func TestHistoryAsOfAndNext(t *testing.T) {
	t.Parallel()
	u, err := NewUnit(inst("U1", "140105", CategoryWelfare1), day("2020-01-01"), "并编发〔2020〕1号")
	if err != nil {
		t.Fatal(err)
	}
	h := History{u}
	v2, err := h.Next(Change{Kind: "rename", EffectiveFrom: day("2022-06-01"), Ref: "P1/00-rename", Apply: Rename("新名称", "新")})
	if err != nil {
		t.Fatal(err)
	}
	h = append(h, v2)
	// A back-dated correction: recorded later, effective earlier.
	v3, err := h.Next(Change{Kind: "hand_over", EffectiveFrom: day("2021-01-01"), Apply: HandOver("T1", "D1")})
	if err != nil {
		t.Fatal(err)
	}
	h = append(h, v3)
	tests := []struct {
		on      string
		version int
		ok      bool
	}{
		{"2019-12-31", 0, false},
		{"2020-01-01", 1, true},
		{"2021-06-30", 3, true},
		{"2022-06-01", 2, true},
		{"2030-01-01", 2, true},
	}
	for _, tt := range tests {
		got, ok := h.AsOf(day(tt.on))
		if ok != tt.ok || (ok && got.Version != tt.version) {
			t.Errorf("AsOf(%s) = v%d,%v; want v%d,%v", tt.on, got.Version, ok, tt.version, tt.ok)
		}
	}
	if !h.HasChange("P1/00-rename") || h.HasChange("P1/01-x") || h.HasChange("") {
		t.Error("HasChange does not find exactly the recorded step")
	}
	v4, err := h.Next(Change{Kind: "abolish", EffectiveFrom: day("2023-01-01"), Apply: Abolish()})
	if err != nil || v4.Version != 4 || v4.Status != StatusAbolished {
		t.Fatalf("abolish: %+v %v", v4, err)
	}
	h = append(h, v4)
	if _, err := h.Next(Change{Kind: "rename", EffectiveFrom: day("2024-01-01"), Apply: Rename("x", "")}); err == nil {
		t.Fatal("an abolished unit accepted a change")
	}
	if _, err := (History{u}).Next(Change{Kind: "rename", Apply: Rename("x", "")}); err == nil {
		t.Fatal("a change without an effective date was accepted")
	}
	if _, err := (History{u}).Next(Change{Kind: "category", EffectiveFrom: d0, Apply: SetCategory("nonsense")}); err == nil {
		t.Fatal("an invalid category was accepted")
	}
}

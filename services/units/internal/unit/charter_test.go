package unit

import (
	"testing"
	"time"
)

func TestCharterDraftApproveDiff(t *testing.T) {
	t.Parallel()
	u := dept("D1", "140100")
	now := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	in := Charter{
		Functions:       []Function{{Text: "负责全市教育工作"}, {Text: "负责本行业安全生产监督", WorkSafety: true}},
		Sections:        []Section{{Name: "办公室", Large: true}, {Name: "政策法规科"}},
		Quotas:          []QuotaLine{{Kind: QuotaAdministrative, Count: 30}},
		LeadershipPosts: []PostLine{{Rank: "正处级", Count: 1}, {Rank: "副处级", Count: 3}},
	}
	c1, err := NewCharterDraft(u, 1, in, "alice", now)
	if err != nil {
		t.Fatal(err)
	}
	if c1.ID != "D1#v0001" || c1.Status != CharterDraft || !c1.StatesWorkSafety() || c1.QuotaTotal() != 30 {
		t.Fatalf("draft %+v", c1)
	}
	c1, err = c1.Approve("并编〔2024〕3号", day("2024-03-01"), "bob", now)
	if err != nil || c1.Status != CharterApproved {
		t.Fatalf("approve: %v", err)
	}
	if _, err := c1.Approve("x", now, "bob", now); err == nil {
		t.Fatal("approved twice")
	}
	in2 := in
	in2.Functions = []Function{{Text: "负责全市教育工作"}, {Text: "负责本行业安全生产监督"}}
	in2.Sections = []Section{{Name: "办公室", Large: true}, {Name: "政策法规科", Large: true}, {Name: "督导科", Large: true}}
	in2.Quotas = []QuotaLine{{Kind: QuotaAdministrative, Count: 26}, {Kind: QuotaServiceStaff, Count: 2}}
	in2.LeadershipPosts = []PostLine{{Rank: "正处级", Count: 1}, {Rank: "副处级", Count: 2}}
	c2, err := NewCharterDraft(u, 2, in2, "alice", now)
	if err != nil {
		t.Fatal(err)
	}
	d := Diff(c1, c2)
	if len(d.FunctionsAdded) != 1 || len(d.FunctionsRemoved) != 1 || d.FunctionsRemoved[0].WorkSafety != true {
		t.Errorf("functions diff %+v / %+v", d.FunctionsAdded, d.FunctionsRemoved)
	}
	if len(d.SectionsAdded) != 1 || d.SectionsAdded[0].Name != "督导科" || len(d.SectionsChanged) != 1 || len(d.SectionsRemoved) != 0 {
		t.Errorf("sections diff %+v", d)
	}
	wantQ := []CountChange{{Key: "administrative", From: 30, To: 26}, {Key: "service_staff", From: 0, To: 2}}
	if len(d.Quotas) != 2 || d.Quotas[0] != wantQ[0] || d.Quotas[1] != wantQ[1] {
		t.Errorf("quota diff %+v", d.Quotas)
	}
	if len(d.LeadershipPosts) != 1 || d.LeadershipPosts[0] != (CountChange{Key: "副处级", From: 3, To: 2}) {
		t.Errorf("posts diff %+v", d.LeadershipPosts)
	}
	if !Diff(c1, c1).Empty() || d.Empty() {
		t.Error("Empty is wrong")
	}
}

func TestCharterDraftRejects(t *testing.T) {
	t.Parallel()
	ok := Charter{Functions: []Function{{Text: "职责"}}}
	tests := []struct {
		name  string
		edit  func(*Charter, *Unit)
		code  string
		field string
	}{
		{"no functions", func(c *Charter, _ *Unit) { c.Functions = nil }, "required", "functions"},
		{"empty function", func(c *Charter, _ *Unit) { c.Functions = []Function{{Text: " "}} }, "required", "functions"},
		{"unknown quota kind", func(c *Charter, _ *Unit) { c.Quotas = []QuotaLine{{Kind: "gold", Count: 1}} }, "invalid_quota_kind", "quotas"},
		{"repeated quota kind", func(c *Charter, _ *Unit) {
			c.Quotas = []QuotaLine{{Kind: QuotaServiceStaff, Count: 1}, {Kind: QuotaServiceStaff, Count: 1}}
		}, "invalid_quota_kind", "quotas"},
		{"negative quota", func(c *Charter, _ *Unit) { c.Quotas = []QuotaLine{{Kind: QuotaServiceStaff, Count: -1}} }, "negative_count", "quotas"},
		{"bad post rank", func(c *Charter, _ *Unit) { c.LeadershipPosts = []PostLine{{Rank: "x", Count: 1}} }, "invalid_leadership_post", "leadershipPosts"},
		{"abolished unit", func(_ *Charter, u *Unit) { u.Status = StatusAbolished }, "unit_not_active", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, u := ok, dept("D1", "140100")
			tt.edit(&c, &u)
			_, err := NewCharterDraft(u, 1, c, "a", d0)
			e, found := AsError(err)
			if !found || e.Code != tt.code || e.Field != tt.field {
				t.Fatalf("got %v, want %s/%s", err, tt.code, tt.field)
			}
		})
	}
}

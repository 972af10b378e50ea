package unit

import (
	"slices"
	"testing"
)

func kinds(steps []Step) []StepKind {
	out := []StepKind{}
	for _, s := range steps {
		out = append(out, s.Kind)
	}
	return out
}

func TestPlan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		kind ProposalKind
		edit func(*Proposal)
		want []StepKind
	}{
		{"establish with a credit", ProposalEstablish, func(*Proposal) {},
			[]StepKind{StepConsumeCredit, StepCreateUnit, StepQuotaMove}},
		{"establish abolishing one", ProposalEstablish, func(p *Proposal) { p.UnitIDs = []string{"B"} },
			[]StepKind{StepQuotaRecover, StepMarkAbolished, StepCreateUnit, StepQuotaMove}},
		{"merge into existing", ProposalMerge, func(*Proposal) {},
			[]StepKind{StepQuotaIncumbents, StepQuotaVacancies, StepMarkMerged, StepQuotaIncumbents, StepQuotaVacancies, StepMarkMerged, StepGrantCredits}},
		{"merge two into new with a cut", ProposalMerge, func(p *Proposal) {
			p.TargetUnitID, p.NewUnit = "", &UnitSpec{Name: "n"}
			p.QuotaCuts = []QuotaLine{{Kind: QuotaServiceStaff, Count: 2}}
		}, []StepKind{StepCreateUnit, StepQuotaIncumbents, StepQuotaVacancies, StepMarkMerged, StepQuotaIncumbents, StepQuotaVacancies, StepMarkMerged, StepQuotaCut, StepGrantCredits}},
		{"abolish", ProposalAbolish, func(*Proposal) {}, []StepKind{StepQuotaRecover, StepMarkAbolished, StepGrantCredits}},
		{"rename", ProposalRename, func(*Proposal) {}, []StepKind{StepRename}},
		{"hand over", ProposalHandOver, func(*Proposal) {}, []StepKind{StepHandOver}},
		{"change category", ProposalChangeCategory, func(*Proposal) {}, []StepKind{StepChangeCategory}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := baseProposal(tt.kind)
			tt.edit(&p)
			steps := Plan(p)
			if !slices.Equal(kinds(steps), tt.want) {
				t.Fatalf("plan %v, want %v", kinds(steps), tt.want)
			}
			again := Plan(p)
			seen := map[string]bool{}
			for i, s := range steps {
				if s.ID != again[i].ID || seen[s.ID] || s.Index != i || s.ProposalID != "P1" {
					t.Fatalf("step IDs not stable and unique: %+v", s)
				}
				seen[s.ID] = true
			}
		})
	}
}

func TestMergeIntoNewGrantsOneCreditLess(t *testing.T) {
	t.Parallel()
	p := baseProposal(ProposalMerge)
	p.UnitIDs = []string{"A", "B", "C"}
	p.TargetUnitID, p.NewUnit = "", &UnitSpec{Name: "n"}
	steps := Plan(p)
	last := steps[len(steps)-1]
	if last.Kind != StepGrantCredits || last.Count != 2 {
		t.Fatalf("last step %+v, want 2 credits", last)
	}
}

func TestStepUnitChange(t *testing.T) {
	t.Parallel()
	p := baseProposal(ProposalRename)
	p.DocumentNo = "doc"
	h := History{inst("A", "140100", CategoryWelfare1)}
	s := Plan(p)[0]
	c, ok := s.UnitChange(p)
	if !ok {
		t.Fatal("rename step has no unit change")
	}
	next, err := h.Next(c)
	if err != nil || next.Name != "新名" || next.ChangeRef != s.ID || next.DocumentNo != "doc" || !next.EffectiveFrom.Equal(p.EffectiveFrom) {
		t.Fatalf("next %+v %v", next, err)
	}
	if _, ok := (Step{Kind: StepQuotaMove}).UnitChange(p); ok {
		t.Fatal("a quota step claims a unit change")
	}
}

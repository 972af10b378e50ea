package unit

import (
	"slices"
	"testing"
)

func facts() Facts {
	f := Facts{Units: map[string]Unit{
		"D1": dept("D1", "140100"),
		"A":  inst("A", "140100", CategoryWelfare1),
		"B":  inst("B", "140100", CategoryWelfare1),
		"T":  inst("T", "140100", CategoryWelfare1),
		"X":  inst("X", "140105", CategoryWelfare1),
	}, Balances: map[string][]Balance{
		"A": {{Kind: QuotaInstitutionFull, Approved: 20, Occupied: 5, Vacant: 15}},
		"B": {{Kind: QuotaInstitutionFull, Approved: 6, Occupied: 0, Vacant: 6}},
		"T": {{Kind: QuotaInstitutionFull, Approved: 30, Occupied: 28, Vacant: 2}},
	}, PoolBalances: []Balance{{Kind: QuotaInstitutionFull, Approved: 3, Vacant: 3}}, AbolitionCredits: 1}
	gone := inst("G", "140100", CategoryWelfare1)
	gone.Status, gone.MergedInto = StatusMerged, "T"
	f.Units["G"] = gone
	return f
}

func codes(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func TestCheckRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		kind  ProposalKind
		edit  func(*Proposal, *Facts)
		codes []string // exactly these findings, in order
	}{
		{"establish passes with a credit", ProposalEstablish, func(*Proposal, *Facts) {}, nil},
		{"administrative-function institution", ProposalEstablish, func(p *Proposal, _ *Facts) { p.NewUnit.Category = CategoryAdministrative },
			[]string{RuleAdministrativeFunction}},
		{"business institution", ProposalEstablish, func(p *Proposal, _ *Facts) { p.NewUnit.Category = CategoryBusiness },
			[]string{RuleBusinessInstitution}},
		{"fewer than ten quotas", ProposalEstablish, func(p *Proposal, _ *Facts) {
			p.NewUnit.Quotas[0].Count, p.QuotaSources[0].Count = 9, 9
		}, []string{RuleTooFewQuotas}},
		{"ten quotas is enough", ProposalEstablish, func(p *Proposal, _ *Facts) {
			p.NewUnit.Quotas[0].Count, p.QuotaSources[0].Count = 10, 10
		}, nil},
		{"departments are not institutions", ProposalEstablish, func(p *Proposal, _ *Facts) {
			p.NewUnit.Kind, p.NewUnit.Category = KindGovernment, ""
			p.NewUnit.Quotas = []QuotaLine{{Kind: QuotaAdministrative, Count: 3}}
			p.QuotaSources = []QuotaSource{{Kind: QuotaAdministrative, Count: 3}}
		}, []string{RuleQuotaSourceInsufficient}},
		{"no abolition and no credit", ProposalEstablish, func(_ *Proposal, f *Facts) { f.AbolitionCredits = 0 },
			[]string{RuleNoAbolitionOffset}},
		{"abolition in the same proposal", ProposalEstablish, func(p *Proposal, f *Facts) {
			f.AbolitionCredits = 0
			p.UnitIDs = []string{"B"}
			p.QuotaSources = []QuotaSource{{Kind: QuotaInstitutionFull, Count: 9}, {FromUnitID: "A", Kind: QuotaInstitutionFull, Count: 3}}
		}, nil},
		{"abolished unit still has people", ProposalEstablish, func(p *Proposal, f *Facts) {
			p.UnitIDs = []string{"A"}
			p.QuotaSources = []QuotaSource{{Kind: QuotaInstitutionFull, Count: 12}}
		}, []string{RuleAbolishedHasIncumbents}},
		{"zero growth: sources short", ProposalEstablish, func(p *Proposal, _ *Facts) { p.QuotaSources[0].Count = 10 },
			[]string{RuleQuotaGrowth}},
		{"zero growth: sources over", ProposalEstablish, func(p *Proposal, _ *Facts) { p.QuotaSources[0].Count = 14 },
			[]string{RuleQuotaGrowth}},
		{"source lacks vacancies", ProposalEstablish, func(p *Proposal, _ *Facts) {
			p.QuotaSources = []QuotaSource{{FromUnitID: "T", Kind: QuotaInstitutionFull, Count: 12}}
		}, []string{RuleQuotaSourceInsufficient}},
		{"pool lacks vacancies", ProposalEstablish, func(p *Proposal, _ *Facts) {
			p.QuotaSources = []QuotaSource{{Kind: QuotaInstitutionFull, Count: 12}}
		}, []string{RuleQuotaSourceInsufficient}},
		{"open discipline case", ProposalAbolish, func(p *Proposal, f *Facts) {
			f.DisciplineCaseOpen = true
			p.UnitIDs = []string{"B"}
		}, []string{RuleOpenDisciplineCase}},
		{"abolish with people", ProposalAbolish, func(*Proposal, *Facts) {}, []string{RuleAbolishedHasIncumbents}},
		{"abolish missing unit", ProposalAbolish, func(p *Proposal, _ *Facts) { p.UnitIDs = []string{"nope"} }, []string{RuleUnitNotFound}},
		{"abolish merged unit", ProposalAbolish, func(p *Proposal, _ *Facts) { p.UnitIDs = []string{"G"} }, []string{RuleUnitNotActive}},
		{"county unit in a city proposal is fine", ProposalAbolish, func(p *Proposal, _ *Facts) { p.UnitIDs = []string{"X"} }, nil},
		{"city unit in a county proposal", ProposalAbolish, func(p *Proposal, _ *Facts) {
			p.RegionCode, p.UnitIDs = "140105", []string{"B"}
		}, []string{RuleOutOfRegion}},
		{"merge into existing", ProposalMerge, func(*Proposal, *Facts) {}, nil},
		{"merge into merged target", ProposalMerge, func(p *Proposal, _ *Facts) { p.TargetUnitID = "G" }, []string{RuleUnitNotActive}},
		{"merge into new small institution", ProposalMerge, func(p *Proposal, f *Facts) {
			p.TargetUnitID = ""
			p.UnitIDs = []string{"B", "X"}
			p.NewUnit = &UnitSpec{Name: "新中心", Kind: KindInstitution, Category: CategoryWelfare1, RegionCode: "140100"}
		}, []string{RuleTooFewQuotas}},
		{"merge cut within vacancies", ProposalMerge, func(p *Proposal, _ *Facts) {
			p.QuotaCuts = []QuotaLine{{Kind: QuotaInstitutionFull, Count: 23}}
		}, nil},
		{"merge cut beyond vacancies", ProposalMerge, func(p *Proposal, _ *Facts) {
			p.QuotaCuts = []QuotaLine{{Kind: QuotaInstitutionFull, Count: 24}}
		}, []string{RuleCutOverIncumbents}},
		{"re-categorise as administrative", ProposalChangeCategory, func(p *Proposal, _ *Facts) { p.NewCategory = CategoryAdministrative },
			[]string{RuleCategoryToAdministrative}},
		{"re-categorise a department", ProposalChangeCategory, func(p *Proposal, _ *Facts) { p.UnitIDs = []string{"D1"} },
			[]string{RuleNotInstitution}},
		{"hand over to unknown", ProposalHandOver, func(p *Proposal, _ *Facts) { p.NewManagingAuthorityID = "?" }, []string{RuleUnitNotFound}},
		{"rename", ProposalRename, func(*Proposal, *Facts) {}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, f := baseProposal(tt.kind), facts()
			tt.edit(&p, &f)
			got := Check(p, f)
			want := tt.codes
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(codes(got), want) {
				t.Fatalf("findings %v, want %v", codes(got), want)
			}
			for _, g := range got {
				if g.Message == "" || g.Detail == "" {
					t.Fatalf("finding %s lacks text", g.Code)
				}
			}
		})
	}
}

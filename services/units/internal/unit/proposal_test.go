package unit

import (
	"testing"
	"time"
)

func baseProposal(k ProposalKind) Proposal {
	p := Proposal{ID: "P1", Kind: k, Title: "方案", RegionCode: "140100", FiledBy: "D1", EffectiveFrom: day("2024-07-01")}
	switch k {
	case ProposalEstablish:
		p.NewUnit = &UnitSpec{Name: "太原市公园服务中心", Kind: KindInstitution, Category: CategoryWelfare1, RegionCode: "140100",
			Quotas: []QuotaLine{{Kind: QuotaInstitutionFull, Count: 12}}}
		p.QuotaSources = []QuotaSource{{FromUnitID: "A", Kind: QuotaInstitutionFull, Count: 12}}
	case ProposalMerge:
		p.UnitIDs, p.TargetUnitID = []string{"A", "B"}, "T"
	case ProposalAbolish, ProposalHandOver, ProposalRename, ProposalChangeCategory:
		p.UnitIDs = []string{"A"}
		p.NewName, p.NewManagingAuthorityID, p.NewCategory = "新名", "T", CategoryWelfare2
	}
	return p
}

func TestNewProposalShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		kind  ProposalKind
		edit  func(*Proposal)
		code  string
		field string
	}{
		{"establish ok", ProposalEstablish, func(*Proposal) {}, "", ""},
		{"merge ok", ProposalMerge, func(*Proposal) {}, "", ""},
		{"abolish ok", ProposalAbolish, func(*Proposal) {}, "", ""},
		{"rename ok", ProposalRename, func(*Proposal) {}, "", ""},
		{"hand over ok", ProposalHandOver, func(*Proposal) {}, "", ""},
		{"change category ok", ProposalChangeCategory, func(*Proposal) {}, "", ""},
		{"unknown kind", "split", func(*Proposal) {}, "invalid_proposal_kind", "kind"},
		{"id with a slash", ProposalAbolish, func(p *Proposal) { p.ID = "P/1" }, "invalid_id", "id"},
		{"no title", ProposalAbolish, func(p *Proposal) { p.Title = "" }, "required", "title"},
		{"no date", ProposalAbolish, func(p *Proposal) { p.EffectiveFrom = time.Time{} }, "required", "effectiveFrom"},
		{"bad region", ProposalAbolish, func(p *Proposal) { p.RegionCode = "14" }, "invalid_region_code", "regionCode"},
		{"establish without unit", ProposalEstablish, func(p *Proposal) { p.NewUnit = nil }, "required", "newUnit"},
		{"merge both targets", ProposalMerge, func(p *Proposal) { p.NewUnit = &UnitSpec{} }, "ambiguous_merge_target", "targetUnitId"},
		{"merge one into new", ProposalMerge, func(p *Proposal) {
			p.TargetUnitID, p.UnitIDs, p.NewUnit = "", []string{"A"}, &UnitSpec{}
		}, "merge_needs_two", "unitIds"},
		{"merge into itself", ProposalMerge, func(p *Proposal) { p.UnitIDs = []string{"A", "T"} }, "duplicate_unit", "unitIds"},
		{"abolish two", ProposalAbolish, func(p *Proposal) { p.UnitIDs = []string{"A", "B"} }, "required", "unitIds"},
		{"rename no name", ProposalRename, func(p *Proposal) { p.NewName = "" }, "required", "newName"},
		{"hand over nobody", ProposalHandOver, func(p *Proposal) { p.NewManagingAuthorityID = "" }, "required", "newManagingAuthorityId"},
		{"bad category", ProposalChangeCategory, func(p *Proposal) { p.NewCategory = "x" }, "invalid_category", "newCategory"},
		{"sources on abolish", ProposalAbolish, func(p *Proposal) {
			p.QuotaSources = []QuotaSource{{Kind: QuotaServiceStaff, Count: 1}}
		}, "quota_sources_not_allowed", "quotaSources"},
		{"negative source", ProposalEstablish, func(p *Proposal) { p.QuotaSources[0].Count = -3 }, "invalid_quota_source", "quotaSources"},
		{"cut on abolish", ProposalAbolish, func(p *Proposal) {
			p.QuotaCuts = []QuotaLine{{Kind: QuotaServiceStaff, Count: 1}}
		}, "quota_cuts_not_allowed", "quotaCuts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := baseProposal(tt.kind)
			tt.edit(&p)
			got, err := NewProposal(p, Actor{ID: "alice"}, d0)
			if tt.code == "" {
				if err != nil || got.State != StateDraft || got.Rev != 1 {
					t.Fatalf("got %+v, %v", got, err)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Code != tt.code || e.Field != tt.field {
				t.Fatalf("got %v, want %s/%s", err, tt.code, tt.field)
			}
		})
	}
}

func TestWorkflow(t *testing.T) {
	t.Parallel()
	type step struct {
		a    Action
		args TransitionArgs
		want State // "" = must fail
	}
	checked := TransitionArgs{Checked: true}
	failing := TransitionArgs{Checked: true, Findings: []Finding{{Code: RuleNoAbolitionOffset, Message: "m", Detail: "d"}}}
	tests := []struct {
		name    string
		steps   []step
		outcome Outcome
	}{
		{"approved and executed", []step{
			{ActionSubmit, TransitionArgs{}, StateResearch},
			{ActionAdvance, TransitionArgs{}, StateLegalityReview},
			{ActionAdvance, checked, StatePreMeetingReview},
			{ActionApprove, TransitionArgs{DocumentNo: "并编发〔2024〕9号"}, StateDecided},
			{ActionExecute, TransitionArgs{}, StateExecuting},
			{ActionComplete, TransitionArgs{}, StateExecuted},
		}, OutcomeApproved},
		{"rejected cannot execute", []step{
			{ActionSubmit, TransitionArgs{}, StateResearch},
			{ActionAdvance, TransitionArgs{}, StateLegalityReview},
			{ActionAdvance, checked, StatePreMeetingReview},
			{ActionReject, TransitionArgs{}, ""},
			{ActionReject, TransitionArgs{Reason: "职能交叉"}, StateDecided},
			{ActionExecute, TransitionArgs{}, ""},
		}, OutcomeRejected},
		{"rule findings block legality review", []step{
			{ActionSubmit, TransitionArgs{}, StateResearch},
			{ActionAdvance, TransitionArgs{}, StateLegalityReview},
			{ActionAdvance, TransitionArgs{}, ""},
			{ActionAdvance, failing, ""},
			{ActionReturn, TransitionArgs{Reason: "补充撤销机构"}, StateDraft},
		}, ""},
		{"no skipping", []step{
			{ActionApprove, TransitionArgs{DocumentNo: "x"}, ""},
			{ActionExecute, TransitionArgs{}, ""},
			{ActionComplete, TransitionArgs{}, ""},
			{ActionReturn, TransitionArgs{Reason: "x"}, ""},
			{ActionSubmit, TransitionArgs{}, StateResearch},
			{ActionSubmit, TransitionArgs{}, ""},
			{ActionApprove, TransitionArgs{DocumentNo: "x"}, ""},
		}, ""},
		{"approval needs a document", []step{
			{ActionSubmit, TransitionArgs{}, StateResearch},
			{ActionAdvance, TransitionArgs{}, StateLegalityReview},
			{ActionAdvance, checked, StatePreMeetingReview},
			{ActionApprove, TransitionArgs{}, ""},
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := NewProposal(baseProposal(ProposalAbolish), Actor{ID: "alice"}, d0)
			if err != nil {
				t.Fatal(err)
			}
			recorded := 0
			for i, s := range tt.steps {
				// bob files and reviews; carol, of the city office, decides (four eyes).
				by := Actor{ID: "bob"}
				if s.a == ActionApprove || s.a == ActionReject {
					by = Actor{ID: "carol", CityOffice: true}
				}
				next, err := p.Apply(s.a, by, d0.Add(time.Duration(i)*time.Hour), s.args)
				if s.want == "" {
					if err == nil {
						t.Fatalf("step %d %s from %s succeeded", i, s.a, p.State)
					}
					continue
				}
				if err != nil || next.State != s.want {
					t.Fatalf("step %d %s: %v, state %s want %s", i, s.a, err, next.State, s.want)
				}
				p = next
				recorded++
			}
			if len(p.Transitions) != recorded || p.Outcome != tt.outcome {
				t.Fatalf("%d transitions (want %d), outcome %q", len(p.Transitions), recorded, p.Outcome)
			}
			if recorded > 0 && (p.Transitions[0].Actor != "bob" || p.Transitions[0].From != StateDraft) {
				t.Fatalf("transition not recorded: %+v", p.Transitions[0])
			}
		})
	}
}

func TestFindingsBlockWithRuleError(t *testing.T) {
	t.Parallel()
	p, _ := NewProposal(baseProposal(ProposalAbolish), Actor{ID: "a"}, d0)
	p.State = StateLegalityReview
	_, err := p.Apply(ActionAdvance, Actor{ID: "a"}, d0, TransitionArgs{Checked: true, Findings: []Finding{{Code: RuleOpenDisciplineCase, Field: "filedBy", Message: "m", Detail: "d"}}})
	e, ok := AsError(err)
	if !ok || e.Kind != KindRule || e.Code != RuleOpenDisciplineCase || e.Field != "filedBy" {
		t.Fatalf("got %v", err)
	}
}

// TestFourEyes: whoever created or submitted a proposal does not approve it; a city-level proposal
// is decided by the city office; execution records who ran it.
func TestFourEyes(t *testing.T) {
	t.Parallel()
	alice := Actor{ID: "alice", Name: "甲"}
	bob := Actor{ID: "bob", Name: "乙"}
	cityAlice := Actor{ID: "alice", Name: "甲", CityOffice: true}
	city := Actor{ID: "carol", Name: "丙", CityOffice: true}
	checked := TransitionArgs{Checked: true}
	review := func(t *testing.T, region string, filer, submitter Actor) Proposal {
		t.Helper()
		p := baseProposal(ProposalAbolish)
		p.RegionCode = region
		p, err := NewProposal(p, filer, d0)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			a    Action
			by   Actor
			args TransitionArgs
		}{{ActionSubmit, submitter, TransitionArgs{}}, {ActionAdvance, bob, TransitionArgs{}}, {ActionAdvance, bob, checked}} {
			if p, err = p.Apply(s.a, s.by, d0, s.args); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	tests := []struct {
		name             string
		region           string
		filer, submitter Actor
		action           Action
		decider          Actor
		code             string
	}{
		{"creator cannot approve", "140105", alice, bob, ActionApprove, alice, "four_eyes"},
		{"submitter cannot approve", "140105", bob, alice, ActionApprove, alice, "four_eyes"},
		{"no identity cannot approve", "140105", bob, bob, ActionApprove, Actor{}, "four_eyes"},
		{"someone else approves a county proposal", "140105", alice, alice, ActionApprove, bob, ""},
		{"the filer may reject (withdraw)", "140105", alice, alice, ActionReject, alice, ""},
		{"county office cannot approve a city proposal", "140100", alice, alice, ActionApprove, bob, "city_office_required"},
		{"county office cannot reject a city proposal", "140100", alice, alice, ActionReject, bob, "city_office_required"},
		{"city office filer cannot approve its own", "140100", cityAlice, cityAlice, ActionApprove, cityAlice, "four_eyes"},
		{"another city officer approves", "140100", cityAlice, cityAlice, ActionApprove, city, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := review(t, tt.region, tt.filer, tt.submitter)
			next, err := p.Apply(tt.action, tt.decider, d0, TransitionArgs{DocumentNo: "并编〔2026〕1号", Reason: "理由"})
			if tt.code == "" {
				if err != nil || next.State != StateDecided {
					t.Fatalf("refused: %v", err)
				}
				if last := next.Transitions[len(next.Transitions)-1]; last.ActorID != tt.decider.ID {
					t.Fatalf("decider not recorded: %+v", last)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Kind != KindForbidden || e.Code != tt.code || e.Message == "" {
				t.Fatalf("got %v, want forbidden %s", err, tt.code)
			}
		})
	}

	t.Run("execution records who ran it", func(t *testing.T) {
		t.Parallel()
		p := review(t, "140105", alice, alice)
		p, err := p.Apply(ActionApprove, bob, d0, TransitionArgs{DocumentNo: "并编〔2026〕1号"})
		if err != nil {
			t.Fatal(err)
		}
		if p, err = p.Apply(ActionExecute, city, d0, TransitionArgs{}); err != nil {
			t.Fatal(err)
		}
		if p.ExecutedByID != "carol" || p.ExecutedBy != "丙 (carol)" || p.ExecutedAt != nil {
			t.Fatalf("executing: %+v", p)
		}
		if p, err = p.Apply(ActionComplete, city, d0.Add(time.Hour), TransitionArgs{}); err != nil {
			t.Fatal(err)
		}
		if p.ExecutedAt == nil || !p.ExecutedAt.Equal(d0.Add(time.Hour)) {
			t.Fatalf("executed: %+v", p)
		}
	})
}

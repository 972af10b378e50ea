package unit

import "fmt"

// StepKind is one kind of execution step. Steps named quota_* call the quota service;
// the others change this service's own records.
type StepKind string

// Step kinds.
const (
	StepCreateUnit      StepKind = "create_unit"
	StepQuotaIncumbents StepKind = "quota_move_incumbents"   // people and their occupied posts
	StepQuotaVacancies  StepKind = "quota_move_vacancies"    // every vacant post left, amounts fixed when prepared
	StepQuotaMove       StepKind = "quota_move"              // a fixed number of vacant posts of one kind
	StepQuotaRecover    StepKind = "quota_recover_vacancies" // vacant posts → the region's recovered pool
	StepQuotaCut        StepKind = "quota_cut"               // fixed posts from a unit → the region's pool
	StepMarkMerged      StepKind = "mark_merged"
	StepMarkAbolished   StepKind = "mark_abolished"
	StepRename          StepKind = "rename"
	StepHandOver        StepKind = "hand_over"
	StepChangeCategory  StepKind = "change_category"
	StepGrantCredits    StepKind = "grant_abolition_credits"
	StepConsumeCredit   StepKind = "consume_abolition_credit"
)

// Step is one idempotent piece of a proposal's execution. ID is stable for a given
// proposal and position, so it doubles as the Idempotency-Key sent to the quota
// service: a retried step is recognised there as well as here.
type Step struct {
	ID         string    `json:"id" bson:"_id"`
	ProposalID string    `json:"proposalId" bson:"proposalId"`
	Index      int       `json:"index" bson:"index"`
	Kind       StepKind  `json:"kind" bson:"kind"`
	UnitID     string    `json:"unitId,omitempty" bson:"unitId,omitempty"`
	ToUnitID   string    `json:"toUnitId,omitempty" bson:"toUnitId,omitempty"` // "" with a quota step means the region pool
	RegionCode string    `json:"regionCode,omitempty" bson:"regionCode,omitempty"`
	QuotaKind  QuotaKind `json:"quotaKind,omitempty" bson:"quotaKind,omitempty"`
	Count      int64     `json:"count,omitempty" bson:"count,omitempty"`
}

// StepID names step i of proposal id.
func StepID(proposalID string, i int, k StepKind) string {
	return fmt.Sprintf("%s/%02d-%s", proposalID, i, k)
}

// NewUnitID is the ID a unit created by a proposal gets unless its spec names one, so
// that a retried execution creates the same unit, not a second one.
func NewUnitID(p Proposal) string {
	if p.NewUnit != nil && p.NewUnit.ID != "" {
		return p.NewUnit.ID
	}
	return "U-" + p.ID
}

// Plan lists the steps that carry out an approved proposal, in order. The plan is a
// pure function of the proposal, so every retry computes the same steps with the same IDs.
func Plan(p Proposal) []Step {
	var steps []Step
	add := func(s Step) {
		s.Index = len(steps)
		s.ProposalID = p.ID
		s.ID = StepID(p.ID, s.Index, s.Kind)
		if s.RegionCode == "" {
			s.RegionCode = p.RegionCode
		}
		steps = append(steps, s)
	}
	switch p.Kind {
	case ProposalEstablish:
		for _, id := range p.UnitIDs {
			add(Step{Kind: StepQuotaRecover, UnitID: id})
			add(Step{Kind: StepMarkAbolished, UnitID: id})
		}
		if len(p.UnitIDs) == 0 {
			add(Step{Kind: StepConsumeCredit})
		}
		nid := NewUnitID(p)
		add(Step{Kind: StepCreateUnit, UnitID: nid})
		for _, s := range p.QuotaSources {
			add(Step{Kind: StepQuotaMove, UnitID: s.FromUnitID, ToUnitID: nid, QuotaKind: s.Kind, Count: s.Count})
		}
	case ProposalMerge:
		target := p.TargetUnitID
		if target == "" {
			target = NewUnitID(p)
			add(Step{Kind: StepCreateUnit, UnitID: target})
		}
		for _, id := range p.UnitIDs {
			add(Step{Kind: StepQuotaIncumbents, UnitID: id, ToUnitID: target})
			add(Step{Kind: StepQuotaVacancies, UnitID: id, ToUnitID: target})
			add(Step{Kind: StepMarkMerged, UnitID: id, ToUnitID: target})
		}
		for _, c := range p.QuotaCuts {
			add(Step{Kind: StepQuotaCut, UnitID: target, QuotaKind: c.Kind, Count: c.Count})
		}
		credits := int64(len(p.UnitIDs))
		if p.TargetUnitID == "" {
			credits-- // the merger itself forms one unit
		}
		if credits > 0 {
			add(Step{Kind: StepGrantCredits, Count: credits})
		}
	case ProposalAbolish:
		add(Step{Kind: StepQuotaRecover, UnitID: firstID(p)})
		add(Step{Kind: StepMarkAbolished, UnitID: firstID(p)})
		add(Step{Kind: StepGrantCredits, Count: 1})
	case ProposalRename:
		add(Step{Kind: StepRename, UnitID: firstID(p)})
	case ProposalHandOver:
		add(Step{Kind: StepHandOver, UnitID: firstID(p)})
	case ProposalChangeCategory:
		add(Step{Kind: StepChangeCategory, UnitID: firstID(p)})
	}
	return steps
}

// IsQuotaStep reports whether the step is carried out by the quota service.
func (s Step) IsQuotaStep() bool {
	switch s.Kind {
	case StepQuotaIncumbents, StepQuotaVacancies, StepQuotaMove, StepQuotaRecover, StepQuotaCut:
		return true
	}
	return false
}

// UnitChange returns the unit change a local step makes, for steps that amend an
// existing unit; ok is false for other steps.
func (s Step) UnitChange(p Proposal) (Change, bool) {
	c := Change{EffectiveFrom: p.EffectiveFrom, DocumentNo: p.DocumentNo, Ref: s.ID, Kind: string(s.Kind)}
	switch s.Kind {
	case StepMarkMerged:
		c.Kind, c.Apply = "merge", MergeInto(s.ToUnitID)
	case StepMarkAbolished:
		c.Kind, c.Apply = "abolish", Abolish()
	case StepRename:
		c.Kind, c.Apply = "rename", Rename(p.NewName, p.NewShortName)
	case StepHandOver:
		c.Kind, c.Apply = "hand_over", HandOver(p.NewManagingAuthorityID, p.NewGuidingAuthorityID)
	case StepChangeCategory:
		c.Kind, c.Apply = "change_category", SetCategory(p.NewCategory)
	default:
		return Change{}, false
	}
	return c, true
}

// NewUnitFromProposal builds the unit a create_unit step creates.
func NewUnitFromProposal(p Proposal) (Unit, error) {
	if p.NewUnit == nil {
		return Unit{}, invalid("required", "newUnit", "新设机构信息不能为空", "the proposal creates no unit")
	}
	u := p.NewUnit.Unit()
	u.ID = NewUnitID(p)
	u.Change = string(p.Kind)
	u.ChangeRef = p.ID
	return NewUnit(u, p.EffectiveFrom, p.DocumentNo)
}

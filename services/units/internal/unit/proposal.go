package unit

import (
	"strings"
	"time"
)

// ProposalKind is what a reform proposal changes.
type ProposalKind string

// Proposal kinds.
const (
	ProposalEstablish      ProposalKind = "establish"
	ProposalMerge          ProposalKind = "merge"
	ProposalAbolish        ProposalKind = "abolish"
	ProposalRename         ProposalKind = "rename"
	ProposalHandOver       ProposalKind = "hand_over"
	ProposalChangeCategory ProposalKind = "change_category"
)

// State is a step of the office's review workflow.
type State string

// Proposal states, in order.
const (
	StateDraft            State = "draft"
	StateResearch         State = "research"           // 调研论证
	StateLegalityReview   State = "legality_review"    // 合法合规性审核
	StatePreMeetingReview State = "pre_meeting_review" // 室务会会前监督审查
	StateDecided          State = "decided"            // approved or rejected
	StateExecuting        State = "executing"
	StateExecuted         State = "executed"
)

// Outcome is the office meeting's decision.
type Outcome string

// Outcomes.
const (
	OutcomeApproved Outcome = "approved"
	OutcomeRejected Outcome = "rejected"
)

// Action moves a proposal from one state to the next.
type Action string

// Actions.
const (
	ActionSubmit   Action = "submit"   // draft → research
	ActionAdvance  Action = "advance"  // research → legality_review; legality_review → pre_meeting_review (rules must pass)
	ActionApprove  Action = "approve"  // pre_meeting_review → decided/approved (document number)
	ActionReject   Action = "reject"   // pre_meeting_review → decided/rejected (reason)
	ActionReturn   Action = "return"   // research/legality/pre-meeting → draft (reason)
	ActionExecute  Action = "execute"  // decided/approved → executing
	ActionComplete Action = "complete" // executing → executed
)

// QuotaSource names where an establishment's posts come from: an existing unit's
// vacancies or, when FromUnitID is empty, the region's recovered-quota pool. Zero
// growth means there is no third source.
type QuotaSource struct {
	FromUnitID string    `json:"fromUnitId,omitempty" bson:"fromUnitId,omitempty"`
	Kind       QuotaKind `json:"kind" bson:"kind"`
	Count      int64     `json:"count" bson:"count"`
}

// UnitSpec describes a unit a proposal creates.
type UnitSpec struct {
	ID              string      `json:"id,omitempty" bson:"id,omitempty"`
	Name            string      `json:"name" bson:"name"`
	ShortName       string      `json:"shortName,omitempty" bson:"shortName,omitempty"`
	Kind            Kind        `json:"kind" bson:"kind"`
	Category        Category    `json:"category,omitempty" bson:"category,omitempty"`
	RegionCode      string      `json:"regionCode" bson:"regionCode"`
	SupervisorID    string      `json:"supervisorId,omitempty" bson:"supervisorId,omitempty"`
	Rank            string      `json:"rank,omitempty" bson:"rank,omitempty"`
	USCC            string      `json:"uscc,omitempty" bson:"uscc,omitempty"`
	Sections        []Section   `json:"sections,omitempty" bson:"sections,omitempty"`
	Quotas          []QuotaLine `json:"quotas,omitempty" bson:"quotas,omitempty"`
	LeadershipPosts []PostLine  `json:"leadershipPosts,omitempty" bson:"leadershipPosts,omitempty"`
}

// Unit builds the unit value the spec describes (not yet validated as a new unit).
func (s UnitSpec) Unit() Unit {
	lvl, _ := LevelOfCode(s.RegionCode)
	return Unit{ID: s.ID, Name: s.Name, ShortName: s.ShortName, Kind: s.Kind, Category: s.Category,
		Level: lvl, RegionCode: s.RegionCode, SupervisorID: s.SupervisorID, Rank: s.Rank, USCC: s.USCC,
		Sections: s.Sections, Status: StatusActive, Version: 1}
}

// Transition records who moved a proposal, when, and why.
type Transition struct {
	From   State  `json:"from" bson:"from"`
	To     State  `json:"to" bson:"to"`
	Action Action `json:"action" bson:"action"`
	Actor  string `json:"actor" bson:"actor"`
	// ActorID is the actor's stable identity (token subject), compared for four eyes.
	ActorID string    `json:"actorId,omitempty" bson:"actorId,omitempty"`
	At      time.Time `json:"at" bson:"at"`
	Note    string    `json:"note,omitempty" bson:"note,omitempty"`
}

// Proposal is a reform proposal and its review record.
type Proposal struct {
	ID         string       `json:"id" bson:"_id"`
	Kind       ProposalKind `json:"kind" bson:"kind"`
	Title      string       `json:"title" bson:"title"`
	RegionCode string       `json:"regionCode" bson:"regionCode"`
	// FiledBy is the department that files; an open discipline case against it blocks the proposal.
	FiledBy       string    `json:"filedBy" bson:"filedBy"`
	State         State     `json:"state" bson:"state"`
	Outcome       Outcome   `json:"outcome,omitempty" bson:"outcome,omitempty"`
	DocumentNo    string    `json:"documentNo,omitempty" bson:"documentNo,omitempty"`
	RejectReason  string    `json:"rejectReason,omitempty" bson:"rejectReason,omitempty"`
	EffectiveFrom time.Time `json:"effectiveFrom" bson:"effectiveFrom"`

	// UnitIDs are the units acted on: the one to abolish, rename, hand over or
	// re-categorise, or the units merged away.
	UnitIDs []string `json:"unitIds,omitempty" bson:"unitIds,omitempty"`
	// TargetUnitID is the existing unit a merger goes into; empty with NewUnit set means
	// a new unit is formed.
	TargetUnitID string        `json:"targetUnitId,omitempty" bson:"targetUnitId,omitempty"`
	NewUnit      *UnitSpec     `json:"newUnit,omitempty" bson:"newUnit,omitempty"`
	QuotaSources []QuotaSource `json:"quotaSources,omitempty" bson:"quotaSources,omitempty"`
	// QuotaCuts are posts a merger gives back to the region's pool (e.g. the 40% cut of
	// the institution reform); they must be vacant after the merger.
	QuotaCuts              []QuotaLine `json:"quotaCuts,omitempty" bson:"quotaCuts,omitempty"`
	NewName                string      `json:"newName,omitempty" bson:"newName,omitempty"`
	NewShortName           string      `json:"newShortName,omitempty" bson:"newShortName,omitempty"`
	NewManagingAuthorityID string      `json:"newManagingAuthorityId,omitempty" bson:"newManagingAuthorityId,omitempty"`
	NewGuidingAuthorityID  string      `json:"newGuidingAuthorityId,omitempty" bson:"newGuidingAuthorityId,omitempty"`
	NewCategory            Category    `json:"newCategory,omitempty" bson:"newCategory,omitempty"`

	Findings    []Finding    `json:"findings" bson:"findings"`
	Transitions []Transition `json:"transitions" bson:"transitions"`
	CreatedBy   string       `json:"createdBy" bson:"createdBy"`
	CreatedByID string       `json:"createdById,omitempty" bson:"createdById,omitempty"`
	CreatedAt   time.Time    `json:"createdAt" bson:"createdAt"`
	// ExecutedBy is who ran the execution (started it; a resumption by someone else shows in
	// Transitions), and ExecutedAt when it completed.
	ExecutedBy   string     `json:"executedBy,omitempty" bson:"executedBy,omitempty"`
	ExecutedByID string     `json:"executedById,omitempty" bson:"executedById,omitempty"`
	ExecutedAt   *time.Time `json:"executedAt,omitempty" bson:"executedAt,omitempty"`
	Rev          int        `json:"rev" bson:"rev"`
}

// NewProposal validates the shape of a draft proposal (which fields its kind needs); the
// staffing rules run later, at legality review, against the facts of that day.
func NewProposal(p Proposal, by Actor, now time.Time) (Proposal, error) {
	var v Violations
	req := func(ok bool, field, zh, en string) {
		if !ok {
			v = append(v, invalid("required", field, zh, en))
		}
	}
	req(strings.TrimSpace(p.ID) != "", "id", "方案编号不能为空", "id is required")
	if p.ID != "" && (!ValidID(p.ID) || len(p.ID) > 60) {
		v = append(v, invalid("invalid_id", "id", "方案编号只能包含字母、数字、“-”和“_”，且不超过60个字符",
			"id must be 1-60 characters of A-Z a-z 0-9 - _"))
	}
	req(strings.TrimSpace(p.Title) != "", "title", "方案标题不能为空", "title is required")
	req(p.FiledBy != "", "filedBy", "报送部门不能为空", "filedBy is required")
	req(!p.EffectiveFrom.IsZero(), "effectiveFrom", "生效日期不能为空", "effectiveFrom is required")
	if _, ok := LevelOfCode(p.RegionCode); !ok {
		v = append(v, invalid("invalid_region_code", "regionCode", "行政区划代码格式不正确", "regionCode must be a division code"))
	}
	one := len(p.UnitIDs) == 1
	switch p.Kind {
	case ProposalEstablish:
		req(p.NewUnit != nil, "newUnit", "新设机构信息不能为空", "establish needs newUnit")
	case ProposalMerge:
		req(len(p.UnitIDs) >= 1, "unitIds", "须列明被合并的机构", "merge needs the units merged away")
		req(p.TargetUnitID != "" || p.NewUnit != nil, "targetUnitId", "须指定并入机构或新设机构", "merge needs targetUnitId or newUnit")
		if p.TargetUnitID != "" && p.NewUnit != nil {
			v = append(v, invalid("ambiguous_merge_target", "targetUnitId", "并入现有机构与新设机构只能选其一", "give targetUnitId or newUnit, not both"))
		}
		if p.TargetUnitID == "" && len(p.UnitIDs) < 2 {
			v = append(v, invalid("merge_needs_two", "unitIds", "合并组建新机构至少需要两个机构", "forming a new unit by merger needs at least two units"))
		}
		seen := map[string]bool{}
		for _, id := range p.UnitIDs {
			if seen[id] || id == p.TargetUnitID {
				v = append(v, invalid("duplicate_unit", "unitIds", "被合并机构重复或与并入机构相同", "unitIds repeat or contain the target"))
				break
			}
			seen[id] = true
		}
	case ProposalAbolish:
		req(one, "unitIds", "须且只能列明一个被撤销机构", "abolish acts on exactly one unit")
	case ProposalRename:
		req(one, "unitIds", "须且只能列明一个机构", "rename acts on exactly one unit")
		req(strings.TrimSpace(p.NewName) != "", "newName", "新名称不能为空", "newName is required")
	case ProposalHandOver:
		req(one, "unitIds", "须且只能列明一个机构", "hand_over acts on exactly one unit")
		req(p.NewManagingAuthorityID != "", "newManagingAuthorityId", "新的管理单位不能为空", "newManagingAuthorityId is required")
	case ProposalChangeCategory:
		req(one, "unitIds", "须且只能列明一个机构", "change_category acts on exactly one unit")
		switch p.NewCategory {
		case CategoryAdministrative, CategoryWelfare1, CategoryWelfare2, CategoryBusiness:
		default:
			v = append(v, invalid("invalid_category", "newCategory", "事业单位类别不正确", "newCategory is not a category"))
		}
	default:
		v = append(v, invalid("invalid_proposal_kind", "kind", "方案类型不正确",
			"kind must be establish, merge, abolish, rename, hand_over or change_category"))
	}
	if p.Kind != ProposalMerge && len(p.QuotaCuts) > 0 {
		v = append(v, invalid("quota_cuts_not_allowed", "quotaCuts", "只有合并方案可以核减编制", "only merge takes quotaCuts"))
	}
	for _, c := range p.QuotaCuts {
		if !validQuotaKind(c.Kind) || c.Count <= 0 {
			v = append(v, invalid("invalid_quota_cut", "quotaCuts", "核减编制的类型或数量不正确", "quotaCuts need a known kind and a positive count"))
		}
	}
	for _, s := range p.QuotaSources {
		if !validQuotaKind(s.Kind) || s.Count <= 0 {
			v = append(v, invalid("invalid_quota_source", "quotaSources", "编制来源的类型或数量不正确", "quotaSources need a known kind and a positive count"))
		}
	}
	if p.Kind != ProposalEstablish && len(p.QuotaSources) > 0 {
		v = append(v, invalid("quota_sources_not_allowed", "quotaSources", "只有新设机构方案需要列明编制来源", "only establish takes quotaSources"))
	}
	if err := v.Err(); err != nil {
		return Proposal{}, err
	}
	p.State, p.Outcome, p.DocumentNo, p.RejectReason = StateDraft, "", "", ""
	p.EffectiveFrom = Day(p.EffectiveFrom)
	p.Findings, p.Transitions = []Finding{}, []Transition{}
	p.CreatedBy, p.CreatedByID, p.CreatedAt, p.Rev = by.String(), by.ID, now.UTC(), 1
	p.ExecutedBy, p.ExecutedByID, p.ExecutedAt = "", "", nil
	return p, nil
}

// TransitionArgs carries what some actions need.
type TransitionArgs struct {
	DocumentNo string
	Reason     string
	// Findings are the rule check results, required to advance out of legality review.
	Findings []Finding
	Checked  bool
}

// Apply performs action on p if the workflow allows it, recording the transition.
// Advancing out of legality review needs a rule check with no findings: the check is
// the point of that stage (合法合规性审核). A decision obeys four eyes (see mayDecide).
func (p Proposal) Apply(a Action, by Actor, now time.Time, args TransitionArgs) (Proposal, error) {
	from := p.State
	var to State
	bad := func() (Proposal, error) {
		return Proposal{}, conflict("invalid_transition", "当前状态下不能执行该操作",
			"action "+string(a)+" is not allowed in state "+string(from))
	}
	switch a {
	case ActionSubmit:
		if from != StateDraft {
			return bad()
		}
		to = StateResearch
	case ActionAdvance:
		switch from {
		case StateResearch:
			to = StateLegalityReview
		case StateLegalityReview:
			if !args.Checked {
				return Proposal{}, conflict("rules_not_checked", "须先完成合法合规性审核", "run the rule check before advancing")
			}
			p.Findings = append([]Finding{}, args.Findings...)
			if len(args.Findings) > 0 {
				return Proposal{}, &Error{Kind: KindRule, Code: args.Findings[0].Code, Field: args.Findings[0].Field,
					Message: "合法合规性审核未通过：" + args.Findings[0].Message, Detail: "rule check failed: " + args.Findings[0].Detail}
			}
			to = StatePreMeetingReview
		default:
			return bad()
		}
	case ActionApprove:
		if from != StatePreMeetingReview {
			return bad()
		}
		if err := p.mayDecide(a, by); err != nil {
			return Proposal{}, err
		}
		if strings.TrimSpace(args.DocumentNo) == "" {
			return Proposal{}, invalid("required", "documentNo", "批准须填写批文号", "approval needs documentNo")
		}
		to, p.Outcome, p.DocumentNo = StateDecided, OutcomeApproved, args.DocumentNo
	case ActionReject:
		if from != StatePreMeetingReview {
			return bad()
		}
		if err := p.mayDecide(a, by); err != nil {
			return Proposal{}, err
		}
		if strings.TrimSpace(args.Reason) == "" {
			return Proposal{}, invalid("required", "reason", "不予批准须说明理由", "rejection needs a reason")
		}
		to, p.Outcome, p.RejectReason = StateDecided, OutcomeRejected, args.Reason
	case ActionReturn:
		if from != StateResearch && from != StateLegalityReview && from != StatePreMeetingReview {
			return bad()
		}
		if strings.TrimSpace(args.Reason) == "" {
			return Proposal{}, invalid("required", "reason", "退回须说明理由", "return needs a reason")
		}
		to = StateDraft
	case ActionExecute:
		if from != StateDecided || p.Outcome != OutcomeApproved {
			return bad()
		}
		to = StateExecuting
		p.ExecutedBy, p.ExecutedByID = by.String(), by.ID
	case ActionComplete:
		if from != StateExecuting {
			return bad()
		}
		to = StateExecuted
		at := now.UTC()
		p.ExecutedAt = &at
	default:
		return bad()
	}
	note := args.Reason
	if note == "" {
		note = args.DocumentNo
	}
	p.State = to
	p.Transitions = append(append([]Transition{}, p.Transitions...),
		Transition{From: from, To: to, Action: a, Actor: by.String(), ActorID: by.ID, At: now.UTC(), Note: note})
	p.Rev++
	return p, nil
}

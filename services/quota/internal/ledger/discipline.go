package ledger

import (
	"time"
	"unicode/utf8"
)

// Violation is a kind of staffing-discipline breach (违反机构编制纪律).
type Violation string

// The violation types.
const (
	ViolationOverQuota       Violation = "over_quota_hiring" // 超编进人
	ViolationUnauthorizedOrg Violation = "unauthorized_body" // 擅自设立机构
	ViolationOverLeadership  Violation = "over_leadership"   // 超职数配备领导干部
	ViolationFalseReport     Violation = "false_report"      // 虚报瞒报
	ViolationMisuse          Violation = "misuse_of_quota"   // 挤占挪用编制
	ViolationOther           Violation = "other"             // 其他
)

var violationLabels = map[Violation]string{
	ViolationOverQuota: "超编进人", ViolationUnauthorizedOrg: "擅自设立机构", ViolationOverLeadership: "超职数配备领导干部",
	ViolationFalseReport: "虚报瞒报", ViolationMisuse: "挤占挪用编制", ViolationOther: "其他",
}

// Valid reports whether v is a known violation type.
func (v Violation) Valid() bool { _, ok := violationLabels[v]; return ok }

// Label returns the Simplified-Chinese name of v.
func (v Violation) Label() string { return violationLabels[v] }

// CaseState is open until rectification is complete.
type CaseState string

// The case states.
const (
	CaseOpen   CaseState = "open"
	CaseClosed CaseState = "closed"
)

// Case is a discipline case against a unit or a whole department (主管部门).
// While it is open, the subject's staffing requests are refused
// (整改与审批联动); its penalty deducts vacant institution posts into the
// recovered pool.
type Case struct {
	ID            string
	Subject       string // the unit or department ID
	Region        string
	Violation     Violation
	Facts         string
	Interview     string // interview record (约谈记录)
	PenaltyPosts  int64  // vacant institution posts to deduct
	Deducted      int64  // posts actually deducted (fewer if fewer were vacant)
	Rectification string // rectification progress (整改情况)
	State         CaseState
	OpenedBy      string
	OpenerRegion  string
	OpenedAt      time.Time
	ClosedAt      time.Time
	ClosedBy      string
	// Penalized is set once the penalty was applied (recovery applies it
	// for a case whose opening died before).
	Penalized bool
}

// CaseRequest opens a case.
type CaseRequest struct {
	Subject      string    `json:"subject"`
	Region       string    `json:"region"`
	Violation    Violation `json:"violation"`
	Facts        string    `json:"facts"`
	Interview    string    `json:"interview"`
	PenaltyPosts int64     `json:"penaltyPosts"`
	// OpenerRegion is the scope of the office that opens the case (from
	// its token, never from the request): only that level or above may
	// close it.
	OpenerRegion string `json:"-"`
}

// NewCase validates a case.
func NewCase(id string, r CaseRequest, actor string, now time.Time) (Case, error) {
	if !validName(r.Subject) {
		return Case{}, Invalid("subject", "被查单位或部门编号格式不正确", "malformed subject id")
	}
	if !ValidRegion(r.Region) {
		return Case{}, Invalid("region", "区划代码不正确", "region must be a 6- or 9-digit division code")
	}
	if !r.Violation.Valid() {
		return Case{}, Invalid("violation", "未知的违纪类型："+string(r.Violation), "unknown violation type")
	}
	if n := utf8.RuneCountInString(r.Facts); n == 0 || n > 5000 {
		return Case{}, Invalid("facts", "违纪事实不能为空且不超过5000字", "facts must have 1 to 5000 characters")
	}
	if utf8.RuneCountInString(r.Interview) > 5000 {
		return Case{}, Invalid("interview", "约谈记录过长", "interview longer than 5000 characters")
	}
	if r.PenaltyPosts < 0 || r.PenaltyPosts > MaxAmount {
		return Case{}, Invalid("penaltyPosts", "扣减编制数不能为负数", "penaltyPosts must be 0..1000000")
	}
	return Case{ID: id, Subject: r.Subject, Region: r.Region, Violation: r.Violation, Facts: r.Facts,
		Interview: r.Interview, PenaltyPosts: r.PenaltyPosts, State: CaseOpen, OpenedBy: actor, OpenerRegion: r.OpenerRegion, OpenedAt: now.UTC()}, nil
}

// Blocks holds the open cases by subject, as the store keeps them.
type Blocks map[string][]string

// CheckNotBlocked enforces 整改与审批联动: a request for unit (of department)
// is refused while a case is open against the unit or its department.
func CheckNotBlocked(b Blocks, unit, department string) error {
	for _, s := range []string{unit, department} {
		if s == "" {
			continue
		}
		if ids := b[s]; len(ids) > 0 {
			return &Error{Code: CodeRectificationPending, Field: "unit",
				Message: "该单位或其主管部门存在未完成整改的违纪案件，暂停受理编制事项",
				Detail:  "subject " + s + " has open discipline case " + ids[0]}
		}
	}
	return nil
}

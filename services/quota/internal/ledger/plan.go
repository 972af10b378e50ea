package ledger

import (
	"time"
	"unicode/utf8"
)

// PlanState is a usage plan's place in its review.
type PlanState string

// The plan states.
const (
	PlanFiled    PlanState = "filed"
	PlanApproved PlanState = "approved"
	PlanRejected PlanState = "rejected"
)

// UsagePlan is a unit's annual quota usage plan (年度用编计划). Approving it
// places a hold that hires under the plan consume; the hold lapses at the
// end of the plan's year, so unused posts return to vacancy.
type UsagePlan struct {
	ID        string
	Unit      string
	Kind      Kind
	Count     int64
	Purpose   string
	Year      int
	State     PlanState
	HoldID    string
	FiledBy   string
	DecidedBy string
	DocNo     string
	CreatedAt time.Time
}

// PlanRequest files a usage plan.
type PlanRequest struct {
	Unit    string `json:"unit"`
	Kind    Kind   `json:"kind"`
	Count   int64  `json:"count"`
	Purpose string `json:"purpose"`
	Year    int    `json:"year"`
}

// NewUsagePlan validates a plan for this year or next.
func NewUsagePlan(id string, r PlanRequest, actor string, now time.Time) (UsagePlan, error) {
	if !validName(r.Unit) {
		return UsagePlan{}, Invalid("unit", "单位编号格式不正确", "malformed unit id")
	}
	if !r.Kind.Valid() {
		return UsagePlan{}, Invalid("kind", "未知的编制类型："+string(r.Kind), "unknown quota kind "+string(r.Kind))
	}
	if r.Count <= 0 || r.Count > MaxHoldAmount {
		return UsagePlan{}, Invalid("count", "计划用编数必须为正整数且不超过10000", "count must be 1..10000")
	}
	if y := Year(now); r.Year != y && r.Year != y+1 {
		return UsagePlan{}, Invalid("year", "只能填报本年度或下一年度的用编计划", "year must be this year or next")
	}
	if n := utf8.RuneCountInString(r.Purpose); n == 0 || n > 500 {
		return UsagePlan{}, Invalid("purpose", "用编用途不能为空且不超过500字", "purpose must have 1 to 500 characters")
	}
	return UsagePlan{ID: id, Unit: r.Unit, Kind: r.Kind, Count: r.Count, Purpose: r.Purpose, Year: r.Year,
		State: PlanFiled, FiledBy: actor, CreatedAt: now.UTC()}, nil
}

// China is the time zone years and months are counted in: a plan for 2025
// lapses at midnight Beijing time, not UTC.
var China = time.FixedZone("CST", 8*3600)

// Year returns the calendar year of t in China.
func Year(t time.Time) int { return t.In(China).Year() }

// YearEnd returns the instant a plan of year y lapses: 1 January y+1, 00:00 China time.
func YearEnd(y int) time.Time { return time.Date(y+1, 1, 1, 0, 0, 0, 0, China) }

// HoldRequest returns the hold approving p places on the unit's account.
func (p UsagePlan) HoldRequest(now time.Time) HoldRequest {
	return HoldRequest{Account: UnitAccount(p.Unit, p.Kind), Amount: p.Count, Purpose: "用编计划：" + p.Purpose, ExpiresAt: YearEnd(p.Year)}
}

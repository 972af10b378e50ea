package recruit

import (
	"time"
	"unicode/utf8"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

// Candidate is the person a unit wants to recruit.
type Candidate struct {
	Name     string `json:"name"`
	IDNumber string `json:"idNumber"`
	Degree   Degree `json:"degree"`
	Title    Title  `json:"title"`
	Field    string `json:"field"` // 专业领域
}

// Application is what a unit files, and what it may change while the case is sent back.
type Application struct {
	Candidate Candidate `json:"candidate"`
	Post      string    `json:"post"`   // 拟聘岗位
	Ground    Ground    `json:"ground"` // special field or key post
	Reason    string    `json:"reason"` // why the post qualifies (特殊领域或关键岗位说明)
	Tier      Tier      `json:"tier"`
	SubPool   SubPool   `json:"subPool"`
	Kind      Kind      `json:"kind"`
}

// Case is one recruitment case. Seq counts its steps; a step with the next number is claimed
// before anything is asked of the quota ledger, and Pending says a claimed step has not finished.
type Case struct {
	ID       string
	Unit     string
	UnitName string // the units service's name of the unit when the case was filed
	Region   string // the units service's region of the unit when the case was filed
	Application
	Status  Status
	Seq     int64
	Pending *Step

	HoldID        string
	HoldExpiresAt time.Time
	LoanID        string // the ledger's record of the loan (its transfer)
	LoanDueAt     time.Time

	FiledBy    string
	FiledAt    time.Time
	AcceptedAt time.Time
	HiredAt    time.Time
	ClosedAt   time.Time // when the case reached a final status
	Note       string    // the last reviewer's reason or the last refusal, for people
	UpdatedAt  time.Time
}

// NewCase validates a filing. region is the unit's as the units service records it, never the
// body's or the filer's token's.
func NewCase(id, unit, region string, a Application, actor string, now time.Time) (Case, error) {
	if !ValidName(unit) {
		return Case{}, apperr.Invalid("unit", "单位编号格式不正确", "malformed unit id")
	}
	a, err := a.validate(now)
	if err != nil {
		return Case{}, err
	}
	now = now.UTC()
	return Case{ID: id, Unit: unit, Region: region, Application: a, Status: StatusFiled, FiledBy: actor,
		FiledAt: now, UpdatedAt: now}, nil
}

func (a Application) validate(now time.Time) (Application, error) {
	id, err := ParseIDNumber("candidate.idNumber", a.Candidate.IDNumber, now)
	if err != nil {
		return a, err
	}
	a.Candidate.IDNumber = id
	checks := []error{
		text("candidate.name", "姓名", a.Candidate.Name, 1, 50),
		checkEnum("candidate.degree", "学历学位", a.Candidate.Degree),
		checkEnum("candidate.title", "职称", a.Candidate.Title),
		text("candidate.field", "专业领域", a.Candidate.Field, 1, 100),
		text("post", "拟聘岗位", a.Post, 1, 100),
		checkEnum("ground", "引进依据", a.Ground),
		text("reason", "特殊领域或关键岗位说明", a.Reason, 1, 2000),
		checkEnum("tier", "人才层次", a.Tier),
		checkEnum("subPool", "周转池", a.SubPool),
		checkEnum("kind", "编制类型", a.Kind),
	}
	for _, err := range checks {
		if err != nil {
			return a, err
		}
	}
	return a, nil
}

func text(field, name, s string, min, max int) error {
	n := utf8.RuneCountInString(s)
	if n < min || n > max {
		if n == 0 {
			return apperr.Invalid(field, name+"不能为空", field+" is required")
		}
		return apperr.Invalid(field, name+"过长", field+" is too long")
	}
	return nil
}

// ValidName accepts the IDs the units service gives units: letters, digits, '-' and '_', as the
// quota ledger requires of the holders in its account IDs.
func ValidName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}

// Amend replaces the application of a case sent back for changes; resubmitting it is a separate step.
func (c Case) Amend(a Application, now time.Time) (Case, error) {
	if c.Status != StatusReturned {
		return c, apperr.New(apperr.CodeInvalidState, "只有退回修改的案件可以修改申报内容",
			"only a case sent back can be amended").WithExtra("status", string(c.Status))
	}
	a, err := a.validate(now)
	if err != nil {
		return c, err
	}
	c.Application = a
	c.UpdatedAt = now.UTC()
	return c, nil
}

// PoolAccount returns the quota ledger account the case borrows from.
func (c Case) PoolAccount() string { return "pool:talent:" + string(c.SubPool) + ":" + string(c.Kind) }

// OnLoan reports whether the case's unit holds a loaned post of the pool.
func (c Case) OnLoan() bool { return c.Status == StatusHired || c.Status == StatusOverdue }

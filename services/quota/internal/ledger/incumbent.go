package ledger

import (
	"time"
	"unicode/utf8"
)

// EntryChannel is how a person came to occupy a post (进人渠道).
type EntryChannel string

// The entry channels.
const (
	ChannelExam        EntryChannel = "exam"                  // 考试录用
	ChannelRecruitment EntryChannel = "open_recruitment"      // 公开招聘
	ChannelTransfer    EntryChannel = "transfer"              // 调任
	ChannelMilitary    EntryChannel = "military_resettlement" // 军转安置
	ChannelTalentPool  EntryChannel = "talent_pool"           // 人才周转池引进
)

var channelLabels = map[EntryChannel]string{
	ChannelExam: "考试录用", ChannelRecruitment: "公开招聘", ChannelTransfer: "调任",
	ChannelMilitary: "军转安置", ChannelTalentPool: "人才周转池引进",
}

// Valid reports whether c is a known entry channel.
func (c EntryChannel) Valid() bool { _, ok := channelLabels[c]; return ok }

// Label returns the Simplified-Chinese name of c.
func (c EntryChannel) Label() string { return channelLabels[c] }

// ExitReason is why a person left a post (减员原因).
type ExitReason string

// The exit reasons.
const (
	ExitRetirement  ExitReason = "retirement"   // 退休
	ExitResignation ExitReason = "resignation"  // 辞职
	ExitTransferOut ExitReason = "transfer_out" // 调出
	ExitDismissal   ExitReason = "dismissal"    // 辞退或开除
	ExitDeath       ExitReason = "death"        // 死亡
)

var exitLabels = map[ExitReason]string{
	ExitRetirement: "退休", ExitResignation: "辞职", ExitTransferOut: "调出", ExitDismissal: "辞退或开除", ExitDeath: "死亡",
}

// Valid reports whether r is a known exit reason.
func (r ExitReason) Valid() bool { _, ok := exitLabels[r]; return ok }

// Label returns the Simplified-Chinese name of r.
func (r ExitReason) Label() string { return exitLabels[r] }

// IncumbentState is where an incumbent record is in its life. A hire first
// inserts the person as pending (claiming the ID number), then appends the
// occupancy; recovery finishes or removes pending records a crash left.
type IncumbentState string

// The incumbent states.
const (
	IncumbentPending IncumbentState = "pending"
	IncumbentActive  IncumbentState = "active"
	IncumbentExited  IncumbentState = "exited"
)

// Incumbent is a named person occupying one post of a unit's account
// (实名制). One person occupies at most one post: the ID number is the key.
type Incumbent struct {
	IDNumber   string
	Name       string
	Gender     Gender
	BirthDate  time.Time
	Account    AccountID
	Unit       string
	Channel    EntryChannel
	EntryDate  time.Time
	DocNo      string
	State      IncumbentState
	TransferID string // the hire (or move) that put the person on the post
	HoldID     string // the hold the hire consumed, if any
	ExitReason ExitReason
	ExitDate   time.Time
	UpdatedAt  time.Time
}

// HireRequest asks to put a person on a vacant post of a unit.
type HireRequest struct {
	IDNumber  string       `json:"idNumber"`
	Name      string       `json:"name"`
	Unit      string       `json:"unit"`
	Kind      Kind         `json:"kind"`
	Channel   EntryChannel `json:"channel"`
	EntryDate string       `json:"entryDate"` // YYYY-MM-DD
	DocNo     string       `json:"docNo"`
	HoldID    string       `json:"holdId,omitempty"` // consume this hold instead of a vacancy
}

// NewIncumbent validates a hire request and builds the pending incumbent.
// field prefixes error fields, so a batch can say which row was wrong.
func NewIncumbent(field string, r HireRequest, today time.Time) (Incumbent, error) {
	id, err := ParseIdentity(field+"idNumber", r.IDNumber, today)
	if err != nil {
		return Incumbent{}, err
	}
	n := utf8.RuneCountInString(r.Name)
	if n == 0 || n > 50 {
		return Incumbent{}, Invalid(field+"name", "姓名不能为空且不超过50个字", "name must have 1 to 50 characters")
	}
	if !validName(r.Unit) {
		return Incumbent{}, Invalid(field+"unit", "单位编号格式不正确", "malformed unit id")
	}
	if !r.Kind.Valid() {
		return Incumbent{}, Invalid(field+"kind", "未知的编制类型："+string(r.Kind), "unknown quota kind "+string(r.Kind))
	}
	if !r.Channel.Valid() {
		return Incumbent{}, Invalid(field+"channel", "未知的进人渠道："+string(r.Channel), "unknown entry channel "+string(r.Channel))
	}
	entry, err := time.Parse(time.DateOnly, r.EntryDate)
	if err != nil {
		return Incumbent{}, Invalid(field+"entryDate", "入职日期格式应为 YYYY-MM-DD", "entryDate must be YYYY-MM-DD")
	}
	if entry.Before(id.BirthDate.AddDate(16, 0, 0)) {
		return Incumbent{}, Invalid(field+"entryDate", "入职时未满16周岁", "the person was under 16 on the entry date")
	}
	if err := checkText("", r.DocNo, false); err != nil {
		return Incumbent{}, err
	}
	return Incumbent{
		IDNumber: id.Number, Name: r.Name, Gender: id.Gender, BirthDate: id.BirthDate,
		Account: UnitAccount(r.Unit, r.Kind), Unit: r.Unit, Channel: r.Channel, EntryDate: entry,
		DocNo: r.DocNo, State: IncumbentPending, HoldID: r.HoldID, UpdatedAt: today.UTC(),
	}, nil
}

// DuplicatePerson is the refusal for hiring someone who already occupies a post.
func DuplicatePerson(idNumber, unit string) *Error {
	return &Error{Code: CodeDuplicatePerson, Field: "idNumber",
		Message: "该人员已在单位 " + unit + " 占用编制，一人只能占用一个编制",
		Detail:  "person " + maskID(idNumber) + " already occupies a post in unit " + unit}
}

// maskID hides the middle of an ID number in messages and logs: the number
// is personal data and the holder's region and check digit suffice to debug.
func maskID(s string) string {
	if len(s) != 18 {
		return "***"
	}
	return s[:6] + "********" + s[14:]
}

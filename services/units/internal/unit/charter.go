package unit

import (
	"strconv"
	"strings"
	"time"
)

// QuotaKind is a kind of authorised post (编制类型). The names match the quota
// service's account kinds; the adapter translates if they ever diverge.
type QuotaKind string

// Quota kinds.
const (
	QuotaAdministrative     QuotaKind = "administrative"      // 行政编制
	QuotaInstitutionFull    QuotaKind = "institution_full"    // 事业编制（财政全额拨款）
	QuotaInstitutionPartial QuotaKind = "institution_partial" // 事业编制（差额拨款）
	QuotaInstitutionSelf    QuotaKind = "institution_self"    // 事业编制（自收自支）
	QuotaPoliticsLegal      QuotaKind = "politics_legal"      // 政法专项编制
	QuotaServiceStaff       QuotaKind = "service_staff"       // 工勤编制
)

// QuotaKinds lists every kind in a stable order for reports.
var QuotaKinds = []QuotaKind{QuotaAdministrative, QuotaInstitutionFull, QuotaInstitutionPartial, QuotaInstitutionSelf, QuotaPoliticsLegal, QuotaServiceStaff}

// LeadershipRanks are the ranks a charter may grant leadership posts (领导职数) of; they
// are the ranks the quota ledger keeps accounts for, see LeaderQuotaKind.
var LeadershipRanks = []string{"正处级", "副处级", "正科级", "副科级"}

// LeaderQuotaKind names the quota ledger's account kind for leadership posts of rank.
func LeaderQuotaKind(rank string) (QuotaKind, bool) {
	k, ok := map[string]QuotaKind{"正处级": "leader_zhengchu", "副处级": "leader_fuchu",
		"正科级": "leader_zhengke", "副科级": "leader_fuke"}[rank]
	return k, ok
}

func validQuotaKind(k QuotaKind) bool {
	for _, q := range QuotaKinds {
		if q == k {
			return true
		}
	}
	return false
}

// QuotaLine is a number of posts of one kind. Counts are int64 because that is how the
// store keeps them (FerretDB rejects Decimal128).
type QuotaLine struct {
	Kind  QuotaKind `json:"kind" bson:"kind"`
	Count int64     `json:"count" bson:"count"`
}

// PostLine is a number of leadership posts of one rank (领导职数).
type PostLine struct {
	Rank  string `json:"rank" bson:"rank"`
	Count int64  `json:"count" bson:"count"`
}

// Function is one duty listed in a charter; WorkSafety marks the work-safety duties
// (安全生产职责) that the third full coverage counts.
type Function struct {
	Text       string `json:"text" bson:"text"`
	WorkSafety bool   `json:"workSafety" bson:"workSafety"`
}

// CharterStatus tells a draft from an approved charter version.
type CharterStatus string

// Charter statuses.
const (
	CharterDraft    CharterStatus = "draft"
	CharterApproved CharterStatus = "approved"
)

// Charter is one version of a unit's 三定 charter: its functions, internal sections and
// quotas with leadership posts.
type Charter struct {
	ID              string        `json:"id" bson:"_id"` // unitID#vNNNN, see CharterID
	UnitID          string        `json:"unitId" bson:"unitId"`
	Version         int           `json:"version" bson:"version"`
	Status          CharterStatus `json:"status" bson:"status"`
	Functions       []Function    `json:"functions" bson:"functions"`
	Sections        []Section     `json:"sections" bson:"sections"`
	Quotas          []QuotaLine   `json:"quotas" bson:"quotas"`
	LeadershipPosts []PostLine    `json:"leadershipPosts" bson:"leadershipPosts"`
	EffectiveFrom   time.Time     `json:"effectiveFrom,omitzero" bson:"effectiveFrom,omitempty"`
	DocumentNo      string        `json:"documentNo,omitempty" bson:"documentNo,omitempty"`
	CreatedBy       string        `json:"createdBy,omitempty" bson:"createdBy,omitempty"`
	CreatedAt       time.Time     `json:"createdAt" bson:"createdAt"`
	ApprovedBy      string        `json:"approvedBy,omitempty" bson:"approvedBy,omitempty"`
	ApprovedAt      time.Time     `json:"approvedAt,omitzero" bson:"approvedAt,omitempty"`
}

// CharterID is the storage key of a charter version; keyed by unit and version so that
// two people drafting the same next version collide on the unique _id instead of both winning.
func CharterID(unitID string, version int) string {
	v := strconv.Itoa(version)
	for len(v) < 4 {
		v = "0" + v
	}
	return unitID + "#v" + v
}

// StatesWorkSafety reports whether the charter lists at least one work-safety duty.
func (c Charter) StatesWorkSafety() bool {
	for _, f := range c.Functions {
		if f.WorkSafety {
			return true
		}
	}
	return false
}

// QuotaTotal is the sum of all quota kinds.
func (c Charter) QuotaTotal() int64 { return SumQuotas(c.Quotas) }

// SumQuotas adds the counts of lines.
func SumQuotas(lines []QuotaLine) int64 {
	var n int64
	for _, l := range lines {
		n += l.Count
	}
	return n
}

// NewCharterDraft validates the content of a new charter version for unit u.
func NewCharterDraft(u Unit, version int, c Charter, by string, now time.Time) (Charter, error) {
	var v Violations
	if u.Status != StatusActive {
		return Charter{}, conflict("unit_not_active", "机构已撤销或已被合并，不能制定三定规定", "unit is not active")
	}
	if len(c.Functions) == 0 {
		v = append(v, invalid("required", "functions", "三定规定须列明主要职责", "a charter lists at least one function"))
	}
	for i, f := range c.Functions {
		if strings.TrimSpace(f.Text) == "" {
			v = append(v, invalid("required", "functions", "职责内容不能为空", "function "+strconv.Itoa(i)+" is empty"))
		}
	}
	seen := map[string]bool{}
	for _, s := range c.Sections {
		if strings.TrimSpace(s.Name) == "" || seen[s.Name] {
			v = append(v, invalid("invalid_section", "sections", "内设机构名称为空或重复", "empty or duplicate section name"))
		}
		seen[s.Name] = true
	}
	kinds := map[QuotaKind]bool{}
	for _, q := range c.Quotas {
		if !validQuotaKind(q.Kind) || kinds[q.Kind] {
			v = append(v, invalid("invalid_quota_kind", "quotas", "编制类型不正确或重复", "unknown or repeated quota kind "+string(q.Kind)))
		}
		kinds[q.Kind] = true
		if q.Count < 0 {
			v = append(v, invalid("negative_count", "quotas", "编制数不能为负数", "quota counts must not be negative"))
		}
	}
	for _, p := range c.LeadershipPosts {
		if _, ok := LeaderQuotaKind(p.Rank); !ok || p.Count < 0 {
			v = append(v, invalid("invalid_leadership_post", "leadershipPosts", "领导职数的级别或数量不正确", "rank must be 正处级, 副处级, 正科级 or 副科级 and count non-negative"))
		}
	}
	if err := v.Err(); err != nil {
		return Charter{}, err
	}
	c.UnitID, c.Version, c.ID = u.ID, version, CharterID(u.ID, version)
	c.Status, c.CreatedBy, c.CreatedAt = CharterDraft, by, now.UTC()
	c.EffectiveFrom, c.DocumentNo, c.ApprovedBy, c.ApprovedAt = time.Time{}, "", "", time.Time{}
	return c, nil
}

// Approve turns a draft into the approved version in force from effective, on the
// authority of documentNo (批文号).
func (c Charter) Approve(documentNo string, effective time.Time, by string, now time.Time) (Charter, error) {
	if c.Status != CharterDraft {
		return Charter{}, conflict("charter_not_draft", "该版本三定规定已批准", "only a draft charter can be approved")
	}
	var v Violations
	if strings.TrimSpace(documentNo) == "" {
		v = append(v, invalid("required", "documentNo", "批文号不能为空", "documentNo is required"))
	}
	if effective.IsZero() {
		v = append(v, invalid("required", "effectiveFrom", "生效日期不能为空", "effectiveFrom is required"))
	}
	if err := v.Err(); err != nil {
		return Charter{}, err
	}
	c.Status, c.DocumentNo, c.EffectiveFrom = CharterApproved, documentNo, Day(effective)
	c.ApprovedBy, c.ApprovedAt = by, now.UTC()
	return c, nil
}

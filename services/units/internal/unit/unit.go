package unit

import (
	"strconv"
	"strings"
	"time"
)

// Kind is the nature of an organisation.
type Kind string

// Unit kinds.
const (
	KindPartyOrgan  Kind = "party_organ"           // 党的机构
	KindGovernment  Kind = "government_department" // 政府部门
	KindInstitution Kind = "public_institution"    // 事业单位
)

// Category classifies a public institution (事业单位分类); party organs and government
// departments have none.
type Category string

// Institution categories.
const (
	CategoryAdministrative Category = "administrative_function" // 承担行政职能
	CategoryWelfare1       Category = "public_welfare_1"        // 公益一类
	CategoryWelfare2       Category = "public_welfare_2"        // 公益二类
	CategoryBusiness       Category = "business"                // 生产经营
)

// Status is where a unit is in its life.
type Status string

// Unit statuses.
const (
	StatusActive    Status = "active"
	StatusMerged    Status = "merged" // MergedInto names the absorbing unit
	StatusAbolished Status = "abolished"
)

// Ranks a unit may carry (机构规格).
var ranks = map[string]bool{
	"正厅级": true, "副厅级": true, "正处级": true, "副处级": true,
	"正科级": true, "副科级": true, "股级": true, "": true,
}

// Section is an internal body of a unit (内设机构/科室). Large marks a section formed
// under the large-section system (大科室制).
type Section struct {
	Name  string `json:"name" bson:"name"`
	Large bool   `json:"large" bson:"large"`
}

// Unit is one organisation as it stands in one version. Managing and guiding authority
// are separate because township stations handed to township management (属地管理) are
// still guided by their county department.
type Unit struct {
	ID                  string    `json:"id" bson:"_id"`
	Name                string    `json:"name" bson:"name"`
	ShortName           string    `json:"shortName,omitempty" bson:"shortName,omitempty"`
	Kind                Kind      `json:"kind" bson:"kind"`
	Category            Category  `json:"category,omitempty" bson:"category,omitempty"`
	Level               Level     `json:"level" bson:"level"`
	RegionCode          string    `json:"regionCode" bson:"regionCode"`
	SupervisorID        string    `json:"supervisorId,omitempty" bson:"supervisorId,omitempty"`
	ManagingAuthorityID string    `json:"managingAuthorityId,omitempty" bson:"managingAuthorityId,omitempty"`
	GuidingAuthorityID  string    `json:"guidingAuthorityId,omitempty" bson:"guidingAuthorityId,omitempty"`
	Rank                string    `json:"rank,omitempty" bson:"rank,omitempty"`
	USCC                string    `json:"uscc,omitempty" bson:"uscc,omitempty"`
	Status              Status    `json:"status" bson:"status"`
	MergedInto          string    `json:"mergedInto,omitempty" bson:"mergedInto,omitempty"`
	Sections            []Section `json:"sections,omitempty" bson:"sections,omitempty"`
	CharterVersion      int       `json:"charterVersion,omitempty" bson:"charterVersion,omitempty"`
	// Version, EffectiveFrom and DocumentNo describe the change that produced this state.
	Version       int       `json:"version" bson:"version"`
	EffectiveFrom time.Time `json:"effectiveFrom" bson:"effectiveFrom"`
	DocumentNo    string    `json:"documentNo,omitempty" bson:"documentNo,omitempty"`
	Change        string    `json:"change,omitempty" bson:"change,omitempty"`
	// ChangeRef identifies the proposal step that produced this version, so that a
	// resumed execution can see that the step already happened and not repeat it.
	ChangeRef string `json:"changeRef,omitempty" bson:"changeRef,omitempty"`
}

// IsDepartment reports whether u is a Party organ or government department (党政机构).
func (u Unit) IsDepartment() bool { return u.Kind == KindPartyOrgan || u.Kind == KindGovernment }

// UsesLargeSections reports whether u is organised under the large-section system: it
// has internal sections and every one of them is a large section.
func (u Unit) UsesLargeSections() bool {
	if len(u.Sections) == 0 {
		return false
	}
	for _, s := range u.Sections {
		if !s.Large {
			return false
		}
	}
	return true
}

// Validate checks the fields every version of a unit must satisfy, returning all the
// problems at once.
func (u Unit) Validate() error {
	var v Violations
	req := func(val, field, zh string) {
		if strings.TrimSpace(val) == "" {
			v = append(v, invalid("required", field, zh+"不能为空", field+" is required"))
		}
	}
	req(u.ID, "id", "机构编号")
	if u.ID != "" && !ValidID(u.ID) {
		v = append(v, invalid("invalid_id", "id", "机构编号只能包含字母、数字、“-”和“_”，且不超过64个字符",
			"id must be 1-64 characters of A-Z a-z 0-9 - _"))
	}
	req(u.Name, "name", "机构名称")
	switch u.Kind {
	case KindPartyOrgan, KindGovernment:
		if u.Category != "" {
			v = append(v, invalid("category_not_allowed", "category", "党政机构不设事业单位类别",
				"only public institutions have a category"))
		}
	case KindInstitution:
		switch u.Category {
		case CategoryAdministrative, CategoryWelfare1, CategoryWelfare2, CategoryBusiness:
		default:
			v = append(v, invalid("invalid_category", "category", "事业单位类别不正确",
				"category must be administrative_function, public_welfare_1, public_welfare_2 or business"))
		}
	default:
		v = append(v, invalid("invalid_kind", "kind", "机构类型不正确",
			"kind must be party_organ, government_department or public_institution"))
	}
	lvl, ok := LevelOfCode(u.RegionCode)
	switch {
	case !ok:
		v = append(v, invalid("invalid_region_code", "regionCode", "行政区划代码格式不正确",
			"regionCode must be a division code"))
	case u.Level != lvl:
		v = append(v, invalid("level_region_mismatch", "level", "机构层级与所属行政区划不符",
			"level must match the level of regionCode"))
	}
	if !ranks[u.Rank] {
		v = append(v, invalid("invalid_rank", "rank", "机构规格不正确",
			"rank must be one of 正厅级 副厅级 正处级 副处级 正科级 副科级 股级"))
	}
	if err := ValidateUSCC(u.USCC); err != nil {
		v = append(v, err.(*Error))
	}
	switch u.Status {
	case StatusActive, StatusAbolished:
	case StatusMerged:
		if u.MergedInto == "" {
			v = append(v, invalid("required", "mergedInto", "被合并机构须注明并入机构",
				"a merged unit names the unit it was merged into"))
		}
	default:
		v = append(v, invalid("invalid_status", "status", "机构状态不正确",
			"status must be active, merged or abolished"))
	}
	seen := map[string]bool{}
	for i, s := range u.Sections {
		if strings.TrimSpace(s.Name) == "" || seen[s.Name] {
			v = append(v, invalid("invalid_section", "sections", "内设机构名称为空或重复",
				"section "+strconv.Itoa(i)+" has an empty or duplicate name"))
		}
		seen[s.Name] = true
	}
	return v.Err()
}

// ValidID reports whether s can name a unit or proposal: the quota ledger builds its
// account IDs from unit IDs, so both services accept the same characters.
func ValidID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			return false
		}
	}
	return true
}

// NewUnit is the guarded constructor for a unit that is being established: it starts
// active at version 1 and must validate.
func NewUnit(u Unit, effective time.Time, documentNo string) (Unit, error) {
	u.Status = StatusActive
	u.MergedInto = ""
	u.Version = 1
	u.EffectiveFrom = Day(effective)
	u.DocumentNo = documentNo
	if u.Change == "" {
		u.Change = "establish"
	}
	if effective.IsZero() {
		return Unit{}, invalid("required", "effectiveFrom", "生效日期不能为空", "effectiveFrom is required")
	}
	if err := u.Validate(); err != nil {
		return Unit{}, err
	}
	return u, nil
}

// Day truncates t to the calendar day in UTC: versions are effective from a date, not an instant.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDay parses YYYY-MM-DD.
func ParseDay(s, field string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, invalid("invalid_date", field, "日期格式应为 YYYY-MM-DD", field+" must be YYYY-MM-DD")
	}
	return t, nil
}

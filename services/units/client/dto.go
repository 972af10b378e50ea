package client

import "time"

// Region is a node of the region tree (行政区划).
type Region struct {
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	Kind     string    `json:"kind"` // city, district, county, county_city, township, street
	Level    string    `json:"level,omitempty"`
	Parent   string    `json:"parent,omitempty"`
	Children []*Region `json:"children,omitempty"`
}

// Section is an internal body of a unit; Large marks the large-section system.
type Section struct {
	Name  string `json:"name"`
	Large bool   `json:"large"`
}

// Unit is a unit as the service reports it (one version).
type Unit struct {
	ID                  string    `json:"id"`
	Name                string    `json:"name"`
	ShortName           string    `json:"shortName,omitempty"`
	Kind                string    `json:"kind"` // party_organ, government_department, public_institution
	Category            string    `json:"category,omitempty"`
	Level               string    `json:"level,omitempty"`
	RegionCode          string    `json:"regionCode"`
	SupervisorID        string    `json:"supervisorId,omitempty"`
	ManagingAuthorityID string    `json:"managingAuthorityId,omitempty"`
	GuidingAuthorityID  string    `json:"guidingAuthorityId,omitempty"`
	Rank                string    `json:"rank,omitempty"`
	USCC                string    `json:"uscc,omitempty"`
	Status              string    `json:"status,omitempty"`
	MergedInto          string    `json:"mergedInto,omitempty"`
	Sections            []Section `json:"sections,omitempty"`
	CharterVersion      int       `json:"charterVersion,omitempty"`
	Version             int       `json:"version,omitempty"`
	EffectiveFrom       string    `json:"effectiveFrom,omitempty"` // YYYY-MM-DD on input
	DocumentNo          string    `json:"documentNo,omitempty"`
}

// QuotaLine is a number of posts of one kind.
type QuotaLine struct {
	Kind  string `json:"kind"`
	Count int64  `json:"count"`
}

// PostLine is a number of leadership posts of one rank.
type PostLine struct {
	Rank  string `json:"rank"`
	Count int64  `json:"count"`
}

// Function is one duty of a charter; WorkSafety marks work-safety duties.
type Function struct {
	Text       string `json:"text"`
	WorkSafety bool   `json:"workSafety"`
}

// Charter is one version of a unit's 三定 charter.
type Charter struct {
	UnitID          string      `json:"unitId,omitempty"`
	Version         int         `json:"version,omitempty"`
	Status          string      `json:"status,omitempty"`
	Functions       []Function  `json:"functions"`
	Sections        []Section   `json:"sections"`
	Quotas          []QuotaLine `json:"quotas"`
	LeadershipPosts []PostLine  `json:"leadershipPosts"`
	EffectiveFrom   string      `json:"effectiveFrom,omitempty"`
	DocumentNo      string      `json:"documentNo,omitempty"`
}

// BatchResult says how many records a batch created; existing ones are skipped.
type BatchResult struct {
	Received int `json:"received"`
	Created  int `json:"created"`
}

// Date formats t as the service expects dates (YYYY-MM-DD).
func Date(t time.Time) string { return t.Format(time.DateOnly) }

// NewUnit describes a unit a proposal creates.
type NewUnit struct {
	ID              string      `json:"id,omitempty"`
	Name            string      `json:"name"`
	ShortName       string      `json:"shortName,omitempty"`
	Kind            string      `json:"kind"`
	Category        string      `json:"category,omitempty"`
	RegionCode      string      `json:"regionCode"`
	SupervisorID    string      `json:"supervisorId,omitempty"`
	Rank            string      `json:"rank,omitempty"`
	USCC            string      `json:"uscc,omitempty"`
	Sections        []Section   `json:"sections,omitempty"`
	Quotas          []QuotaLine `json:"quotas,omitempty"`
	LeadershipPosts []PostLine  `json:"leadershipPosts,omitempty"`
}

// QuotaSource is where an establishment's posts come from: a unit's vacancies, or the
// region's recovered pool when FromUnitID is empty.
type QuotaSource struct {
	FromUnitID string `json:"fromUnitId,omitempty"`
	Kind       string `json:"kind"`
	Count      int64  `json:"count"`
}

// ProposalRequest files a reform proposal (or asks for a what-if of an unsaved one).
type ProposalRequest struct {
	ID                     string        `json:"id"`
	Kind                   string        `json:"kind"` // establish, merge, abolish, rename, hand_over, change_category
	Title                  string        `json:"title"`
	RegionCode             string        `json:"regionCode"`
	FiledBy                string        `json:"filedBy"`
	EffectiveFrom          string        `json:"effectiveFrom"`
	UnitIDs                []string      `json:"unitIds,omitempty"`
	TargetUnitID           string        `json:"targetUnitId,omitempty"`
	NewUnit                *NewUnit      `json:"newUnit,omitempty"`
	QuotaSources           []QuotaSource `json:"quotaSources,omitempty"`
	QuotaCuts              []QuotaLine   `json:"quotaCuts,omitempty"`
	NewName                string        `json:"newName,omitempty"`
	NewShortName           string        `json:"newShortName,omitempty"`
	NewManagingAuthorityID string        `json:"newManagingAuthorityId,omitempty"`
	NewGuidingAuthorityID  string        `json:"newGuidingAuthorityId,omitempty"`
	NewCategory            string        `json:"newCategory,omitempty"`
}

// TransitionRequest moves a proposal through review: submit, advance, approve
// (documentNo), reject (reason) or return (reason).
type TransitionRequest struct {
	Action     string `json:"action"`
	DocumentNo string `json:"documentNo,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

package ledger

// Kind is a quota kind (编制类型). Quota of one kind never turns into
// another: every transfer moves posts between accounts of the same kind.
type Kind string

// The quota kinds: administrative, public-institution by funding,
// political-legal special, service staff, and leadership posts by rank.
const (
	KindAdministrative     Kind = "administrative"      // 行政编制
	KindInstitutionFull    Kind = "institution_full"    // 事业编制（全额拨款）
	KindInstitutionPartial Kind = "institution_partial" // 事业编制（差额拨款）
	KindInstitutionSelf    Kind = "institution_self"    // 事业编制（自收自支）
	KindPoliticsLegal      Kind = "politics_legal"      // 政法专项编制
	KindServiceStaff       Kind = "service_staff"       // 工勤编制
	KindLeaderZhengchu     Kind = "leader_zhengchu"     // 领导职数：正处
	KindLeaderFuchu        Kind = "leader_fuchu"        // 领导职数：副处
	KindLeaderZhengke      Kind = "leader_zhengke"      // 领导职数：正科
	KindLeaderFuke         Kind = "leader_fuke"         // 领导职数：副科
)

var kindLabels = map[Kind]string{
	KindAdministrative:     "行政编制",
	KindInstitutionFull:    "事业编制（全额拨款）",
	KindInstitutionPartial: "事业编制（差额拨款）",
	KindInstitutionSelf:    "事业编制（自收自支）",
	KindPoliticsLegal:      "政法专项编制",
	KindServiceStaff:       "工勤编制",
	KindLeaderZhengchu:     "正处级领导职数",
	KindLeaderFuchu:        "副处级领导职数",
	KindLeaderZhengke:      "正科级领导职数",
	KindLeaderFuke:         "副科级领导职数",
}

// Kinds lists every kind in a stable order, for reports and documentation.
func Kinds() []Kind {
	return []Kind{
		KindAdministrative, KindInstitutionFull, KindInstitutionPartial, KindInstitutionSelf,
		KindPoliticsLegal, KindServiceStaff,
		KindLeaderZhengchu, KindLeaderFuchu, KindLeaderZhengke, KindLeaderFuke,
	}
}

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool { _, ok := kindLabels[k]; return ok }

// Label returns the Simplified-Chinese name of k.
func (k Kind) Label() string { return kindLabels[k] }

// IsInstitution reports whether k is a public-institution kind (事业编制),
// the kinds a discipline penalty deducts from.
func (k Kind) IsInstitution() bool {
	return k == KindInstitutionFull || k == KindInstitutionPartial || k == KindInstitutionSelf
}

// IsLeadership reports whether k counts leadership posts (领导职数) rather
// than staff quota.
func (k Kind) IsLeadership() bool {
	switch k {
	case KindLeaderZhengchu, KindLeaderFuchu, KindLeaderZhengke, KindLeaderFuke:
		return true
	}
	return false
}

// ParseKind validates s as a kind, naming field in the error.
func ParseKind(field, s string) (Kind, error) {
	k := Kind(s)
	if !k.Valid() {
		return "", Invalid(field, "未知的编制类型："+s, "unknown quota kind "+s)
	}
	return k, nil
}

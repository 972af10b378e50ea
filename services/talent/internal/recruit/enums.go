package recruit

import "github.com/bianzhi/bianzhi/pkg/apperr"

// SubPool is a sector sub-pool of the city's talent revolving pool (人才引进编制周转池). Each is an
// account of the quota ledger per quota kind: pool:talent:<subpool>:<kind>.
type SubPool string

// The sub-pools.
const (
	SubPoolEducation SubPool = "education" // 教育
	SubPoolHealth    SubPool = "health"    // 卫生健康
	SubPoolResearch  SubPool = "research"  // 科研
	SubPoolCulture   SubPool = "culture"   // 文化旅游
	SubPoolGeneral   SubPool = "general"   // 综合
)

// Tier is the talent tier (人才层次) of a candidate, as the city's talent catalogue grades it.
type Tier string

// The tiers, highest first.
const (
	TierTop      Tier = "top"      // A类：国内外顶尖人才
	TierLeading  Tier = "leading"  // B类：国家级领军人才
	TierSenior   Tier = "senior"   // C类：省级高层次人才
	TierReserve  Tier = "reserve"  // D类：青年拔尖人才
	TierUrgently Tier = "urgently" // E类：急需紧缺专业人才
)

// Degree is a candidate's highest degree (最高学历学位).
type Degree string

// The degrees the pool recruits with.
const (
	DegreeDoctorate Degree = "doctorate" // 博士研究生
	DegreeMaster    Degree = "master"    // 硕士研究生
	DegreeBachelor  Degree = "bachelor"  // 大学本科
)

// Title is a candidate's professional title (专业技术职称).
type Title string

// The titles.
const (
	TitleSenior       Title = "senior"       // 正高级
	TitleAssociate    Title = "associate"    // 副高级
	TitleIntermediate Title = "intermediate" // 中级
	TitleNone         Title = "none"         // 无
)

// Ground says why the post qualifies for the pool: a special field or a key post (特殊领域、关键岗位).
type Ground string

// The grounds.
const (
	GroundSpecialField Ground = "special_field" // 特殊领域
	GroundKeyPost      Ground = "key_post"      // 关键岗位
)

// Kind is the quota kind a case borrows. The pool lends public-institution posts (事业编制) only:
// the talent it recruits works in schools, hospitals and research institutes.
type Kind string

// The kinds the pool holds.
const (
	KindInstitutionFull    Kind = "institution_full"    // 事业编制（全额拨款）
	KindInstitutionPartial Kind = "institution_partial" // 事业编制（差额拨款）
)

var labels = map[any]string{
	SubPoolEducation: "教育", SubPoolHealth: "卫生健康", SubPoolResearch: "科研", SubPoolCulture: "文化旅游",
	SubPoolGeneral: "综合",
	TierTop:        "A类（顶尖人才）", TierLeading: "B类（领军人才）", TierSenior: "C类（高层次人才）",
	TierReserve: "D类（青年拔尖人才）", TierUrgently: "E类（急需紧缺人才）",
	DegreeDoctorate: "博士研究生", DegreeMaster: "硕士研究生", DegreeBachelor: "大学本科",
	TitleSenior: "正高级", TitleAssociate: "副高级", TitleIntermediate: "中级", TitleNone: "无",
	GroundSpecialField: "特殊领域", GroundKeyPost: "关键岗位",
	KindInstitutionFull: "事业编制（全额拨款）", KindInstitutionPartial: "事业编制（差额拨款）",
}

// SubPools lists the sub-pools in report order.
func SubPools() []SubPool {
	return []SubPool{SubPoolEducation, SubPoolHealth, SubPoolResearch, SubPoolCulture, SubPoolGeneral}
}

// Kinds lists the kinds the pool holds.
func Kinds() []Kind { return []Kind{KindInstitutionFull, KindInstitutionPartial} }

// Label returns the Simplified-Chinese name of a sub-pool, tier, degree, title, ground or kind.
func Label(v any) string { return labels[v] }

// checkEnum refuses a value that has no label, i.e. is not one of its type's constants.
func checkEnum[T ~string](field, what string, v T) error {
	if _, ok := labels[v]; !ok || v == "" {
		return apperr.Invalid(field, "未知的"+what+"："+string(v), "unknown "+field+" "+string(v))
	}
	return nil
}

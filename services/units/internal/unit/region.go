package unit

import (
	"sort"
	"strings"
)

// Level is one of the three administrative levels (市 → 县区 → 乡镇/街道).
type Level string

// The three levels.
const (
	LevelCity     Level = "city"
	LevelCounty   Level = "county"
	LevelTownship Level = "township"
)

// RegionKind tells a district from a county or a street from a township; reports and
// the charter rules treat them alike, people do not.
type RegionKind string

// Region kinds.
const (
	RegionCity       RegionKind = "city"        // 地级市
	RegionDistrict   RegionKind = "district"    // 市辖区
	RegionCountyKind RegionKind = "county"      // 县
	RegionCountyCity RegionKind = "county_city" // 县级市
	RegionTownship   RegionKind = "township"    // 乡镇
	RegionStreet     RegionKind = "street"      // 街道
)

// TaiyuanCode is the administrative division code of the city the service is built for.
const TaiyuanCode = "140100"

// Region is a node of the region tree, keyed by its national administrative division code.
type Region struct {
	Code   string     `json:"code"`
	Name   string     `json:"name"`
	Kind   RegionKind `json:"kind"`
	Level  Level      `json:"level"`
	Parent string     `json:"parent,omitempty"`
}

// TaiyuanRegions returns the city and its ten county-level divisions (「六区三县一市」);
// townships and streets are data, loaded by the demo generator or by the office.
func TaiyuanRegions() []Region {
	c := func(code, name string, k RegionKind) Region {
		return Region{Code: code, Name: name, Kind: k, Level: LevelCounty, Parent: TaiyuanCode}
	}
	return []Region{
		{Code: TaiyuanCode, Name: "太原市", Kind: RegionCity, Level: LevelCity},
		c("140105", "小店区", RegionDistrict),
		c("140106", "迎泽区", RegionDistrict),
		c("140107", "杏花岭区", RegionDistrict),
		c("140108", "尖草坪区", RegionDistrict),
		c("140109", "万柏林区", RegionDistrict),
		c("140110", "晋源区", RegionDistrict),
		c("140121", "清徐县", RegionCountyKind),
		c("140122", "阳曲县", RegionCountyKind),
		c("140123", "娄烦县", RegionCountyKind),
		c("140181", "古交市", RegionCountyCity),
	}
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// LevelOfCode derives the level from the shape of a division code: 6 digits ending in
// "00" is a prefecture-level city, other 6-digit codes are counties and districts, and
// 9-digit codes are townships and streets under their county. ok is false for anything else.
func LevelOfCode(code string) (Level, bool) {
	if !allDigits(code) {
		return "", false
	}
	switch len(code) {
	case 6:
		if strings.HasSuffix(code, "0000") {
			return "", false // a province: not managed here
		}
		if strings.HasSuffix(code, "00") {
			return LevelCity, true
		}
		return LevelCounty, true
	case 9:
		if strings.HasSuffix(code, "000") || strings.HasSuffix(code[:6], "00") {
			return "", false
		}
		return LevelTownship, true
	}
	return "", false
}

// ParentCode returns the code of the region directly above code, or "" for a city.
func ParentCode(code string) string {
	lvl, ok := LevelOfCode(code)
	if !ok {
		return ""
	}
	switch lvl {
	case LevelTownship:
		return code[:6]
	case LevelCounty:
		return code[:4] + "00"
	}
	return ""
}

// Covers reports whether a caller scoped to region scope may act on region code: a city
// scope covers every code that starts with its first four digits, a county scope every
// code that starts with its six, a township scope only itself.
func Covers(scope, code string) bool {
	lvl, ok := LevelOfCode(scope)
	if !ok || code == "" {
		return false
	}
	switch lvl {
	case LevelCity:
		return strings.HasPrefix(code, scope[:4])
	case LevelCounty:
		return strings.HasPrefix(code, scope)
	}
	return code == scope
}

// NewRegion validates a region before it is stored: the code's shape must match the
// level and the parent must be the code's own parent, so the tree cannot be mis-wired.
func NewRegion(r Region) (Region, error) {
	var v Violations
	lvl, ok := LevelOfCode(r.Code)
	if !ok {
		v = append(v, invalid("invalid_region_code", "code", "行政区划代码格式不正确",
			"code must be a 6-digit city/county or 9-digit township division code"))
	}
	if strings.TrimSpace(r.Name) == "" {
		v = append(v, invalid("required", "name", "名称不能为空", "name is required"))
	}
	if ok {
		r.Level = lvl
		if r.Parent != ParentCode(r.Code) {
			v = append(v, invalid("invalid_region_parent", "parent", "上级行政区划与代码不符",
				"parent must be "+ParentCode(r.Code)))
		}
		if !kindFitsLevel(r.Kind, lvl) {
			v = append(v, invalid("invalid_region_kind", "kind", "区划类型与层级不符",
				"kind does not fit the level of the code"))
		}
	}
	return r, v.Err()
}

func kindFitsLevel(k RegionKind, l Level) bool {
	switch l {
	case LevelCity:
		return k == RegionCity
	case LevelCounty:
		return k == RegionDistrict || k == RegionCountyKind || k == RegionCountyCity
	case LevelTownship:
		return k == RegionTownship || k == RegionStreet
	}
	return false
}

// RegionNode is a region with its children, as the portal's tree shows it.
type RegionNode struct {
	Region
	Children []*RegionNode `json:"children,omitempty"`
}

// BuildTree arranges regions under their parents, children sorted by code. Regions whose
// parent is missing become roots, so a partial load is still visible rather than lost.
func BuildTree(regions []Region) []*RegionNode {
	nodes := make(map[string]*RegionNode, len(regions))
	for _, r := range regions {
		nodes[r.Code] = &RegionNode{Region: r}
	}
	var roots []*RegionNode
	for _, r := range regions {
		n := nodes[r.Code]
		if p, ok := nodes[r.Parent]; ok && r.Parent != "" {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	var sortRec func([]*RegionNode)
	sortRec = func(ns []*RegionNode) {
		sort.Slice(ns, func(i, j int) bool { return ns[i].Code < ns[j].Code })
		for _, n := range ns {
			sortRec(n.Children)
		}
	}
	sortRec(roots)
	return roots
}

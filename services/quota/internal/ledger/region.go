package ledger

import "strings"

// Level is an administrative level. The ledger reports moves of quota
// between levels (county→township, city→street, city→county), so every
// account's region maps to a level.
type Level string

// The levels below the city and the ones above it that adjust control totals.
const (
	LevelNational Level = "national"
	LevelProvince Level = "province"
	LevelCity     Level = "city"
	LevelCounty   Level = "county"   // county, district or county-level city
	LevelTownship Level = "township" // township or street
)

// Valid reports whether l is a known level.
func (l Level) Valid() bool {
	switch l {
	case LevelNational, LevelProvince, LevelCity, LevelCounty, LevelTownship:
		return true
	}
	return false
}

// Above reports whether l is a strictly higher level than o.
func (l Level) Above(o Level) bool { return l.rank() < o.rank() }

func (l Level) rank() int {
	switch l {
	case LevelNational:
		return 0
	case LevelProvince:
		return 1
	case LevelCity:
		return 2
	case LevelCounty:
		return 3
	case LevelTownship:
		return 4
	}
	return 99
}

// ValidRegion reports whether code is an administrative division code of a
// city, county (6 digits) or township/street (9 digits).
func ValidRegion(code string) bool {
	if len(code) != 6 && len(code) != 9 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return code[:2] != "00"
}

// RegionLevel derives the level of a region code: 9 digits are a township
// or street, 6 digits ending in 00 a city (prefecture), other 6 digits a
// county, district or county-level city.
func RegionLevel(code string) Level {
	switch {
	case len(code) == 9:
		return LevelTownship
	case strings.HasSuffix(code, "0000"):
		return LevelProvince
	case strings.HasSuffix(code, "00"):
		return LevelCity
	default:
		return LevelCounty
	}
}

// InRegion reports whether region code lies in the subtree of scope: a city
// 140100 covers every 1401… code, a county 140105 covers 140105…, a
// township covers only itself.
func InRegion(scope, code string) bool {
	switch RegionLevel(scope) {
	case LevelProvince:
		return strings.HasPrefix(code, scope[:2])
	case LevelCity:
		return strings.HasPrefix(code, scope[:4])
	default:
		return strings.HasPrefix(code, scope)
	}
}

// ParentRegion returns the region directly above code: a township's county,
// a county's city, a city's province; "" for a province.
func ParentRegion(code string) string {
	switch RegionLevel(code) {
	case LevelTownship:
		return code[:6]
	case LevelCounty:
		return code[:4] + "00"
	case LevelCity:
		return code[:2] + "0000"
	}
	return ""
}

package unit

import (
	"sort"
	"time"
)

// Gap is one unit or township that a coverage misses.
type Gap struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Region string `json:"regionCode"`
}

// CoverageItem is one of the four full coverages.
type CoverageItem struct {
	Key     string  `json:"key"`
	Name    string  `json:"name"`
	Total   int     `json:"total"`
	Covered int     `json:"covered"`
	Percent float64 `json:"percent"`
	Gaps    []Gap   `json:"gaps"`
}

// Coverage keys.
const (
	CoverageCityCharters    = "city_department_charters"
	CoverageLargeSections   = "large_section_system"
	CoverageWorkSafety      = "work_safety_duties"
	CoverageTownshipCharter = "township_charters"
)

// Coverages computes the four full coverages (四个全覆盖) from the active units, their
// current approved charters and the township regions:
//   - every active city-level department has a current charter;
//   - every one of them is organised under the large-section system;
//   - every current charter (of any unit) states work-safety duties;
//   - every township/street has a Party or government unit with a current charter.
func Coverages(units []Unit, charters map[string]Charter, townships []Region) []CoverageItem {
	city := CoverageItem{Key: CoverageCityCharters, Name: "市级部门「三定」规定全覆盖", Gaps: []Gap{}}
	large := CoverageItem{Key: CoverageLargeSections, Name: "「大科（室）制」全覆盖", Gaps: []Gap{}}
	safety := CoverageItem{Key: CoverageWorkSafety, Name: "安全生产职责全覆盖", Gaps: []Gap{}}
	town := CoverageItem{Key: CoverageTownshipCharter, Name: "乡镇（街道）「三定」规定全覆盖", Gaps: []Gap{}}
	townCovered := map[string]bool{}
	sort.Slice(units, func(i, j int) bool { return units[i].ID < units[j].ID })
	for _, u := range units {
		if u.Status != StatusActive {
			continue
		}
		c, has := charters[u.ID]
		has = has && c.Status == CharterApproved && u.CharterVersion == c.Version
		gap := Gap{ID: u.ID, Name: u.Name, Region: u.RegionCode}
		if u.Level == LevelCity && u.IsDepartment() {
			count(&city, has, gap)
			count(&large, u.UsesLargeSections(), gap)
		}
		if has {
			count(&safety, c.StatesWorkSafety(), gap)
		}
		if u.Level == LevelTownship && u.IsDepartment() && has {
			townCovered[u.RegionCode] = true
		}
	}
	sort.Slice(townships, func(i, j int) bool { return townships[i].Code < townships[j].Code })
	for _, r := range townships {
		if r.Level != LevelTownship {
			continue
		}
		count(&town, townCovered[r.Code], Gap{ID: r.Code, Name: r.Name, Region: r.Code})
	}
	items := []CoverageItem{city, large, safety, town}
	for i := range items {
		if items[i].Total > 0 {
			items[i].Percent = float64(int64(float64(items[i].Covered)*10000/float64(items[i].Total))) / 100
		}
	}
	return items
}

func count(it *CoverageItem, ok bool, g Gap) {
	it.Total++
	if ok {
		it.Covered++
	} else {
		it.Gaps = append(it.Gaps, g)
	}
}

// ReformStats summarises reform activity in a period.
type ReformStats struct {
	From                time.Time      `json:"from"`
	To                  time.Time      `json:"to"`
	Established         int            `json:"established"`
	Merged              int            `json:"merged"`
	Abolished           int            `json:"abolished"`
	InstitutionsUnder10 []Gap          `json:"institutionsUnder10"`
	ActiveInstitutions  int            `json:"activeInstitutions"`
	CreditBalance       map[string]int `json:"creditBalanceByRegion"` // 撤一建一: credits granted minus consumed
}

// ChangeBaseline marks a unit recorded as it already existed (an import or the demo
// load), which is not a reform establishment.
const ChangeBaseline = "baseline"

// CreditEvent is an abolition credit granted (+n) or consumed (-1) in a region.
type CreditEvent struct {
	RegionCode string
	Delta      int
}

// Stats counts establishments, mergers and abolitions whose effective date lies in
// [from, to], by looking at the version that made the change, and lists active public
// institutions whose approved quota total is under MinInstitutionQuotas.
func Stats(histories []History, quotaTotals map[string]int64, credits []CreditEvent, from, to time.Time) ReformStats {
	from, to = Day(from), Day(to)
	st := ReformStats{From: from, To: to, InstitutionsUnder10: []Gap{}, CreditBalance: map[string]int{}}
	in := func(t time.Time) bool { return !t.Before(from) && !t.After(to) }
	for _, h := range histories {
		for _, v := range h {
			if !in(v.EffectiveFrom) {
				continue
			}
			switch {
			case v.Version == 1 && v.Change != ChangeBaseline:
				st.Established++
			case v.Status == StatusMerged && v.Change == "merge":
				st.Merged++
			case v.Status == StatusAbolished && v.Change == "abolish":
				st.Abolished++
			}
		}
		cur, ok := h.Current()
		if ok && cur.Status == StatusActive && cur.Kind == KindInstitution {
			st.ActiveInstitutions++
			if quotaTotals[cur.ID] < MinInstitutionQuotas {
				st.InstitutionsUnder10 = append(st.InstitutionsUnder10, Gap{ID: cur.ID, Name: cur.Name, Region: cur.RegionCode})
			}
		}
	}
	sort.Slice(st.InstitutionsUnder10, func(i, j int) bool { return st.InstitutionsUnder10[i].ID < st.InstitutionsUnder10[j].ID })
	for _, c := range credits {
		st.CreditBalance[c.RegionCode] += c.Delta
	}
	return st
}

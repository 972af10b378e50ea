package demo

import (
	"fmt"

	"github.com/bianzhi/bianzhi/services/units/client"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// city creates the city departments with charters (a few gaps left for the coverage
// report), their institutions, the 22 parks, schools and hospitals, and small units.
func (g *gen) city() {
	const region = unit.TaiyuanCode
	for i, d := range cityDepartments {
		kind := string(unit.KindGovernment)
		if d.Party {
			kind = string(unit.KindPartyOrgan)
		}
		leaders := map[string]int64{"正处级": 1, "副处级": g.between(2, 4)}
		staff := map[string]int64{string(unit.QuotaAdministrative): g.between(20, 90)}
		if d.ID == "C-GAJ" {
			staff[string(unit.QuotaPoliticsLegal)] = g.between(1800, 2400)
		}
		u := g.add(client.Unit{ID: d.ID, Name: d.Name, Kind: kind, RegionCode: region, Rank: "正处级"}, merge(staff, leaderQuotas(leaders)))
		// Two departments still lack a charter, three keep a small section, two charters
		// omit work safety: the four coverages are not yet full, as in a real city.
		switch {
		case i == 7 || i == 29:
			u.Sections = g.sections(6, false)
		default:
			g.charter(u, g.sections(int(g.between(4, 9)), i != 12 && i != 21 && i != 33), i != 5 && i != 17, leaders)
		}
	}
	for _, d := range cityDepartments {
		n := int(g.between(3, 8))
		for j := range n {
			t := institutionTypes[(j+len(d.ID))%len(institutionTypes)]
			g.institution(fmt.Sprintf("%s-%02d", d.ID, j+1), d.Name+t.Suffix, region, d.ID, t.Min, t.Max)
		}
	}
	for i, p := range parks {
		u := client.Unit{ID: fmt.Sprintf("C-PARK-%02d", i+1), Name: "太原市" + p + "管理处", Kind: string(unit.KindInstitution),
			Category: string(unit.CategoryWelfare1), RegionCode: region, SupervisorID: "C-YLJ", Rank: "正科级"}
		g.add(u, map[string]int64{string(unit.QuotaInstitutionFull): g.between(12, 30)})
	}
	for _, s := range schoolsAndHospitals {
		for i := range s.N {
			u := client.Unit{ID: fmt.Sprintf("%s-%s%02d", s.Dept, s.Code, i+1), Name: fmt.Sprintf(s.Pattern, i+1),
				Kind: string(unit.KindInstitution), Category: string(unit.CategoryWelfare1), RegionCode: region, SupervisorID: s.Dept}
			g.add(u, map[string]int64{string(unit.QuotaInstitutionFull): g.between(s.Min, s.Max)})
		}
	}
	g.small(region, "C", 60, cityDepartments[10].ID)
}

// small adds n institutions with fewer than 10 quotas: the ones the reform merged away.
func (g *gen) small(region, prefix string, n int, supervisor string) {
	kinds := []string{"测绘队", "农机站", "广播站", "招待所", "印刷所", "资料室", "接待站", "救助站"}
	for i := range n {
		g.institution(fmt.Sprintf("%s-SM%03d", prefix, i+1), fmt.Sprintf("%s第%d%s", regionName(g.d, region), i/len(kinds)+1, kinds[i%len(kinds)]),
			region, supervisor, 3, 9)
	}
}

func regionName(d *Dataset, code string) string {
	for _, r := range d.Regions {
		if r.Code == code {
			return r.Name
		}
	}
	return code
}

// county creates a county-level division's departments, institutions, small units and
// its townships with their Party and government bodies, institutions and the stations
// handed to township management (属地管理) but still guided by the county department.
func (g *gen) county(r unit.Region) {
	name := r.Name
	deptID := func(i int) string { return fmt.Sprintf("K%s-D%02d", r.Code, i+1) }
	for i, d := range countyDepartments {
		full, kind := name+d, string(unit.KindGovernment)
		if i < 7 {
			full, kind = "中共"+name+d, string(unit.KindPartyOrgan)
			if i == 0 {
				full = "中共" + name + "纪律检查委员会"
			}
		}
		leaders := map[string]int64{"正科级": 1, "副科级": g.between(2, 3)}
		u := g.add(client.Unit{ID: deptID(i), Name: full, Kind: kind, RegionCode: r.Code, Rank: "正科级"},
			merge(map[string]int64{string(unit.QuotaAdministrative): g.between(8, 30)}, leaderQuotas(leaders)))
		if g.chance(0.9) {
			g.charter(u, g.sections(int(g.between(3, 6)), true), true, leaders)
		}
	}
	for i := range int(g.between(55, 80)) {
		d := int(g.r.IntN(len(countyDepartments)-7)) + 7
		t := institutionTypes[i%len(institutionTypes)]
		g.institution(fmt.Sprintf("K%s-I%03d", r.Code, i+1), name+countyDepartments[d]+t.Suffix, r.Code, deptID(d), t.Min/2+2, t.Max/2+4)
	}
	g.small(r.Code, "K"+r.Code, 9, deptID(19))
	for _, t := range g.d.Regions {
		if t.Parent == r.Code {
			g.township(t, deptID(18))
		}
	}
}

func (g *gen) township(t client.Region, agriDept string) {
	street := t.Kind == "street"
	party, gov := "中共"+t.Name+"委员会", t.Name+"人民政府"
	if street {
		party, gov = "中共"+t.Name+"工作委员会", t.Name+"办事处"
	}
	leaders := map[string]int64{"正科级": 2, "副科级": g.between(4, 7)}
	p := g.add(client.Unit{ID: "T" + t.Code + "-P", Name: party, Kind: string(unit.KindPartyOrgan), RegionCode: t.Code, Rank: "正科级"},
		map[string]int64{string(unit.QuotaAdministrative): g.between(3, 8)})
	g.charter(p, g.sections(3, true), true, nil)
	gu := g.add(client.Unit{ID: "T" + t.Code + "-G", Name: gov, Kind: string(unit.KindGovernment), RegionCode: t.Code, Rank: "正科级"},
		merge(map[string]int64{string(unit.QuotaAdministrative): g.between(15, 35)}, leaderQuotas(leaders)))
	if g.chance(0.93) {
		g.charter(gu, g.sections(5, true), g.chance(0.95), leaders)
	}
	for i, s := range []string{"便民服务中心", "党群服务中心", "社会事务服务中心", "综合行政执法队"} {
		u := client.Unit{ID: fmt.Sprintf("T%s-I%d", t.Code, i+1), Name: t.Name + s, Kind: string(unit.KindInstitution),
			Category: string(unit.CategoryWelfare1), RegionCode: t.Code, SupervisorID: "T" + t.Code + "-G", Rank: "副科级"}
		g.add(u, map[string]int64{string(unit.QuotaInstitutionFull): g.between(4, 14)})
	}
	if !street {
		u := client.Unit{ID: "T" + t.Code + "-NJ", Name: t.Name + "农业技术推广站", Kind: string(unit.KindInstitution),
			Category: string(unit.CategoryWelfare1), RegionCode: t.Code, SupervisorID: agriDept,
			ManagingAuthorityID: "T" + t.Code + "-G", GuidingAuthorityID: agriDept, Rank: "副科级"}
		g.add(u, map[string]int64{string(unit.QuotaInstitutionFull): g.between(3, 8)})
	}
}

// HRUnit is the unit the demo HR officer (the gateway's `unit_hr` account) acts on in the local stack:
// the first park management office, a public institution with budget-funded posts and people.
const HRUnit = "C-PARK-01"

// Package demo generates and loads the Taiyuan-like demo dataset: the city, its six
// districts, three counties and one county-level city with their townships and
// streets, the city's departments with 三定 charters, public institutions (among them
// the 22 park institutions and the small ones under 10 quotas), and the approved quotas
// and incumbents in the quota ledger. The same seed always gives the same data; the
// local stack loads it through the services' batch APIs on first start.
package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/bianzhi/bianzhi/services/units/client"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// Dataset is everything Load sends.
type Dataset struct {
	Regions  []client.Region
	Units    []client.Unit
	Charters []client.Charter
	// Quotas are each unit's approved posts by kind (leadership posts included, as the
	// ledger's leader kinds) and Occupied how many of them incumbents hold.
	Quotas map[string][]Post
	Hires  []Person
}

// Post is a unit's approved and occupied posts of one kind.
type Post struct {
	Kind               string
	Approved, Occupied int64
}

// Person is an incumbent to hire.
type Person struct {
	IDNumber, Name, Unit, Kind, Channel, EntryDate string
}

type gen struct {
	r   *rand.Rand
	d   *Dataset
	org int // organisation-code counter, for unique credit codes
}

// Generate builds the dataset for seed.
func Generate(seed uint64) *Dataset {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0x6269616e7a6869)), d: &Dataset{Quotas: map[string][]Post{}}}
	g.regions()
	g.city()
	for _, r := range unit.TaiyuanRegions()[1:] {
		g.county(r)
	}
	g.people()
	return g.d
}

func (g *gen) between(lo, hi int64) int64 { return lo + g.r.Int64N(hi-lo+1) }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) regions() {
	for _, r := range unit.TaiyuanRegions() {
		g.d.Regions = append(g.d.Regions, client.Region{Code: r.Code, Name: r.Name, Kind: string(r.Kind), Parent: r.Parent})
	}
	codes := make([]string, 0, len(countyTownships))
	for c := range countyTownships {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	stem := 0
	for _, c := range codes {
		district := c < "140111"
		for i := range countyTownships[c] {
			name, kind := townshipStems[stem%len(townshipStems)], "street"
			stem++
			switch {
			case district:
				name += "街道"
			case i%4 == 3:
				name, kind = name+"乡", "township"
			default:
				name, kind = name+"镇", "township"
			}
			g.d.Regions = append(g.d.Regions, client.Region{Code: fmt.Sprintf("%s%03d", c, i+1), Name: name, Kind: kind, Parent: c})
		}
	}
}

func (g *gen) uscc(kind, region string) string {
	g.org++
	t := "12"
	if kind != string(unit.KindInstitution) {
		t = "11"
	}
	code, _ := unit.MakeUSCC(t, region[:6], fmt.Sprintf("%08d", 10000000+g.org*37))
	return code
}

// add records a unit with its approved posts; occupancy is drawn per kind.
func (g *gen) add(u client.Unit, quotas map[string]int64) *client.Unit {
	lvl, _ := unit.LevelOfCode(u.RegionCode)
	u.Level, u.EffectiveFrom = string(lvl), "2019-03-01"
	u.DocumentNo = "并编〔2019〕" + fmt.Sprint(len(g.d.Units)%97+1) + "号"
	u.USCC = g.uscc(u.Kind, u.RegionCode)
	g.d.Units = append(g.d.Units, u)
	p := &g.d.Units[len(g.d.Units)-1]
	kinds := make([]string, 0, len(quotas))
	for k := range quotas {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		n := quotas[k]
		occ := n * g.between(75, 98) / 100
		if isLeaderKind(k) {
			occ = 0 // leaders hold a staff post too; the ledger counts each person once
		}
		g.d.Quotas[u.ID] = append(g.d.Quotas[u.ID], Post{Kind: k, Approved: n, Occupied: occ})
	}
	return p
}

func isLeaderKind(k string) bool { return len(k) > 7 && k[:7] == "leader_" }

// charter gives u an approved charter. safety false leaves out the work-safety duty,
// large false organises one section the old way: the coverage report shows such gaps.
func (g *gen) charter(u *client.Unit, sections []client.Section, safety bool, leaders map[string]int64) {
	fs := []client.Function{{Text: "贯彻执行党和国家关于本领域工作的方针政策和法律法规"}, {Text: "拟订本领域发展规划和政策措施并组织实施"},
		{Text: "负责本领域行政审批和监督管理工作"}, {Text: "完成市委、市政府交办的其他任务"}}
	if safety {
		fs = append(fs, client.Function{Text: "负责本行业领域安全生产监督管理，落实“管行业必须管安全”要求", WorkSafety: true})
	}
	var qs []client.QuotaLine
	var posts []client.PostLine
	for _, p := range g.d.Quotas[u.ID] {
		if !isLeaderKind(p.Kind) {
			qs = append(qs, client.QuotaLine{Kind: p.Kind, Count: p.Approved})
		}
	}
	for _, rank := range unit.LeadershipRanks {
		if n := leaders[rank]; n > 0 {
			posts = append(posts, client.PostLine{Rank: rank, Count: n})
		}
	}
	u.CharterVersion, u.Sections = 1, sections
	g.d.Charters = append(g.d.Charters, client.Charter{UnitID: u.ID, Version: 1, Functions: fs, Sections: sections, Quotas: qs,
		LeadershipPosts: posts, EffectiveFrom: "2019-03-01", DocumentNo: "并编〔2019〕" + fmt.Sprint(len(g.d.Charters)%89+1) + "号"})
}

func (g *gen) sections(n int, allLarge bool) []client.Section {
	names := []string{"办公室", "政策法规科", "综合规划科", "行政审批科", "监督管理科", "财务审计科", "人事科", "安全监管科", "宣传教育科", "信息化科"}
	out := make([]client.Section, 0, n)
	for i := 0; i < n && i < len(names); i++ {
		out = append(out, client.Section{Name: names[i], Large: allLarge || i > 0})
	}
	return out
}

func leaderQuotas(leaders map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for rank, n := range leaders {
		k, _ := unit.LeaderQuotaKind(rank)
		out[string(k)] = n
	}
	return out
}

func merge(a, b map[string]int64) map[string]int64 {
	for k, v := range b {
		a[k] += v
	}
	return a
}

// fundingKind draws how an institution's posts are funded.
func (g *gen) fundingKind() string {
	switch x := g.r.IntN(10); {
	case x < 7:
		return string(unit.QuotaInstitutionFull)
	case x < 9:
		return string(unit.QuotaInstitutionPartial)
	default:
		return string(unit.QuotaInstitutionSelf)
	}
}

func (g *gen) category() string {
	switch x := g.r.IntN(100); {
	case x < 4:
		return string(unit.CategoryAdministrative) // pre-reform institutions that still exercise administrative functions
	case x < 7:
		return string(unit.CategoryBusiness)
	case x < 65:
		return string(unit.CategoryWelfare1)
	default:
		return string(unit.CategoryWelfare2)
	}
}

func (g *gen) institution(id, name, region, supervisor string, lo, hi int64) *client.Unit {
	u := client.Unit{ID: id, Name: name, Kind: string(unit.KindInstitution), Category: g.category(), RegionCode: region, SupervisorID: supervisor}
	return g.add(u, map[string]int64{g.fundingKind(): g.between(lo, hi)})
}

// Subset keeps the regions, units, charters, posts and people whose region code starts
// with one of prefixes (the city and county levels are kept as the tree's spine). Tests
// load a subset; the local stack loads everything.
func (d *Dataset) Subset(prefixes ...string) *Dataset {
	keep := func(code string) bool {
		for _, p := range prefixes {
			if len(code) >= len(p) && code[:len(p)] == p {
				return true
			}
		}
		return false
	}
	out := &Dataset{Quotas: map[string][]Post{}}
	for _, r := range d.Regions {
		if len(r.Code) == 6 || keep(r.Code) {
			out.Regions = append(out.Regions, r)
		}
	}
	ids := map[string]bool{}
	for _, u := range d.Units {
		if keep(u.RegionCode) {
			out.Units = append(out.Units, u)
			out.Quotas[u.ID] = d.Quotas[u.ID]
			ids[u.ID] = true
		}
	}
	for _, c := range d.Charters {
		if ids[c.UnitID] {
			out.Charters = append(out.Charters, c)
		}
	}
	for _, p := range d.Hires {
		if ids[p.Unit] {
			out.Hires = append(out.Hires, p)
		}
	}
	return out
}

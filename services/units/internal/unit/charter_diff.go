package unit

// CountChange is a count that differs between two charter versions.
type CountChange struct {
	Key  string `json:"key"` // quota kind or leadership rank
	From int64  `json:"from"`
	To   int64  `json:"to"`
}

// SectionChange is a section whose large-section flag changed.
type SectionChange struct {
	Name      string `json:"name"`
	FromLarge bool   `json:"fromLarge"`
	ToLarge   bool   `json:"toLarge"`
}

// CharterDiff is what changed from one charter version to another.
type CharterDiff struct {
	UnitID           string          `json:"unitId"`
	From             int             `json:"from"`
	To               int             `json:"to"`
	FunctionsAdded   []Function      `json:"functionsAdded"`
	FunctionsRemoved []Function      `json:"functionsRemoved"`
	SectionsAdded    []Section       `json:"sectionsAdded"`
	SectionsRemoved  []Section       `json:"sectionsRemoved"`
	SectionsChanged  []SectionChange `json:"sectionsChanged"`
	Quotas           []CountChange   `json:"quotas"`
	LeadershipPosts  []CountChange   `json:"leadershipPosts"`
}

// Empty reports whether the two versions say the same thing.
func (d CharterDiff) Empty() bool {
	return len(d.FunctionsAdded)+len(d.FunctionsRemoved)+len(d.SectionsAdded)+len(d.SectionsRemoved)+
		len(d.SectionsChanged)+len(d.Quotas)+len(d.LeadershipPosts) == 0
}

// Diff compares charter a (older) with b (newer). Functions are matched by text; a
// function whose work-safety mark changed shows as removed and added, because the mark
// is part of what the charter states.
func Diff(a, b Charter) CharterDiff {
	d := CharterDiff{UnitID: b.UnitID, From: a.Version, To: b.Version,
		FunctionsAdded: []Function{}, FunctionsRemoved: []Function{}, SectionsAdded: []Section{},
		SectionsRemoved: []Section{}, SectionsChanged: []SectionChange{}, Quotas: []CountChange{}, LeadershipPosts: []CountChange{}}
	inA := map[Function]bool{}
	for _, f := range a.Functions {
		inA[f] = true
	}
	inB := map[Function]bool{}
	for _, f := range b.Functions {
		inB[f] = true
		if !inA[f] {
			d.FunctionsAdded = append(d.FunctionsAdded, f)
		}
	}
	for _, f := range a.Functions {
		if !inB[f] {
			d.FunctionsRemoved = append(d.FunctionsRemoved, f)
		}
	}
	secA := map[string]Section{}
	for _, s := range a.Sections {
		secA[s.Name] = s
	}
	secB := map[string]bool{}
	for _, s := range b.Sections {
		secB[s.Name] = true
		old, ok := secA[s.Name]
		switch {
		case !ok:
			d.SectionsAdded = append(d.SectionsAdded, s)
		case old.Large != s.Large:
			d.SectionsChanged = append(d.SectionsChanged, SectionChange{Name: s.Name, FromLarge: old.Large, ToLarge: s.Large})
		}
	}
	for _, s := range a.Sections {
		if !secB[s.Name] {
			d.SectionsRemoved = append(d.SectionsRemoved, s)
		}
	}
	qa, qb := map[string]int64{}, map[string]int64{}
	var qkeys []string
	for _, k := range QuotaKinds {
		qkeys = append(qkeys, string(k))
	}
	for _, q := range a.Quotas {
		qa[string(q.Kind)] += q.Count
	}
	for _, q := range b.Quotas {
		qb[string(q.Kind)] += q.Count
	}
	d.Quotas = countChanges(qkeys, qa, qb)
	pa, pb := map[string]int64{}, map[string]int64{}
	rankOrder := LeadershipRanks
	for _, p := range a.LeadershipPosts {
		pa[p.Rank] += p.Count
	}
	for _, p := range b.LeadershipPosts {
		pb[p.Rank] += p.Count
	}
	d.LeadershipPosts = countChanges(rankOrder, pa, pb)
	return d
}

func countChanges(order []string, a, b map[string]int64) []CountChange {
	out := []CountChange{}
	for _, k := range order {
		if a[k] != b[k] {
			out = append(out, CountChange{Key: k, From: a[k], To: b[k]})
		}
	}
	return out
}

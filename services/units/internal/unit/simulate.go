package unit

import "sort"

// SimUnit is a unit as a proposal would leave it.
type SimUnit struct {
	ID              string     `json:"id"`
	Name            string     `json:"name"`
	Status          Status     `json:"status"`
	MergedInto      string     `json:"mergedInto,omitempty"`
	Category        Category   `json:"category,omitempty"`
	New             bool       `json:"new"`
	Quotas          []Balance  `json:"quotas"`
	LeadershipPosts []PostLine `json:"leadershipPosts"`
}

// OverQuota is a count of incumbents above a unit's approved posts of one kind (超编).
type OverQuota struct {
	UnitID string    `json:"unitId"`
	Kind   QuotaKind `json:"kind"`
	Count  int64     `json:"count"`
}

// Simulation is the what-if answer: the findings the rules would raise, the steps that
// would run, and the units, leadership posts, over-quota incumbents and totals after.
type Simulation struct {
	ProposalID   string      `json:"proposalId"`
	Findings     []Finding   `json:"findings"`
	Steps        []Step      `json:"steps"`
	Units        []SimUnit   `json:"units"`
	OverQuota    []OverQuota `json:"overQuota"`
	Pool         []Balance   `json:"pool"`
	RegionBefore []Balance   `json:"regionBefore"`
	RegionAfter  []Balance   `json:"regionAfter"`
}

type pair struct{ approved, occupied int64 }

// Simulate computes what executing p would do, without side effects. Region totals sum
// every unit the proposal touches plus the region's pool; zero growth shows as equal
// before and after approved totals.
func Simulate(p Proposal, f Facts, posts map[string][]PostLine) Simulation {
	bal := map[string]map[QuotaKind]*pair{}
	get := func(id string, k QuotaKind) *pair {
		if bal[id] == nil {
			bal[id] = map[QuotaKind]*pair{}
		}
		if bal[id][k] == nil {
			bal[id][k] = &pair{}
		}
		return bal[id][k]
	}
	const pool = ""
	load := func(id string, bs []Balance) {
		for _, b := range bs {
			pr := get(id, b.Kind)
			pr.approved, pr.occupied = b.Approved, b.Occupied
		}
	}
	sims := map[string]*SimUnit{}
	touch := func(id string) *SimUnit {
		if s, ok := sims[id]; ok {
			return s
		}
		u := f.Units[id]
		s := &SimUnit{ID: id, Name: u.Name, Status: u.Status, MergedInto: u.MergedInto, Category: u.Category,
			LeadershipPosts: append([]PostLine{}, posts[id]...)}
		if s.Status == "" {
			s.Status = StatusActive
		}
		sims[id] = s
		load(id, f.Balances[id])
		return s
	}
	load(pool, f.PoolBalances)
	for _, id := range p.UnitIDs {
		touch(id)
	}
	for _, s := range p.QuotaSources {
		if s.FromUnitID != "" {
			touch(s.FromUnitID)
		}
	}
	if p.Kind == ProposalMerge && p.TargetUnitID != "" {
		touch(p.TargetUnitID)
	}
	before := sumAll(bal)
	recoverAll := func(id string) {
		for k, pr := range bal[id] {
			v := pr.approved - pr.occupied
			if v > 0 {
				pr.approved -= v
				get(pool, k).approved += v
			}
		}
	}
	switch p.Kind {
	case ProposalEstablish:
		for _, id := range p.UnitIDs {
			recoverAll(id)
			touch(id).Status = StatusAbolished
		}
		if p.NewUnit != nil {
			nid := NewUnitID(p)
			sims[nid] = &SimUnit{ID: nid, Name: p.NewUnit.Name, Status: StatusActive, Category: p.NewUnit.Category, New: true,
				LeadershipPosts: append([]PostLine{}, p.NewUnit.LeadershipPosts...)}
			for _, s := range p.QuotaSources {
				if s.FromUnitID != "" {
					touch(s.FromUnitID)
				}
				get(s.FromUnitID, s.Kind).approved -= s.Count
				get(nid, s.Kind).approved += s.Count
			}
		}
	case ProposalMerge:
		target := p.TargetUnitID
		if target == "" {
			target = NewUnitID(p)
			sims[target] = &SimUnit{ID: target, Status: StatusActive, New: true}
			if p.NewUnit != nil {
				sims[target].Name, sims[target].Category = p.NewUnit.Name, p.NewUnit.Category
				sims[target].LeadershipPosts = append([]PostLine{}, p.NewUnit.LeadershipPosts...)
			}
		}
		for _, id := range p.UnitIDs {
			for k, pr := range bal[id] {
				t := get(target, k)
				t.approved += pr.approved
				t.occupied += pr.occupied
				pr.approved, pr.occupied = 0, 0
			}
			s := touch(id)
			s.Status, s.MergedInto, s.LeadershipPosts = StatusMerged, target, []PostLine{}
		}
		for _, c := range p.QuotaCuts {
			get(target, c.Kind).approved -= c.Count
			get(pool, c.Kind).approved += c.Count
		}
	case ProposalAbolish:
		for _, id := range p.UnitIDs {
			recoverAll(id)
			touch(id).Status = StatusAbolished
		}
	case ProposalRename:
		for _, id := range p.UnitIDs {
			touch(id).Name = p.NewName
		}
	case ProposalChangeCategory:
		for _, id := range p.UnitIDs {
			touch(id).Category = p.NewCategory
		}
	case ProposalHandOver:
		for _, id := range p.UnitIDs {
			touch(id)
		}
	}
	sim := Simulation{ProposalID: p.ID, Findings: Check(p, f), Steps: Plan(p), OverQuota: []OverQuota{},
		RegionBefore: before, RegionAfter: sumAll(bal), Pool: balances(bal[pool])}
	for id, s := range sims {
		s.Quotas = balances(bal[id])
		for _, b := range s.Quotas {
			if b.Occupied > b.Approved {
				sim.OverQuota = append(sim.OverQuota, OverQuota{UnitID: id, Kind: b.Kind, Count: b.Occupied - b.Approved})
			}
		}
		sim.Units = append(sim.Units, *s)
	}
	sort.Slice(sim.Units, func(i, j int) bool { return sim.Units[i].ID < sim.Units[j].ID })
	sort.Slice(sim.OverQuota, func(i, j int) bool { return sim.OverQuota[i].UnitID < sim.OverQuota[j].UnitID })
	return sim
}

func balances(m map[QuotaKind]*pair) []Balance {
	out := []Balance{}
	for _, k := range QuotaKinds {
		if pr, ok := m[k]; ok && (pr.approved != 0 || pr.occupied != 0) {
			out = append(out, Balance{Kind: k, Approved: pr.approved, Occupied: pr.occupied, Vacant: pr.approved - pr.occupied})
		}
	}
	return out
}

func sumAll(bal map[string]map[QuotaKind]*pair) []Balance {
	tot := map[QuotaKind]*pair{}
	for _, m := range bal {
		for k, pr := range m {
			if tot[k] == nil {
				tot[k] = &pair{}
			}
			tot[k].approved += pr.approved
			tot[k].occupied += pr.occupied
		}
	}
	return balances(tot)
}

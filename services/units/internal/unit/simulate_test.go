package unit

import "testing"

func find(s Simulation, id string) SimUnit {
	for _, u := range s.Units {
		if u.ID == id {
			return u
		}
	}
	return SimUnit{}
}

func bal(bs []Balance, k QuotaKind) Balance { return balanceOf(bs, k) }

func TestSimulateMergeKeepsTotalsAndShowsOverQuota(t *testing.T) {
	t.Parallel()
	p, f := baseProposal(ProposalMerge), facts()
	posts := map[string][]PostLine{"T": {{Rank: "正科级", Count: 1}}, "A": {{Rank: "正科级", Count: 1}}}
	s := Simulate(p, f, posts)
	if len(s.Findings) != 0 || len(s.Steps) != 7 {
		t.Fatalf("findings %v, %d steps", s.Findings, len(s.Steps))
	}
	tg := find(s, "T")
	if b := bal(tg.Quotas, QuotaInstitutionFull); b.Approved != 56 || b.Occupied != 33 || b.Vacant != 23 {
		t.Fatalf("target after merge %+v", b)
	}
	if a := find(s, "A"); a.Status != StatusMerged || a.MergedInto != "T" || len(a.Quotas) != 0 || len(a.LeadershipPosts) != 0 {
		t.Fatalf("source after merge %+v", a)
	}
	if len(tg.LeadershipPosts) != 1 {
		t.Fatalf("target posts %+v", tg.LeadershipPosts)
	}
	if bal(s.RegionBefore, QuotaInstitutionFull) != bal(s.RegionAfter, QuotaInstitutionFull) {
		t.Fatalf("merger changed totals: %v → %v", s.RegionBefore, s.RegionAfter)
	}
	if len(s.OverQuota) != 0 {
		t.Fatalf("unexpected over quota %v", s.OverQuota)
	}
	// Cutting more than the vacancies leaves people over quota, and the rules say so.
	p.QuotaCuts = []QuotaLine{{Kind: QuotaInstitutionFull, Count: 30}}
	s = Simulate(p, f, posts)
	if len(s.OverQuota) != 1 || s.OverQuota[0] != (OverQuota{UnitID: "T", Kind: QuotaInstitutionFull, Count: 7}) {
		t.Fatalf("over quota %v", s.OverQuota)
	}
	if len(s.Findings) != 1 || s.Findings[0].Code != RuleCutOverIncumbents {
		t.Fatalf("findings %v", codes(s.Findings))
	}
	if bal(s.Pool, QuotaInstitutionFull).Approved != 33 {
		t.Fatalf("pool %v", s.Pool)
	}
	if bal(s.RegionBefore, QuotaInstitutionFull).Approved != bal(s.RegionAfter, QuotaInstitutionFull).Approved {
		t.Fatal("a cut to the pool changed the region total")
	}
}

func TestSimulateEstablishAndAbolish(t *testing.T) {
	t.Parallel()
	p, f := baseProposal(ProposalEstablish), facts()
	p.UnitIDs = []string{"B"}
	p.QuotaSources = []QuotaSource{{Kind: QuotaInstitutionFull, Count: 9}, {FromUnitID: "A", Kind: QuotaInstitutionFull, Count: 3}}
	s := Simulate(p, f, nil)
	n := find(s, NewUnitID(p))
	if !n.New || bal(n.Quotas, QuotaInstitutionFull).Approved != 12 {
		t.Fatalf("new unit %+v", n)
	}
	if b := find(s, "B"); b.Status != StatusAbolished || len(b.Quotas) != 0 {
		t.Fatalf("abolished %+v", b)
	}
	if got := bal(find(s, "A").Quotas, QuotaInstitutionFull); got.Approved != 17 || got.Vacant != 12 {
		t.Fatalf("source A %+v", got)
	}
	if got := bal(s.Pool, QuotaInstitutionFull).Approved; got != 0 {
		t.Fatalf("pool %d, want 3+6-9=0", got)
	}
	if bal(s.RegionBefore, QuotaInstitutionFull).Approved != bal(s.RegionAfter, QuotaInstitutionFull).Approved {
		t.Fatalf("zero growth broken: %v → %v", s.RegionBefore, s.RegionAfter)
	}

	a := baseProposal(ProposalAbolish)
	a.UnitIDs = []string{"A"}
	s = Simulate(a, f, nil)
	if got := bal(find(s, "A").Quotas, QuotaInstitutionFull); got.Approved != 5 || got.Occupied != 5 {
		t.Fatalf("abolished with people %+v", got)
	}
	if len(s.Findings) != 1 || s.Findings[0].Code != RuleAbolishedHasIncumbents {
		t.Fatalf("findings %v", codes(s.Findings))
	}
}

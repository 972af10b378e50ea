package mongostore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/units/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

var day = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func newStore(t *testing.T) *mongostore.Store {
	t.Helper()
	s := mongostore.New(testkit.Mongo(t))
	if err := s.EnsureIndexes(context.Background()); err != nil {
		t.Fatalf("EnsureIndexes: %v", err)
	}
	return s
}

func mkUnit(t *testing.T, id, region string) unit.Unit {
	t.Helper()
	lvl, _ := unit.LevelOfCode(region)
	u, err := unit.NewUnit(unit.Unit{ID: id, Name: "单位" + id, Kind: unit.KindInstitution, Category: unit.CategoryWelfare1,
		Level: lvl, RegionCode: region}, day, "doc")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestRegionsAndUnits(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	rs := unit.TaiyuanRegions()
	if err := s.PutRegions(ctx, rs); err != nil {
		t.Fatal(err)
	}
	if err := s.PutRegions(ctx, rs[:3]); err != nil {
		t.Fatal(err)
	}
	got, err := s.Regions(ctx)
	if err != nil || len(got) != len(rs) || got[0].Code != "140100" || got[1].Name != rs[1].Name {
		t.Fatalf("regions %d %v", len(got), err)
	}

	a := mkUnit(t, "A", "140100")
	if err := s.CreateUnit(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUnit(ctx, a); !errors.Is(err, mongostore.ErrDuplicate) {
		t.Fatalf("second create: %v", err)
	}
	n, err := s.CreateUnits(ctx, []unit.Unit{a, mkUnit(t, "B", "140105"), mkUnit(t, "C", "140105001")})
	if err != nil || n != 2 {
		t.Fatalf("batch created %d, %v; want 2 new", n, err)
	}
	if _, err := s.History(ctx, "nope"); !errors.Is(err, mongostore.ErrNotFound) {
		t.Fatalf("missing unit: %v", err)
	}
	h, err := s.History(ctx, "A")
	if err != nil || len(h) != 1 {
		t.Fatal(h, err)
	}
	next, err := h.Next(unit.Change{Kind: "rename", EffectiveFrom: day.AddDate(1, 0, 0), Apply: unit.Rename("新名", "")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AppendVersion(ctx, h, next); err != nil {
		t.Fatal(err)
	}
	// A second writer that read the same history loses the revision claim.
	other, _ := h.Next(unit.Change{Kind: "rename", EffectiveFrom: day.AddDate(1, 0, 0), Apply: unit.Rename("另一个名", "")})
	if err := s.AppendVersion(ctx, h, other); !errors.Is(err, mongostore.ErrDuplicate) {
		t.Fatalf("racing writer: %v", err)
	}
	h, _ = s.History(ctx, "A")
	if len(h) != 2 || h[1].Name != "新名" {
		t.Fatalf("history %+v", h)
	}
	if old, ok := h.AsOf(day); !ok || old.Name != "单位A" {
		t.Fatalf("asOf %+v", old)
	}

	list, err := s.ListUnits(ctx, mongostore.UnitFilter{RegionPrefix: "140105"})
	if err != nil || len(list) != 2 || list[0].ID != "B" || list[1].ID != "C" {
		t.Fatalf("list %+v %v", list, err)
	}
	list, _ = s.ListUnits(ctx, mongostore.UnitFilter{Level: unit.LevelTownship})
	if len(list) != 1 || list[0].ID != "C" {
		t.Fatalf("township list %+v", list)
	}
	list, _ = s.ListUnits(ctx, mongostore.UnitFilter{Limit: 1, Skip: 1})
	if len(list) != 1 || list[0].ID != "B" {
		t.Fatalf("paged list %+v", list)
	}
	all, err := s.AllHistories(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("histories %d %v", len(all), err)
	}
}

func TestChartersProposalsSteps(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	u := mkUnit(t, "A", "140100")
	c, err := unit.NewCharterDraft(u, 1, unit.Charter{Functions: []unit.Function{{Text: "职责", WorkSafety: true}},
		Quotas: []unit.QuotaLine{{Kind: unit.QuotaInstitutionFull, Count: 12}}}, "x", day)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InsertCharter(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertCharter(ctx, c); !errors.Is(err, mongostore.ErrDuplicate) {
		t.Fatalf("second draft of v1: %v", err)
	}
	got, err := s.Charter(ctx, "A", 1)
	if err != nil || got.QuotaTotal() != 12 || !got.StatesWorkSafety() {
		t.Fatalf("charter %+v %v", got, err)
	}
	m, err := s.ChartersByID(ctx, []string{c.ID, "missing#v0001"})
	if err != nil || len(m) != 1 || m["A"].ID != c.ID {
		t.Fatalf("by id %v %v", m, err)
	}

	p, err := unit.NewProposal(unit.Proposal{ID: "P1", Kind: unit.ProposalAbolish, Title: "撤销", RegionCode: "140100",
		FiledBy: "D", UnitIDs: []string{"A"}, EffectiveFrom: day}, unit.Actor{ID: "alice"}, day)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InsertProposal(ctx, p); err != nil {
		t.Fatal(err)
	}
	p2, _ := p.Apply(unit.ActionSubmit, unit.Actor{ID: "bob"}, day, unit.TransitionArgs{})
	if err := s.SaveProposal(ctx, p2); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveProposal(ctx, p2); !errors.Is(err, mongostore.ErrDuplicate) {
		t.Fatalf("stale save: %v", err)
	}
	got2, _ := s.Proposal(ctx, "P1")
	if got2.State != unit.StateResearch || len(got2.Transitions) != 1 {
		t.Fatalf("proposal %+v", got2)
	}
	list, _ := s.ListProposals(ctx, mongostore.ProposalFilter{RegionPrefix: "1401", State: unit.StateResearch})
	if len(list) != 1 {
		t.Fatalf("list %d", len(list))
	}

	st := unit.Plan(p)[0]
	r1, err := s.PrepareStep(ctx, mongostore.StepRecord{Step: st, Amounts: []unit.QuotaLine{{Kind: unit.QuotaInstitutionFull, Count: 7}}, PreparedAt: day})
	if err != nil || r1.Amounts[0].Count != 7 {
		t.Fatal(r1, err)
	}
	r2, err := s.PrepareStep(ctx, mongostore.StepRecord{Step: st, Amounts: []unit.QuotaLine{{Kind: unit.QuotaInstitutionFull, Count: 3}}, PreparedAt: day})
	if err != nil || r2.Amounts[0].Count != 7 || r2.Done {
		t.Fatalf("second prepare changed the amounts: %+v %v", r2, err)
	}
	if err := s.MarkStepDone(ctx, st.ID, "ok", day); err != nil {
		t.Fatal(err)
	}
	recs, err := s.StepRecords(ctx, []string{st.ID, "other"})
	if err != nil || len(recs) != 1 || !recs[st.ID].Done || recs[st.ID].Kind != st.Kind {
		t.Fatalf("records %+v %v", recs, err)
	}
}

func TestCreditsAreSpentOnce(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if err := s.GrantCredits(ctx, "P1/02-grant", "P1", "140105", 2); err != nil {
		t.Fatal(err)
	}
	if err := s.GrantCredits(ctx, "P1/02-grant", "P1", "140105", 2); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.UnusedCredits(ctx, "140105"); n != 2 {
		t.Fatalf("re-granting changed the balance: %d", n)
	}
	var wg sync.WaitGroup
	results := make([]error, 4)
	ids := make([]string, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], results[i] = s.ConsumeCredit(ctx, "E"+string(rune('a'+i)), "140105")
		}()
	}
	wg.Wait()
	won, seen := 0, map[string]bool{}
	for i, err := range results {
		switch {
		case err == nil:
			won++
			if seen[ids[i]] {
				t.Fatalf("credit %s spent twice", ids[i])
			}
			seen[ids[i]] = true
		case !errors.Is(err, mongostore.ErrNoCredit):
			t.Fatalf("consume: %v", err)
		}
	}
	if won != 2 {
		t.Fatalf("%d establishments got a credit, want 2", won)
	}
	// A resumed step gets back the credit it already spent.
	for i, err := range results {
		if err == nil {
			again, err := s.ConsumeCredit(ctx, "E"+string(rune('a'+i)), "140105")
			if err != nil || again != ids[i] {
				t.Fatalf("resume got %s %v, want %s", again, err, ids[i])
			}
		}
	}
	if n, _ := s.UnusedCredits(ctx, "140105"); n != 0 {
		t.Fatalf("unused %d", n)
	}
}

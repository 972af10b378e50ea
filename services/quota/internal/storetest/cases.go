package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

func plan(id string) ledger.UsagePlan {
	return ledger.UsagePlan{ID: id, Unit: "u1", Kind: ledger.KindAdministrative, Count: 3, Purpose: "补充教师", Year: 2026,
		State: ledger.PlanFiled, FiledBy: "hr-1", CreatedAt: t0}
}

func storedPlan(p ledger.UsagePlan) ledger.UsagePlan {
	p.CreatedAt = stored(p.CreatedAt)
	return p
}

var planTests = []test{
	{"insert, read, update", func(t *testing.T, s ledger.Store) {
		p := plan("p1")
		must(t, s.InsertPlan(ctx(t), p), "InsertPlan")
		got, err := s.Plan(ctx(t), "p1")
		must(t, err, "Plan")
		equal(t, "Plan", got, storedPlan(p))
		p.State, p.HoldID, p.DecidedBy, p.DocNo = ledger.PlanApproved, "h1", "city-1", "晋编〔2026〕9号"
		must(t, s.UpdatePlan(ctx(t), p), "UpdatePlan")
		got, _ = s.Plan(ctx(t), "p1")
		equal(t, "decided plan", got, storedPlan(p))
	}},
	{"duplicate id", func(t *testing.T, s ledger.Store) {
		must(t, s.InsertPlan(ctx(t), plan("p1")), "InsertPlan")
		other := plan("p1")
		other.Count = 30
		isDuplicate(t, s.InsertPlan(ctx(t), other), "second InsertPlan")
		got, _ := s.Plan(ctx(t), "p1")
		equal(t, "the first plan stays", got, storedPlan(plan("p1")))
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		_, err := s.Plan(ctx(t), "p1")
		isNotFound(t, err, "Plan")
		isNotFound(t, s.UpdatePlan(ctx(t), plan("p1")), "UpdatePlan")
		_, err = s.Plan(ctx(t), "p1")
		isNotFound(t, err, "Plan after the update of nothing")
	}},
}

func kase(id string) ledger.Case {
	return ledger.Case{ID: id, Subject: "d1", Region: "140105", Violation: ledger.ViolationOverQuota, Facts: "超编进人",
		Interview: "约谈记录", PenaltyPosts: 2, State: ledger.CaseOpen, OpenedBy: "city-1", OpenerRegion: "140100", OpenedAt: t0}
}

func storedCase(c ledger.Case) ledger.Case {
	c.OpenedAt, c.ClosedAt = stored(c.OpenedAt), stored(c.ClosedAt)
	return c
}

var caseTests = []test{
	{"insert, read, update", func(t *testing.T, s ledger.Store) {
		c := kase("c1")
		must(t, s.InsertCase(ctx(t), c), "InsertCase")
		got, err := s.Case(ctx(t), "c1")
		must(t, err, "Case")
		equal(t, "Case", got, storedCase(c))
		c.Deducted, c.Penalized = 1, true
		must(t, s.UpdateCase(ctx(t), c), "UpdateCase penalized")
		got, _ = s.Case(ctx(t), "c1")
		equal(t, "penalized case", got, storedCase(c))
		c.Rectification, c.State, c.ClosedAt, c.ClosedBy = "已整改", ledger.CaseClosed, at(30*24*time.Hour), "province-1"
		must(t, s.UpdateCase(ctx(t), c), "UpdateCase")
		got, _ = s.Case(ctx(t), "c1")
		equal(t, "closed case", got, storedCase(c))
	}},
	{"duplicate id", func(t *testing.T, s ledger.Store) {
		must(t, s.InsertCase(ctx(t), kase("c1")), "InsertCase")
		other := kase("c1")
		other.Subject = "u1"
		isDuplicate(t, s.InsertCase(ctx(t), other), "second InsertCase")
		got, _ := s.Case(ctx(t), "c1")
		equal(t, "the first case stays", got, storedCase(kase("c1")))
	}},
	{"open cases", func(t *testing.T, s ledger.Store) {
		for _, id := range []string{"c3", "c1", "c2", "c4"} {
			must(t, s.InsertCase(ctx(t), kase(id)), "InsertCase "+id)
		}
		closed := kase("c2")
		closed.State, closed.ClosedAt, closed.ClosedBy, closed.Penalized = ledger.CaseClosed, at(time.Hour), "city-1", true
		must(t, s.UpdateCase(ctx(t), closed), "UpdateCase c2")
		penalized := kase("c4")
		penalized.Penalized, penalized.Deducted = true, 2
		must(t, s.UpdateCase(ctx(t), penalized), "UpdateCase c4")
		got, err := s.OpenCases(ctx(t))
		must(t, err, "OpenCases")
		equal(t, "OpenCases", sortedBy(got, byCaseID), []ledger.Case{storedCase(kase("c1")), storedCase(kase("c3")), storedCase(penalized)})
		got[0].Subject = "changed in the list"
		c, _ := s.Case(ctx(t), got[0].ID)
		if c.Subject == "changed in the list" {
			t.Error("changing the list changed the store")
		}
		must(t, s.UpdateCase(ctx(t), closed), "UpdateCase c2 again")
	}},
	{"no open cases", func(t *testing.T, s ledger.Store) {
		got, err := s.OpenCases(ctx(t))
		if err != nil || len(got) != 0 {
			t.Errorf("OpenCases of an empty store = %v, %v", got, err)
		}
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		_, err := s.Case(ctx(t), "c1")
		isNotFound(t, err, "Case")
		isNotFound(t, s.UpdateCase(ctx(t), kase("c1")), "UpdateCase")
		_, err = s.Case(ctx(t), "c1")
		isNotFound(t, err, "Case after the update of nothing")
	}},
}

func byCaseID(c ledger.Case) string { return c.ID }

// blocks reads the open cases of subjects, each list sorted (the interface
// does not order them).
func blocks(t *testing.T, s ledger.Store, subjects ...string) ledger.Blocks {
	t.Helper()
	b, err := s.Blocks(ctx(t), subjects...)
	must(t, err, "Blocks")
	if b == nil {
		t.Fatal("Blocks answered a nil map")
	}
	for k, v := range b {
		v = slices.Clone(v)
		slices.Sort(v)
		b[k] = v
	}
	return b
}

var blockTests = []test{
	{"block and unblock", func(t *testing.T, s ledger.Store) {
		must(t, s.Block(ctx(t), "d1", "c1"), "Block d1 c1")
		must(t, s.Block(ctx(t), "d1", "c2"), "Block d1 c2")
		must(t, s.Block(ctx(t), "u1", "c3"), "Block u1 c3")
		must(t, s.Block(ctx(t), "d1", "c1"), "Block d1 c1 again")
		equal(t, "Blocks u1 d1 u9", blocks(t, s, "u1", "d1", "u9"), ledger.Blocks{"u1": {"c3"}, "d1": {"c1", "c2"}})
		equal(t, "Blocks d1", blocks(t, s, "d1"), ledger.Blocks{"d1": {"c1", "c2"}})
		equal(t, "Blocks d1 d1", blocks(t, s, "d1", "d1"), ledger.Blocks{"d1": {"c1", "c2"}})
		equal(t, "Blocks u9", blocks(t, s, "u9"), ledger.Blocks{})

		must(t, s.Unblock(ctx(t), "d1", "c1"), "Unblock d1 c1")
		must(t, s.Unblock(ctx(t), "d1", "c1"), "Unblock d1 c1 again")
		must(t, s.Unblock(ctx(t), "u9", "c1"), "Unblock a subject never blocked")
		equal(t, "after closing c1", blocks(t, s, "u1", "d1"), ledger.Blocks{"u1": {"c3"}, "d1": {"c2"}})
		must(t, s.Unblock(ctx(t), "d1", "c2"), "Unblock d1 c2")
		b := blocks(t, s, "d1", "u1")
		if _, ok := b["d1"]; ok {
			t.Errorf("a subject without open cases is listed: %v", b)
		}
		equal(t, "after closing c2", b, ledger.Blocks{"u1": {"c3"}})
		if err := ledger.CheckNotBlocked(blocks(t, s, "u2", "d1"), "u2", "d1"); err != nil {
			t.Errorf("still blocked after the department's cases closed: %v", err)
		}
		if err := ledger.CheckNotBlocked(blocks(t, s, "u1", "d1"), "u1", "d1"); err == nil {
			t.Error("u1 is not blocked while c3 is open")
		}
		must(t, s.Block(ctx(t), "d1", "c4"), "Block d1 again after closing")
		equal(t, "reopened", blocks(t, s, "d1"), ledger.Blocks{"d1": {"c4"}})
	}},
	{"no subjects", func(t *testing.T, s ledger.Store) {
		must(t, s.Block(ctx(t), "d1", "c1"), "Block")
		equal(t, "Blocks()", blocks(t, s), ledger.Blocks{})
		equal(t, "Blocks of empty subjects", blocks(t, s, "", ""), ledger.Blocks{})
		equal(t, "Blocks of an empty subject and d1", blocks(t, s, "", "d1"), ledger.Blocks{"d1": {"c1"}})
	}},
	{"blocks are copies", func(t *testing.T, s ledger.Store) {
		must(t, s.Block(ctx(t), "d1", "c1"), "Block")
		b, _ := s.Blocks(ctx(t), "d1")
		b["d1"][0] = "changed"
		b["u1"] = []string{"invented"}
		equal(t, "Blocks after changing the answer", blocks(t, s, "d1", "u1"), ledger.Blocks{"d1": {"c1"}})
	}},
}

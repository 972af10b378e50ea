package quotaclient_test

import (
	"context"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	qc "github.com/bianzhi/bianzhi/services/quota/client"
	quota "github.com/bianzhi/bianzhi/services/quota/inproc"
	"github.com/bianzhi/bianzhi/services/units/internal/quotaclient"
	"github.com/bianzhi/bianzhi/services/units/internal/service"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// TestAdapterAgainstTheRealQuotaService runs the adapter against the quota service
// in-process on its own FerretDB database: charter approvals, moves, recovery to the
// pool and the discipline check, and the same keys sent twice changing nothing.
func TestAdapterAgainstTheRealQuotaService(t *testing.T) {
	ctx := context.Background()
	q, err := quota.Start(ctx, testkit.Env(t, nil), platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	url := testkit.StartApp(t, q)
	tok := testkit.NewTokens(t).Service(t, "units")
	c, err := svcclient.New(svcclient.Options{BaseURL: url, Service: "quota", Caller: "units",
		TokenSource: func(context.Context) (string, error) { return tok, nil }})
	if err != nil {
		t.Fatal(err)
	}
	raw := func(path, key string, in any) {
		t.Helper()
		if err := c.Do(ctx, "POST", path, in, nil, svcclient.WithIdempotencyKey(key)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	// The city's control total for full-funded institution posts: 100 from the province.
	k := string(unit.QuotaInstitutionFull)
	raw("/v1/accounts", "o1", qc.OpenAccount{ID: "ext:province:" + k})
	raw("/v1/accounts", "o2", qc.OpenAccount{ID: "pool:control:140100:" + k, Region: "140100"})
	raw("/v1/transfers", "adj", qc.TransferRequest{Kind: "adjust_control", From: "ext:province:" + k, To: "pool:control:140100:" + k,
		Amount: 100, DocNo: "晋编〔2024〕1号"})
	raw("/v1/accounts", "o3", qc.OpenAccount{ID: "pool:recovered:140100:" + k, Region: "140100"})

	a := quotaclient.New(c)
	var port service.Quota = a
	lines := []unit.QuotaLine{{Kind: unit.QuotaInstitutionFull, Count: 30}}
	for range 2 {
		if err := port.SetApproved(ctx, "charter:A#v0001", "A", "140100", lines, "并编〔2024〕3号"); err != nil {
			t.Fatal(err)
		}
	}
	if err := port.SetApproved(ctx, "charter:B#v0001", "B", "140100", []unit.QuotaLine{{Kind: unit.QuotaInstitutionFull, Count: 10}}, "并编〔2024〕4号"); err != nil {
		t.Fatal(err)
	}
	bal := func(id string) unit.Balance {
		t.Helper()
		bs, err := port.Balances(ctx, []string{id})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs[id] {
			if b.Kind == unit.QuotaInstitutionFull {
				return b
			}
		}
		return unit.Balance{}
	}
	if b := bal("A"); b.Approved != 30 || b.Vacant != 30 {
		t.Fatalf("A after approval %+v", b)
	}
	mv := service.Move{From: "A", To: "B", Region: "140100", Kind: unit.QuotaInstitutionFull, Count: 12, DocNo: "并编〔2024〕9号", Reason: "合并"}
	for range 2 {
		if err := port.Move(ctx, "P1/01-quota_move", mv); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := bal("A"), bal("B"); a.Approved != 18 || b.Approved != 22 {
		t.Fatalf("after move A=%d B=%d, want 18 and 22", a.Approved, b.Approved)
	}
	if err := port.Move(ctx, "P2/00-recover", service.Move{From: "A", Region: "140100", Kind: unit.QuotaInstitutionFull, Count: 18,
		DocNo: "并编〔2024〕10号", Reason: "撤销"}); err != nil {
		t.Fatal(err)
	}
	pool, err := port.PoolBalances(ctx, "140100")
	if err != nil || len(pool) != 1 || pool[0].Approved != 18 {
		t.Fatalf("pool %+v %v", pool, err)
	}
	// Charter v2 cuts B to 15: five go back to the pool.
	if err := port.SetApproved(ctx, "charter:B#v0002", "B", "140100", []unit.QuotaLine{{Kind: unit.QuotaInstitutionFull, Count: 15}}, "并编〔2025〕1号"); err != nil {
		t.Fatal(err)
	}
	if b := bal("B"); b.Approved != 15 {
		t.Fatalf("B after cut %+v", b)
	}
	// More than is vacant: the ledger refuses, and the refusal is not "unavailable".
	err = port.Move(ctx, "P3/00-quota_move", service.Move{From: "B", To: "A", Region: "140100", Kind: unit.QuotaInstitutionFull, Count: 99, DocNo: "x", Reason: "x"})
	if err == nil {
		t.Fatal("moving 99 of 15 posts succeeded")
	}
	open, err := port.DisciplineOpen(ctx, "B")
	if err != nil || open {
		t.Fatalf("discipline %v %v", open, err)
	}
	raw("/v1/cases", "case1", qc.OpenCase{Subject: "B", Region: "140100", Violation: "over_quota_hiring", Facts: "超编进人"})
	if open, err := port.DisciplineOpen(ctx, "B"); err != nil || !open {
		t.Fatalf("after a case: %v %v", open, err)
	}
}

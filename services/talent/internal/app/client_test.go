package app_test

import (
	"context"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/svcclient"

	"github.com/bianzhi/bianzhi/services/talent/client"
)

// TestTypedClient drives the service through its typed client, so the client's wire types are
// proven against what the service renders.
func TestTypedClient(t *testing.T) {
	ctx := context.Background()
	s := startStack(t)
	office := s.office(t)
	office.fundPool("culture", 1)
	office.fullUnit("museum-1", "dept-culture", 1)
	as := func(token string) *client.Client {
		c, err := client.New(svcclient.Options{BaseURL: s.talent, Caller: "test",
			TokenSource: func(context.Context) (string, error) { return token, nil }})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	hr := as(s.tokens.UnitHR(t, "140105", "museum-1"))
	city := as(s.tokens.CityAdmin(t))

	f := filing("museum-1", 30, "culture")
	cand := f["candidate"].(map[string]any)
	in := client.FileCase{Unit: "museum-1", Application: client.Application{
		Candidate: client.Candidate{Name: cand["name"].(string), IDNumber: cand["idNumber"].(string), Degree: "master",
			Title: "senior", Field: "文物保护"},
		Post: "文物修复首席专家", Ground: "special_field", Reason: "国家一级文物修复急需", Tier: "top", SubPool: "culture", Kind: kind}}
	c, err := hr.File(ctx, "k-30", in)
	if err != nil || c.Status != "filed" || c.StatusLabel == "" || c.Application.Candidate.Title != "senior" {
		t.Fatalf("file: %+v %v", c, err)
	}
	if c, err = city.Act(ctx, c.ID, client.ActAccept, client.Act{}); err != nil || c.HoldID == "" || c.HoldExpiresAt == nil {
		t.Fatalf("accept: %+v %v", c, err)
	}
	second, err := hr.File(ctx, "k-31", client.FileCase{Unit: "museum-1", Application: func() client.Application {
		a := in.Application
		a.Candidate.IDNumber = candidateID(31)
		return a
	}()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = city.Act(ctx, second.ID, client.ActAccept, client.Act{})
	if e := apperr.From(err); e.Code != apperr.CodeQuotaExhausted || e.Status != 409 {
		t.Fatalf("accept on an empty pool: %+v", e)
	}
	if c, err = hr.Act(ctx, c.ID, client.ActHire, client.Act{EntryDate: "2026-03-01", DocNo: "并人才〔2026〕30号"}); err != nil || c.HiredAt == nil {
		t.Fatalf("hire: %+v %v", c, err)
	}
	h, err := city.History(ctx, c.ID)
	if err != nil || len(h.Items) != 2 || h.Items[1].Event != "hire" || h.Items[1].Key == "" {
		t.Fatalf("history: %+v %v", h, err)
	}
	list, err := hr.Cases(ctx, nil)
	if err != nil || list.Count != 2 {
		t.Fatalf("list: %+v %v", list, err)
	}
	st, err := city.PoolStatement(ctx)
	if err != nil || st.Total.OnLoan != 1 || st.Total.Capacity == nil || *st.Total.Capacity != 1 || !st.LedgerComplete ||
		len(st.BySubPool) != 1 || st.BySubPool[0].SubPool != "culture" {
		t.Fatalf("statement: %+v %v", st, err)
	}
	if od, err := city.OverdueLoans(ctx); err != nil || od.Count != 0 {
		t.Fatalf("overdue: %+v %v", od, err)
	}
	if rep, err := city.ReturnDue(ctx); err != nil || rep.Returned != 0 || len(rep.Failed) != 0 {
		t.Fatalf("return-due: %+v %v", rep, err)
	}
}

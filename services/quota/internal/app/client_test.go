package app_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/quota/client"
)

// TestClient drives the service the way units and talent do: through the
// typed client, with a service token.
func TestClient(t *testing.T) {
	tk := testkit.NewTokens(t)
	url_ := startQuota(t, testkit.Env(t, nil))
	seedUnit(api{t, url_, tk.CityAdmin(t)}, "u1", 3)
	svcTok := tk.Mint(t, mintService())
	c, err := client.New(svcclient.Options{BaseURL: url_, Caller: "talent", TokenSource: func(context.Context) (string, error) { return svcTok, nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.OpenAccount(ctx, client.OpenAccount{ID: client.UnitAccount("u2", kind), Region: "140105", Department: "edu"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Transfer(ctx, "mv1", client.TransferRequest{Kind: "move_unit", From: client.UnitAccount("u1", kind), To: client.UnitAccount("u2", kind), Amount: 1, DocNo: "调〔2025〕1号"}); err != nil {
		t.Fatal(err)
	}
	p, err := c.Hire(ctx, "hire-1", hire("u2", 1))
	if err != nil || p.State != "active" || p.Gender == "" || p.BirthDate == "" {
		t.Fatalf("hire: %+v %v", p, err)
	}
	if again, err := c.Hire(ctx, "hire-1", hire("u2", 1)); err != nil || again.IDNumber != p.IDNumber {
		t.Fatalf("retried hire: %+v %v", again, err)
	}
	// The same person into a unit with room (into a full one the red line
	// refuses first, without reading anyone's record).
	_, err = c.Hire(ctx, "hire-2", hire("u1", 1))
	if !apperr.Is(err, "duplicate_person") {
		t.Fatalf("second hire of one person: %v", err)
	}
	_, err = c.Hire(ctx, "hire-3", hire("u2", 2))
	var e *apperr.Error
	if !apperr.Is(err, apperr.CodeQuotaExhausted) || !asApp(err, &e) || e.Extra["approved"] != float64(1) {
		t.Fatalf("full unit: %v", err)
	}
	h, err := c.PlaceHold(ctx, "hold-1", client.PlaceHold{Account: client.UnitAccount("u1", kind), Amount: 2, ExpiresAt: time.Now().Add(time.Hour)})
	if err != nil || h.Amount != 2 {
		t.Fatalf("hold: %+v %v", h, err)
	}
	if h, err = c.VoidHold(ctx, h.ID); err != nil || h.Voided != 2 {
		t.Fatalf("void: %+v %v", h, err)
	}
	cc, err := c.CaseCheck(ctx, "u2", "edu")
	if err != nil || cc.Blocked {
		t.Fatalf("case check: %+v %v", cc, err)
	}
	bs, err := c.Balances(ctx, url.Values{"region": {"140105"}, "type": {"unit"}})
	if err != nil || len(bs.Accounts) != 2 || bs.Total.Approved != 3 || bs.Total.Occupied != 1 {
		t.Fatalf("balances: %+v %v", bs, err)
	}
	if res, err := c.OpenAccounts(ctx, "open-batch", []client.OpenAccount{{ID: client.UnitAccount("u3", kind), Region: "140105"}, {ID: client.UnitAccount("u2", kind), Region: "140105", Department: "edu"}}); err != nil || res.OK != 2 {
		t.Fatalf("open accounts batch: %+v %v", res, err)
	}
	if moved, err := c.MoveIncumbents(ctx, "merge", "u2", "u3", "并编〔2025〕30号"); err != nil || moved != 1 {
		t.Fatalf("merger moved %d: %v", moved, err)
	}
	if p, err := c.Incumbent(ctx, p.IDNumber); err != nil || p.Unit != "u3" || p.State != "active" {
		t.Fatalf("person after the merger: %+v %v", p, err)
	}
	chk, err := c.CheckLedger(ctx)
	if err != nil || !chk.OK {
		t.Fatalf("check: %+v %v", chk, err)
	}
}

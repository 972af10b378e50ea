package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// TestPlansReportsAndHistory files and approves a usage plan, moves quota
// down the levels, and reads the reports, an as-of balance and the metrics.
func TestPlansReportsAndHistory(t *testing.T) {
	tk := testkit.NewTokens(t)
	a := api{t, startQuota(t, testkit.Env(t, nil)), tk.CityAdmin(t)}
	seedUnit(a, "u1", 10)
	a.must("POST", "/v1/accounts", "open-ctl-140105001", client.OpenAccount{ID: "pool:control:140105001:" + kind}, nil)
	a.must("POST", "/v1/transfers", "adj-more", client.TransferRequest{Kind: "adjust_control", From: "ext:province:" + kind, To: "pool:control:140105:" + kind, Amount: 5, DocNo: "晋编〔2025〕3号"}, nil)
	a.must("POST", "/v1/transfers", "sink", client.TransferRequest{Kind: "move_level", From: "pool:control:140105:" + kind, To: "pool:control:140105001:" + kind, Amount: 5, DocNo: "并编〔2025〕8号"}, nil)
	// The county's control total is now empty: a further move is refused (zero growth).
	if code, p := a.do("POST", "/v1/transfers", "sink2", client.TransferRequest{Kind: "move_level", From: "pool:control:140105:" + kind, To: "pool:control:140105001:" + kind, Amount: 1, DocNo: "d"}, nil); code != 409 || p["code"] != "quota_exhausted" {
		t.Fatalf("moving quota the county does not have: %d %v", code, p)
	}

	hr := api{t, a.url, tk.UnitHR(t, "140105", "u1")}
	var plan struct{ ID, State, HoldID string }
	hr.must("POST", "/v1/plans", "plan-1", map[string]any{"unit": "u1", "kind": kind, "count": 2, "purpose": "招录执法人员", "year": ledger.Year(time.Now())}, &plan)
	if code, _ := hr.do("POST", "/v1/plans/"+plan.ID+"/decision", "dec-hr", map[string]any{"approve": true, "docNo": "d"}, nil); code != 403 {
		t.Fatalf("a unit approved its own plan: %d", code)
	}
	a.must("POST", "/v1/plans/"+plan.ID+"/decision", "dec-1", map[string]any{"approve": true, "docNo": "并编〔2025〕9号"}, &plan)
	if plan.State != "approved" || plan.HoldID == "" {
		t.Fatalf("plan %+v", plan)
	}
	h := hire("u1", 1)
	h.HoldID = plan.HoldID
	hr.must("POST", "/v1/incumbents", "h1", h, nil)

	var acc client.Account
	a.must("GET", "/v1/accounts/unit:u1:"+kind, "", nil, &acc)
	if acc.Balance != (client.Balance{Approved: 10, Held: 1, Occupied: 1, Vacant: 8}) {
		t.Fatalf("balance %+v", acc.Balance)
	}
	a.must("GET", "/v1/accounts/unit:u1:"+kind+"?asOf=2000-01-01", "", nil, &acc)
	if acc.Balance != (client.Balance{}) || acc.Seq != 0 {
		t.Fatalf("balance as of 2000 %+v", acc)
	}

	var then client.Balances
	a.must("GET", "/v1/balances?region=140105&type=unit&asOf=2000-01-01", "", nil, &then)
	if len(then.Accounts) != 1 || then.Total != (client.Balance{}) || then.Accounts[0].AsOf == nil {
		t.Fatalf("region balances as of 2000: %+v", then)
	}
	a.must("GET", "/v1/balances?region=140105&type=unit&asOf="+time.Now().In(ledger.China).Format(time.DateOnly), "", nil, &then)
	if then.Total != (client.Balance{Approved: 10, Held: 1, Occupied: 1, Vacant: 8}) {
		t.Fatalf("region balances as of today: %+v", then.Total)
	}
	var rf struct {
		Lines []ledger.RollForward `json:"lines"`
	}
	a.must("GET", "/v1/reports/roll-forward?region=140105", "", nil, &rf)
	var closing int64
	for _, l := range rf.Lines {
		closing += l.Closing
	}
	if closing != 15 {
		t.Fatalf("roll-forward closings %d, want the 15 adjusted in (%+v)", closing, rf.Lines)
	}
	var lm struct {
		Moves []ledger.LevelMove `json:"moves"`
	}
	a.must("GET", "/v1/reports/level-moves?region=140100", "", nil, &lm)
	if len(lm.Moves) != 1 || lm.Moves[0].Posts != 5 || lm.Moves[0].From != ledger.LevelCounty || lm.Moves[0].To != ledger.LevelTownship {
		t.Fatalf("level moves %+v", lm.Moves)
	}
	a.must("POST", "/v1/accounts", "open-recovered", client.OpenAccount{ID: "pool:recovered:140105:" + kind}, nil)
	a.must("POST", "/v1/transfers", "rec", client.TransferRequest{Kind: "recover", From: "unit:u1:" + kind, To: "pool:recovered:140105:" + kind, Amount: 3, DocNo: "职能评估收回"}, nil)
	a.must("POST", "/v1/transfers", "realloc", client.TransferRequest{Kind: "reallocate", From: "pool:recovered:140105:" + kind, To: "unit:u1:" + kind, Amount: 1, DocNo: "充实教育"}, nil)
	var rec struct {
		Recovered struct {
			Recovered, Reallocated int64
			Lines                  []struct{ Kind, From, To string }
		} `json:"recovered"`
	}
	a.must("GET", "/v1/reports/recovered?region=140105", "", nil, &rec)
	if rec.Recovered.Recovered != 3 || rec.Recovered.Reallocated != 1 || len(rec.Recovered.Lines) != 2 || rec.Recovered.Lines[1].To != "unit:u1:"+kind {
		t.Fatalf("recovered report %+v", rec.Recovered)
	}
	if code, _ := a.do("GET", "/v1/reports/flows?year=19", "", nil, nil); code != 400 {
		t.Fatalf("bad year: %d", code)
	}
	var chk client.Check
	a.must("GET", "/v1/checks/ledger", "", nil, &chk)
	if !chk.OK {
		t.Fatalf("check %+v", chk)
	}
	resp, err := http.Get(a.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`bianzhi_ledger_transfers_total{kind="hold",outcome="posted"} 1`,
		`bianzhi_ledger_transfers_total{kind="move_level",outcome="rejected"} 1`,
		`bianzhi_ledger_redline_refusals_total 1`,
		`bianzhi_ledger_check_ok 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

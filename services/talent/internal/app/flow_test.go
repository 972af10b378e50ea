package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	quota "github.com/bianzhi/bianzhi/services/quota/client"
)

// TestFlowFileAcceptHireVacancyReturn is the end-to-end flow over HTTP with the real quota
// service: a full hospital files a case, the city office accepts it (a hold on the pool), the
// hospital hires (the post is lent and the doctor becomes its incumbent), a retirement opens a
// natural vacancy, the job returns the loan; the pool is whole and the ledger checker clean.
func TestFlowFileAcceptHireVacancyReturn(t *testing.T) {
	s := startStack(t)
	office := s.office(t)
	office.fundPool("health", 3)
	office.fullUnit("hosp-1", "dept-health", 2)
	pool := "pool:talent:health:" + kind
	unitAcct := "unit:hosp-1:" + kind

	hr := s.talentAs(t, s.tokens.UnitHR(t, "140105", "hosp-1"))
	city := s.talentAs(t, s.tokens.CityAdmin(t))

	var c caseView
	if code, p := hr.do("POST", "/v1/cases", "file-1", filing("hosp-1", 1, "health"), &c); code != 201 {
		t.Fatalf("file: %d %v", code, p)
	}
	var again caseView
	if hr.must("POST", "/v1/cases", "file-1", filing("hosp-1", 1, "health"), &again); again.ID != c.ID {
		t.Fatalf("a repeated filing made another case: %s vs %s", again.ID, c.ID)
	}
	city.must("POST", "/v1/cases/"+c.ID+"/accept", "", nil, &c)
	if c.Status != "accepted" || c.HoldID == "" {
		t.Fatalf("accepted: %+v", c)
	}
	if b := office.balance(pool); b != (quota.Balance{Approved: 3, Held: 1, Vacant: 2}) {
		t.Fatalf("pool after the hold: %+v", b)
	}
	if code, p := hr.do("POST", "/v1/cases/"+c.ID+"/hire", "", map[string]any{"entryDate": "2026-01-05"}, &c); code != 200 {
		t.Fatalf("hire: %d %v", code, p)
	}
	if c.Status != "hired" || c.LoanID == "" {
		t.Fatalf("hired: %+v", c)
	}
	if b := office.balance(unitAcct); b != (quota.Balance{Approved: 3, Occupied: 3}) {
		t.Fatalf("unit after the loan: %+v", b)
	}
	var person quota.Incumbent
	office.must("GET", "/v1/incumbents/"+candidateID(1), "", nil, &person)
	if person.Unit != "hosp-1" || person.Channel != "talent_pool" || person.State != "active" {
		t.Fatalf("the doctor on the ledger: %+v", person)
	}

	var rep struct{ Returned, Overdue int }
	city.must("POST", "/v1/loans/return-due", "", nil, &rep)
	if rep.Returned != 0 {
		t.Fatalf("returned without a vacancy: %+v", rep)
	}
	office.must("POST", "/v1/incumbents/"+staffID(0)+"/exit", "exit-0", quota.Exit{Reason: "retirement", Date: "2026-06-30"}, nil)
	city.must("POST", "/v1/loans/return-due", "", nil, &rep)
	if rep.Returned != 1 {
		t.Fatalf("the vacancy should return the loan: %+v", rep)
	}
	city.must("GET", "/v1/cases/"+c.ID, "", nil, &c)
	if c.Status != "returned_to_pool" {
		t.Fatalf("after return: %+v", c)
	}
	if b := office.balance(pool); b != (quota.Balance{Approved: 3, Vacant: 3}) {
		t.Fatalf("the pool is not whole: %+v", b)
	}
	if b := office.balance(unitAcct); b != (quota.Balance{Approved: 2, Occupied: 2}) {
		t.Fatalf("unit after the return: %+v", b)
	}
	office.checkClean()

	var st struct {
		Recruited int64
		Total     struct{ Capacity, Free, Returned, OnLoan int64 }
		HireTime  struct{ Count int }
	}
	city.must("GET", "/v1/reports/pool", "", nil, &st)
	if st.Recruited != 2776+1 || st.Total.Capacity != 3 || st.Total.Free != 3 || st.Total.Returned != 1 ||
		st.Total.OnLoan != 0 || st.HireTime.Count != 1 {
		t.Fatalf("pool statement: %+v", st)
	}
	var hist struct {
		Items []struct{ Event, Outcome string }
	}
	city.must("GET", "/v1/cases/"+c.ID+"/history", "", nil, &hist)
	if len(hist.Items) != 3 || hist.Items[2].Event != "return_loan" || hist.Items[2].Outcome != "done" {
		t.Fatalf("history: %+v", hist)
	}
	resp, err := http.Get(s.talent + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	for _, want := range []string{`bianzhi_talent_steps_total{event="accept",outcome="done"} 1`,
		`bianzhi_talent_steps_total{event="return_loan",outcome="done"} 1`, `bianzhi_talent_return_due_total{what="returned"} 1`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

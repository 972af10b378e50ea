package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"

	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/testkit"
	quota "github.com/bianzhi/bianzhi/services/quota/client"
	quotainproc "github.com/bianzhi/bianzhi/services/quota/inproc"

	"github.com/bianzhi/bianzhi/services/talent/internal/app"
	"github.com/bianzhi/bianzhi/services/talent/internal/config"
	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

const kind = "institution_full"

// stack is a real quota service and a real talent service in this process, each with its own
// database on the embedded FerretDB, talking HTTP.
type stack struct {
	quota, talent string
	tokens        *testkit.Tokens
	cfg           config.Config // the talent service's
}

func startStack(t testing.TB) stack {
	t.Helper()
	tokens := testkit.NewTokens(t)
	quotaURL, err := quotainprocStart(t)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(testkit.Env(t, map[string]string{"QUOTA_URL": quotaURL,
		"SERVICE_TOKEN": tokens.Service(t, "talent"), "TALENT_RECRUITED_BASELINE": "2776"}))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return stack{quota: quotaURL, talent: testkit.StartApp(t, a), tokens: tokens, cfg: cfg}
}

// quotainprocStart runs a quota service in this process and returns its URL.
func quotainprocStart(t testing.TB) (string, error) {
	t.Helper()
	// A Redis of its own: quota caches balances by account ID, and the shared test Redis would
	// hand this quota the balances another test's quota cached for the same account.
	r := miniredis.RunT(t)
	q, err := quotainproc.Start(context.Background(), testkit.Env(t, map[string]string{"REDIS_ADDR": r.Addr()}), platform.Options{})
	if err != nil {
		return "", err
	}
	return testkit.StartApp(t, q), nil
}

type api struct {
	t     testing.TB
	url   string
	token string
}

// do sends JSON and decodes a success into out; an error answer must be problem+json and is returned.
func (a api) do(method, path, key string, in, out any) (int, map[string]any) {
	a.t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, a.url+path, body)
	req.Header.Set("Authorization", "Bearer "+a.token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 {
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
			a.t.Fatalf("%s %s: %d with %s: %s", method, path, resp.StatusCode, resp.Header.Get("Content-Type"), raw)
		}
		var p map[string]any
		_ = json.Unmarshal(raw, &p)
		return resp.StatusCode, p
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			a.t.Fatalf("decode %s: %v", raw, err)
		}
	}
	return resp.StatusCode, nil
}

func (a api) must(method, path, key string, in, out any) {
	a.t.Helper()
	if code, p := a.do(method, path, key, in, out); code >= 300 {
		a.t.Fatalf("%s %s: %d %v", method, path, code, p)
	}
}

// ledgerSetup is the city office at the quota service.
type ledgerSetup struct{ api }

func (s stack) office(t testing.TB) ledgerSetup {
	return ledgerSetup{api{t, s.quota, s.tokens.CityAdmin(t)}}
}

// asUnits calls the ledger as the units service, the one identity that opens a unit's account.
func (l ledgerSetup) asUnits() ledgerSetup {
	return ledgerSetup{api{l.t, l.url, testkit.NewTokens(l.t).Service(l.t, "units")}}
}

func (s stack) talentAs(t testing.TB, token string) api { return api{t, s.talent, token} }

// fundPool gives the talent sub-pool n posts, the only way the ledger allows: approve them to a
// funding unit of the city, which returns them to the pool.
func (l ledgerSetup) fundPool(subPool string, n int64) {
	pool := "pool:talent:" + subPool + ":" + kind
	l.must("POST", "/v1/accounts", "", quota.OpenAccount{ID: "ext:province:" + kind}, nil)
	l.must("POST", "/v1/accounts", "", quota.OpenAccount{ID: "pool:control:140100:" + kind}, nil)
	l.asUnits().must("POST", "/v1/accounts", "", quota.OpenAccount{ID: "unit:fund-" + subPool + ":" + kind, Region: "140100", Name: "周转池资金单位"}, nil)
	l.must("POST", "/v1/accounts", "", quota.OpenAccount{ID: pool, Region: "140100", Name: "人才引进编制周转池"}, nil)
	l.must("POST", "/v1/transfers", "adj-"+subPool, quota.TransferRequest{Kind: "adjust_control", From: "ext:province:" + kind,
		To: "pool:control:140100:" + kind, Amount: n, DocNo: "晋编〔2026〕1号"}, nil)
	l.must("POST", "/v1/transfers", "appr-"+subPool, quota.TransferRequest{Kind: "approve", From: "pool:control:140100:" + kind,
		To: "unit:fund-" + subPool + ":" + kind, Amount: n, DocNo: "并编〔2026〕2号"}, nil)
	l.must("POST", "/v1/transfers", "ret-"+subPool, quota.TransferRequest{Kind: "return", From: "unit:fund-" + subPool + ":" + kind,
		To: pool, Amount: n, Reason: "设立人才引进编制周转池"}, nil)
}

// fullUnit opens a unit in 小店区 under department dept with n posts, all occupied.
func (l ledgerSetup) fullUnit(unit, dept string, n int) {
	l.must("POST", "/v1/accounts", "", quota.OpenAccount{ID: "ext:province:" + kind}, nil)
	l.must("POST", "/v1/accounts", "", quota.OpenAccount{ID: "pool:control:140105:" + kind}, nil)
	l.asUnits().must("POST", "/v1/accounts", "", quota.OpenAccount{ID: "unit:" + unit + ":" + kind, Region: "140105", Department: dept, Name: "市第一人民医院"}, nil)
	l.must("POST", "/v1/transfers", "adj-"+unit, quota.TransferRequest{Kind: "adjust_control", From: "ext:province:" + kind,
		To: "pool:control:140105:" + kind, Amount: int64(n), DocNo: "晋编〔2026〕3号"}, nil)
	l.must("POST", "/v1/transfers", "appr-"+unit, quota.TransferRequest{Kind: "approve", From: "pool:control:140105:" + kind,
		To: "unit:" + unit + ":" + kind, Amount: int64(n), DocNo: "并编〔2026〕4号"}, nil)
	for i := range n {
		l.must("POST", "/v1/incumbents", fmt.Sprintf("h-%s-%d", unit, i), quota.Hire{IDNumber: staffID(i), Name: fmt.Sprintf("在编人员%d", i),
			Unit: unit, Kind: kind, Channel: "open_recruitment", EntryDate: "2015-09-01"}, nil)
	}
}

func (l ledgerSetup) balance(account string) quota.Balance {
	var a quota.Account
	l.must("GET", "/v1/accounts/"+account, "", nil, &a)
	return a.Balance
}

func (l ledgerSetup) checkClean() {
	var c quota.Check
	l.must("GET", "/v1/checks/ledger", "", nil, &c)
	if !c.OK || len(c.Problems) > 0 {
		l.t.Fatalf("ledger checker: %+v", c)
	}
}

func staffID(i int) string { return idNumber(fmt.Sprintf("1401051975%02d01%03d", 1+i%12, i%1000)) }

func candidateID(i int) string { return idNumber(fmt.Sprintf("1101081990%02d15%03d", 1+i%12, i%1000)) }

func idNumber(first17 string) string { return first17 + string(recruit.IDCheckDigit(first17)) }

// filing is the body a unit HR officer posts.
func filing(unit string, i int, subPool string) map[string]any {
	return map[string]any{"unit": unit,
		"candidate": map[string]any{"name": fmt.Sprintf("候选人%d", i), "idNumber": candidateID(i), "degree": "doctorate",
			"title": "associate", "field": "心血管内科"},
		"post": "心内科学科带头人", "ground": "key_post", "reason": "市级重点专科建设急需", "tier": "leading",
		"subPool": subPool, "kind": kind}
}

type caseView struct {
	ID      string         `json:"id"`
	Status  string         `json:"status"`
	HoldID  string         `json:"holdId"`
	LoanID  string         `json:"loanId"`
	Note    string         `json:"note"`
	Pending map[string]any `json:"pending"`
}

package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	unitsinproc "github.com/bianzhi/bianzhi/services/units/inproc"

	"github.com/bianzhi/bianzhi/services/talent/internal/app"
	"github.com/bianzhi/bianzhi/services/talent/internal/config"
	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

const kind = "institution_full"

// stack is a real quota service, a real units service and a real talent service in this process,
// each with its own database on the embedded FerretDB, talking HTTP. Talent calls both under its own
// service token, as in production.
type stack struct {
	quota, units, talent string
	tokens               *testkit.Tokens
	cfg                  config.Config // the talent service's
}

func startStack(t testing.TB) stack {
	return startStackVia(t, func(quotaURL string) string { return quotaURL })
}

// startStackVia starts the stack with talent reaching quota at via(quota's URL), e.g. a proxy.
func startStackVia(t testing.TB, via func(quotaURL string) string) stack {
	t.Helper()
	tokens := testkit.NewTokens(t)
	quotaURL, err := quotainprocStart(t)
	if err != nil {
		t.Fatal(err)
	}
	unitsURL := unitsinprocStart(t, quotaURL)
	cfg, err := config.Load(testkit.Env(t, map[string]string{"QUOTA_URL": via(quotaURL), "UNITS_URL": unitsURL,
		"SERVICE_TOKEN": tokens.Service(t, "talent"), "TALENT_RECRUITED_BASELINE": "2776"}))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return stack{quota: quotaURL, units: unitsURL, talent: testkit.StartApp(t, a), tokens: tokens, cfg: cfg}
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

// unitsinprocStart runs a units service in this process (calling quotaURL) and returns its URL.
func unitsinprocStart(t testing.TB, quotaURL string) string {
	t.Helper()
	r := miniredis.RunT(t) // units caches units by ID, which tests share
	u, err := unitsinproc.Start(context.Background(), testkit.Env(t, map[string]string{"REDIS_ADDR": r.Addr(),
		"QUOTA_URL": quotaURL}), platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return testkit.StartApp(t, u)
}

type api struct {
	t     testing.TB
	url   string
	token string
	// autoKey gives every write without a key one derived from what it sends, as quota requires:
	// a setup step repeated with the same body replays, never applies twice.
	autoKey bool
}

// do sends JSON and decodes a success into out; an error answer must be problem+json and is returned.
func (a api) do(method, path, key string, in, out any) (int, map[string]any) {
	a.t.Helper()
	var body io.Reader
	var b []byte
	if in != nil {
		b, _ = json.Marshal(in)
		body = bytes.NewReader(b)
	}
	if key == "" && a.autoKey && method != http.MethodGet {
		sum := sha256.Sum256([]byte(method + " " + path + "\x00" + string(b)))
		key = "setup-" + hex.EncodeToString(sum[:12])
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

// ledgerSetup is the city office at the quota service (and, for the units it records, at the
// units service).
type ledgerSetup struct {
	api
	units api
}

func (s stack) office(t testing.TB) ledgerSetup {
	city := s.tokens.CityAdmin(t)
	return ledgerSetup{api{t, s.quota, city, true}, api{t, s.units, city, false}}
}

// unit records a unit of region under department dept in the units service (the department too,
// when dept is set); recording it again changes nothing.
func (l ledgerSetup) unit(id, name, region, dept string) {
	us := []map[string]any{}
	if dept != "" {
		us = append(us, map[string]any{"id": dept, "name": "主管部门" + dept, "kind": "government_department",
			"regionCode": region, "effectiveFrom": "2019-01-01", "rank": "正处级"})
	}
	u := map[string]any{"id": id, "name": name, "kind": "public_institution", "category": "public_welfare_1",
		"regionCode": region, "effectiveFrom": "2020-01-01", "documentNo": "并编〔2020〕1号"}
	if dept != "" {
		u["supervisorId"] = dept
	}
	l.units.must("POST", "/v1/batch/units", "", map[string]any{"units": append(us, u)}, nil)
}

// asUnits calls the ledger as the units service, the one identity that opens a unit's account.
func (l ledgerSetup) asUnits() api {
	return api{t: l.t, url: l.url, token: testkit.NewTokens(l.t).Service(l.t, "units"), autoKey: true}
}

func (s stack) talentAs(t testing.TB, token string) api {
	return api{t: t, url: s.talent, token: token}
}

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

// fullUnit records a unit in 小店区 under department dept in units, and opens its account with n
// posts, all occupied, in quota.
func (l ledgerSetup) fullUnit(unit, dept string, n int) {
	l.unit(unit, "市第一人民医院", "140105", dept)
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

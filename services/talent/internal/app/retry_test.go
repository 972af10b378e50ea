package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	quota "github.com/bianzhi/bianzhi/services/quota/client"
)

// lossyProxy stands between talent and quota: requests reach quota and are applied, but while a
// path matches one of the lost substrings the answer is replaced by a 502, as when the network fails
// after the ledger has done its work.
type lossyProxy struct {
	mu   sync.Mutex
	lost []string
	hits int
}

func (p *lossyProxy) lose(paths ...string) { p.mu.Lock(); p.lost = paths; p.mu.Unlock() }

func (p *lossyProxy) start(t *testing.T, target string) string {
	u, _ := url.Parse(target)
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		lost := false
		for _, s := range p.lost {
			lost = lost || (r.Method == http.MethodPost && strings.Contains(r.URL.Path, s))
		}
		if lost {
			p.hits++
		}
		p.mu.Unlock()
		if !lost {
			rp.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		rp.ServeHTTP(rec, r) // quota applies it ...
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestLostAnswersNeverLendTwice: the ledger applies the loan (then the hire) but talent never hears
// back, through all of its client's retries. The case keeps the hire step pending; the retry
// finishes it with the same keys; the pool lent exactly one post and the person is hired once.
func TestLostAnswersNeverLendTwice(t *testing.T) {
	proxy := &lossyProxy{}
	s := startStackVia(t, func(q string) string { return proxy.start(t, q) })
	office := s.office(t)
	office.fundPool("health", 3)
	office.fullUnit("hosp-2", "dept-health", 1)
	hr := s.talentAs(t, s.tokens.UnitHR(t, "140105", "hosp-2"))
	city := s.talentAs(t, s.tokens.CityAdmin(t))
	var c caseView
	hr.must("POST", "/v1/cases", "", filing("hosp-2", 7, "health"), &c)
	city.must("POST", "/v1/cases/"+c.ID+"/accept", "", nil, &c)

	hire := map[string]any{"entryDate": "2026-02-01", "docNo": "并人才〔2026〕7号"}
	for _, lost := range [][]string{{"/lend"}, {"/v1/incumbents"}} {
		proxy.lose(lost...)
		code, p := hr.do("POST", "/v1/cases/"+c.ID+"/hire", "", hire, nil)
		if code != 503 || p["code"] != "unavailable" {
			t.Fatalf("hire with %v lost: %d %v", lost, code, p)
		}
		city.must("GET", "/v1/cases/"+c.ID, "", nil, &c)
		if c.Status != "accepted" || c.Pending == nil || c.Pending["event"] != "hire" {
			t.Fatalf("the hire step must stay pending: %+v", c)
		}
		if code, _ := hr.do("POST", "/v1/cases/"+c.ID+"/withdraw", "", nil, nil); code != 409 {
			t.Fatalf("withdraw while the hire is pending: %d", code)
		}
	}
	proxy.lose()
	hr.must("POST", "/v1/cases/"+c.ID+"/hire", "", hire, &c)
	if c.Status != "hired" || c.LoanID == "" {
		t.Fatalf("after the retry: %+v", c)
	}
	if proxy.hits < 4 {
		t.Fatalf("the proxy lost only %d answers; the test proves nothing", proxy.hits)
	}
	if b := office.balance("pool:talent:health:" + kind); b != (quota.Balance{Approved: 2, Vacant: 2}) {
		t.Fatalf("pool lent more than once: %+v", b)
	}
	if b := office.balance("unit:hosp-2:" + kind); b != (quota.Balance{Approved: 2, Occupied: 2}) {
		t.Fatalf("unit: %+v", b)
	}
	office.checkClean()
}

package app_test

import (
	"fmt"
	"sync"
	"testing"

	quota "github.com/bianzhi/bianzhi/services/quota/client"
)

// TestThirtyAcceptsAgainstTwentyFreePosts: 30 cases accepted at once against a sub-pool with 20 free
// posts. The quota ledger's red line admits exactly 20 holds; the talent service answers the other 10
// with a quota_exhausted problem and leaves those cases filed, ready to accept once posts free up.
func TestThirtyAcceptsAgainstTwentyFreePosts(t *testing.T) {
	s := startStack(t)
	office := s.office(t)
	office.fundPool("research", 20)
	office.fullUnit("inst-1", "dept-sci", 1)
	hr := s.talentAs(t, s.tokens.UnitHR(t, "140105", "inst-1"))
	city := s.talentAs(t, s.tokens.CityAdmin(t))

	ids := make([]string, 30)
	for i := range ids {
		var c caseView
		hr.must("POST", "/v1/cases", fmt.Sprint("f", i), filing("inst-1", 100+i, "research"), &c)
		ids[i] = c.ID
	}
	var wg sync.WaitGroup
	codes := make([]int, 30)
	problems := make([]map[string]any, 30)
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], problems[i] = city.do("POST", "/v1/cases/"+id+"/accept", "", nil, nil)
		}()
	}
	wg.Wait()
	ok, exhausted := 0, 0
	for i, code := range codes {
		switch {
		case code == 200:
			ok++
		case code == 409 && problems[i]["code"] == "quota_exhausted" && problems[i]["title"] != "":
			exhausted++
		default:
			t.Errorf("accept %d: %d %v", i, code, problems[i])
		}
	}
	if ok != 20 || exhausted != 10 {
		t.Fatalf("%d accepted, %d exhausted", ok, exhausted)
	}
	if b := office.balance("pool:talent:research:" + kind); b != (quota.Balance{Approved: 20, Held: 20}) {
		t.Fatalf("pool: %+v", b)
	}
	var accepted, filed struct{ Count int }
	city.must("GET", "/v1/cases?status=accepted", "", nil, &accepted)
	city.must("GET", "/v1/cases?status=filed", "", nil, &filed)
	if accepted.Count != 20 || filed.Count != 10 {
		t.Fatalf("talent cases: %d accepted, %d filed", accepted.Count, filed.Count)
	}
	office.checkClean()

	// Withdrawing one accepted case frees its post; a refused case can then be accepted.
	for i, code := range codes {
		if code == 200 {
			hr.must("POST", "/v1/cases/"+ids[i]+"/withdraw", "", nil, nil)
			break
		}
	}
	for i, code := range codes {
		if code == 409 {
			var c caseView
			city.must("POST", "/v1/cases/"+ids[i]+"/accept", "", nil, &c)
			if c.Status != "accepted" {
				t.Fatalf("re-accept: %+v", c)
			}
			break
		}
	}
	if b := office.balance("pool:talent:research:" + kind); b.Held != 20 {
		t.Fatalf("pool after withdraw and re-accept: %+v", b)
	}
	office.checkClean()
}

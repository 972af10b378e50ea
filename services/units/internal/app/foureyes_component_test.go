package app_test

import (
	"net/http"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/auth"
)

// TestFourEyesOverHTTP: the officer who filed a proposal cannot approve it, a county office
// cannot decide a city-level proposal, and the executed proposal names who ran it.
func TestFourEyesOverHTTP(t *testing.T) {
	s := start(t)
	s.must(http.StatusOK, "POST", "/v1/batch/units", s.city, map[string]any{"units": []map[string]any{
		deptDTO("FE-D", "小店区测试局", "140105"), instDTO("FE-U", "小店区空置中心", "140105", map[string]any{"supervisorId": "FE-D"}),
		deptDTO("FE-CD", "太原市测试局", "140100"), instDTO("FE-CU", "太原市空置中心", "140100", map[string]any{"supervisorId": "FE-CD"}),
	}})
	s.quota.Seed("FE-U", full, 12, 0)
	s.quota.Seed("FE-CU", full, 12, 0)
	officer := func(subject string, role auth.Role, region string) string {
		c := auth.Claims{Name: "测试员" + subject, Roles: []auth.Role{role}, Region: region}
		c.Subject = subject
		return s.tok.Mint(t, c)
	}
	filer, colleague := officer("xd-1", auth.RoleCountyAdmin, "140105"), officer("xd-2", auth.RoleCountyAdmin, "140105")
	walk := func(id, tok string) {
		t.Helper()
		for _, a := range []string{"submit", "advance", "advance"} {
			s.must(http.StatusOK, "POST", "/v1/proposals/"+id+"/transitions", tok, map[string]any{"action": a})
		}
	}
	approve := map[string]any{"action": "approve", "documentNo": "小编〔2026〕1号"}

	s.must(http.StatusCreated, "POST", "/v1/proposals", filer, map[string]any{"id": "FE-P", "kind": "abolish", "title": "撤销空置中心",
		"regionCode": "140105", "filedBy": "FE-D", "effectiveFrom": "2026-01-01", "unitIds": []string{"FE-U"}})
	walk("FE-P", filer)
	s.problem(403, "forbidden", "four_eyes", "POST", "/v1/proposals/FE-P/transitions", filer, approve)
	p := s.must(http.StatusOK, "POST", "/v1/proposals/FE-P/transitions", colleague, approve)
	if str(p["outcome"]) != "approved" || str(p["createdById"]) != "xd-1" {
		t.Fatalf("approved: %v", p)
	}
	p = s.must(http.StatusOK, "POST", "/v1/proposals/FE-P/execute", filer, nil)
	if str(p["state"]) != "executed" || str(p["executedById"]) != "xd-1" || str(p["executedBy"]) != "测试员xd-1 (xd-1)" || p["executedAt"] == nil {
		t.Fatalf("execution not recorded: %v", p)
	}
	if got := s.must(http.StatusOK, "GET", "/v1/proposals/FE-P", s.city, nil); str(got["executedById"]) != "xd-1" {
		t.Fatalf("stored proposal lost its executor: %v", got)
	}

	// A city-level proposal: the county office cannot touch it, its filer cannot approve it.
	s.must(http.StatusCreated, "POST", "/v1/proposals", s.city, map[string]any{"id": "FE-CP", "kind": "abolish", "title": "撤销市级空置中心",
		"regionCode": "140100", "filedBy": "FE-CD", "effectiveFrom": "2026-01-01", "unitIds": []string{"FE-CU"}})
	walk("FE-CP", s.city)
	s.problem(403, "forbidden", "", "POST", "/v1/proposals/FE-CP/transitions", colleague, approve)
	s.problem(403, "forbidden", "city_office_required", "POST", "/v1/proposals/FE-CP/transitions", s.tok.Service(t, "bot"), approve)
	s.problem(403, "forbidden", "four_eyes", "POST", "/v1/proposals/FE-CP/transitions", s.city, approve)
	s.must(http.StatusOK, "POST", "/v1/proposals/FE-CP/transitions", s.decider, approve)
}

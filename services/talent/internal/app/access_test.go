package app_test

import (
	"testing"
	"unicode"

	"github.com/bianzhi/bianzhi/pkg/auth"
	quota "github.com/bianzhi/bianzhi/services/quota/client"
)

// TestRolesScopeAndBadInput: who may do what, and bad input answered as 4xx problem+json (the
// harness fails on any error that is not problem+json).
func TestRolesScopeAndBadInput(t *testing.T) {
	s := startStack(t)
	office := s.office(t)
	office.fundPool("education", 2)
	office.fullUnit("school-1", "dept-edu", 1)
	hr := s.talentAs(t, s.tokens.UnitHR(t, "140105", "school-1"))
	otherHR := s.talentAs(t, s.tokens.UnitHR(t, "140106", "school-9"))
	county := s.talentAs(t, s.tokens.CountyAdmin(t, "140105"))
	otherCounty := s.talentAs(t, s.tokens.CountyAdmin(t, "140106"))
	auditor := s.talentAs(t, s.tokens.Auditor(t, "140100"))
	city := s.talentAs(t, s.tokens.CityAdmin(t))
	noRegion := s.talentAs(t, s.tokens.Mint(t, auth.Claims{Name: "无地区", Roles: []auth.Role{auth.RoleCountyAdmin}}))
	noRegionHR := s.talentAs(t, s.tokens.Mint(t, auth.Claims{Name: "无地区", Roles: []auth.Role{auth.RoleUnitHR}, Units: []string{"school-1"}}))

	var c caseView
	hr.must("POST", "/v1/cases", "", filing("school-1", 1, "education"), &c)

	bad := func(name string, body map[string]any, field string) {
		t.Helper()
		code, p := hr.do("POST", "/v1/cases", "", body, nil)
		if code != 400 || p["field"] != field || p["title"] == "" {
			t.Errorf("%s: %d %v", name, code, p)
		}
	}
	b := filing("school-1", 2, "education")
	b["candidate"].(map[string]any)["idNumber"] = "140105199001011234"
	bad("check digit", b, "candidate.idNumber")
	b = filing("school-1", 2, "education")
	b["subPool"] = "sports"
	bad("sub-pool", b, "subPool")
	b = filing("school-1", 2, "education")
	b["salary"] = 1
	bad("unknown field", b, "salary")
	b = filing("school-1", 2, "education")
	b["candidate"] = "x"
	bad("wrong type", b, "candidate")

	tests := []struct {
		name   string
		as     api
		method string
		path   string
		body   any
		want   int
	}{
		{"HR files for another unit", hr, "POST", "/v1/cases", filing("school-2", 3, "education"), 403},
		{"office cannot file", city, "POST", "/v1/cases", filing("school-1", 3, "education"), 403},
		{"HR cannot accept", hr, "POST", "/v1/cases/" + c.ID + "/accept", nil, 403},
		{"county cannot accept", county, "POST", "/v1/cases/" + c.ID + "/accept", nil, 403},
		{"auditor cannot withdraw", auditor, "POST", "/v1/cases/" + c.ID + "/withdraw", nil, 403},
		{"other unit's HR does not see it", otherHR, "GET", "/v1/cases/" + c.ID, nil, 404},
		{"other county does not see it", otherCounty, "GET", "/v1/cases/" + c.ID, nil, 404},
		{"county sees its unit's case", county, "GET", "/v1/cases/" + c.ID, nil, 200},
		{"auditor reads the report", auditor, "GET", "/v1/reports/pool", nil, 200},
		{"HR cannot read the pool report", hr, "GET", "/v1/reports/pool", nil, 403},
		{"HR cannot run the job", hr, "POST", "/v1/loans/return-due", nil, 403},
		{"HR lists another unit", hr, "GET", "/v1/cases?unit=school-9", nil, 403},
		{"office without a region lists nothing", noRegion, "GET", "/v1/cases", nil, 403},
		{"office without a region reads no report", noRegion, "GET", "/v1/reports/overdue-loans", nil, 403},
		{"HR without a region files: the region is the unit's, from units", noRegionHR, "POST", "/v1/cases", filing("school-1", 4, "education"), 201},
		{"unknown status filter", city, "GET", "/v1/cases?status=done", nil, 400},
		{"unknown case", city, "GET", "/v1/cases/tc-none", nil, 404},
		{"reject needs a reason", city, "POST", "/v1/cases/" + c.ID + "/reject", map[string]any{}, 400},
		{"hire before accept", hr, "POST", "/v1/cases/" + c.ID + "/hire", map[string]any{"entryDate": "2026-01-05"}, 409},
		{"send back with a reason", city, "POST", "/v1/cases/" + c.ID + "/send-back", map[string]any{"reason": "请补充引进依据"}, 200},
		{"accept a returned case", city, "POST", "/v1/cases/" + c.ID + "/accept", nil, 409},
		{"amend with a bad tier", hr, "PUT", "/v1/cases/" + c.ID + "/application", map[string]any{"candidate": filing("x", 1, "")["candidate"], "post": "p", "ground": "key_post", "reason": "r", "tier": "gold", "subPool": "education", "kind": kind}, 400},
		{"resubmit", hr, "POST", "/v1/cases/" + c.ID + "/resubmit", nil, 200},
		{"accept", city, "POST", "/v1/cases/" + c.ID + "/accept", nil, 200},
		{"hire without entry date", hr, "POST", "/v1/cases/" + c.ID + "/hire", map[string]any{}, 400},
		{"hire with a bad date", hr, "POST", "/v1/cases/" + c.ID + "/hire", map[string]any{"entryDate": "2026-13-01"}, 400},
	}
	for _, tc := range tests {
		code, p := tc.as.do(tc.method, tc.path, "", tc.body, nil)
		if code != tc.want {
			t.Errorf("%s: got %d %v, want %d", tc.name, code, p, tc.want)
		}
		if code >= 400 && (p["code"] == nil || !hasHan(p["title"])) {
			t.Errorf("%s: problem without a Chinese title: %v", tc.name, p)
		}
	}

	// The case's region is the units service's record of the unit, not the filer's token's.
	misleading := s.talentAs(t, s.tokens.UnitHR(t, "140181", "school-1"))
	var filed struct {
		ID, Region, UnitName string
	}
	misleading.must("POST", "/v1/cases", "", filing("school-1", 6, "education"), &filed)
	if filed.Region != "140105" || filed.UnitName != "市第一人民医院" {
		t.Fatalf("filed %+v, want the units service's region 140105 and name", filed)
	}
	// A body cannot name a region, and a unit units does not know cannot file.
	b = filing("school-1", 7, "education")
	b["region"] = "140100"
	bad("region in the body", b, "region")
	ghost := s.talentAs(t, s.tokens.UnitHR(t, "", "ghost-1"))
	if code, p := ghost.do("POST", "/v1/cases", "", filing("ghost-1", 8, "education"), nil); code != 404 || p["field"] != "unit" {
		t.Fatalf("filing for a unit units does not know: %d %v", code, p)
	}

	// Offices see it by the unit's region in units: 小店区 and the city do, 古交市 does not.
	for _, tc := range []struct {
		as   api
		want int
	}{{county, 200}, {city, 200}, {s.talentAs(t, s.tokens.CountyAdmin(t, "140181")), 404}} {
		if code, p := tc.as.do("GET", "/v1/cases/"+filed.ID, "", nil, nil); code != tc.want {
			t.Errorf("read the case: %d %v, want %d", code, p, tc.want)
		}
	}

	// 整改与审批联动: an open discipline case against the school's department blocks filing.
	office.must("POST", "/v1/cases", "case-1", quota.OpenCase{Subject: "dept-edu", Region: "140105",
		Violation: "over_quota_hiring", Facts: "下属学校超编进人2名"}, nil)
	code, p := hr.do("POST", "/v1/cases", "", filing("school-1", 5, "education"), nil)
	if code != 409 || p["code"] != "rectification_pending" {
		t.Fatalf("filing under rectification: %d %v", code, p)
	}
}

func hasHan(v any) bool {
	s, _ := v.(string)
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

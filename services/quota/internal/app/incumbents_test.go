package app_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/quota/client"
)

// TestUnitIncumbentsListsThePeopleOnPostsWithinScope: an HR officer or office sees who fills a unit's
// posts; an exit takes the person off the list; an office of another county is refused.
func TestUnitIncumbentsListsThePeopleOnPostsWithinScope(t *testing.T) {
	toks := testkit.NewTokens(t)
	url := startQuota(t, testkit.Env(t, nil))
	office := api{t: t, url: url, token: toks.CityAdmin(t)}
	seedUnit(office, "u-list", 5)
	for i := range 3 {
		office.must("POST", "/v1/incumbents", fmt.Sprintf("hire-list-%d", i), hire("u-list", 700+i), nil)
	}
	office.must("POST", "/v1/incumbents/"+idNumber(701)+"/exit", "exit-list-701", client.Exit{Reason: "retirement", Date: "2026-11-01", DocNo: "并人〔2026〕9号"}, nil)

	var got struct {
		Unit       string             `json:"unit"`
		Count      int                `json:"count"`
		Incumbents []client.Incumbent `json:"incumbents"`
	}
	hr := api{t: t, url: url, token: toks.UnitHR(t, "140105", "u-list")}
	hr.must("GET", "/v1/units/u-list/incumbents", "", nil, &got)
	if got.Count != 2 || len(got.Incumbents) != 2 {
		t.Fatalf("want the 2 people still on posts, got %+v", got)
	}
	for _, p := range got.Incumbents {
		if p.IDNumber == idNumber(701) {
			t.Fatalf("the retired person is still listed: %+v", p)
		}
	}
	other := api{t: t, url: url, token: toks.CountyAdmin(t, "140106")}
	if code, p := other.do("GET", "/v1/units/u-list/incumbents", "", nil, nil); code != http.StatusForbidden {
		t.Fatalf("another county's office: %d %v", code, p)
	}
	otherHR := api{t: t, url: url, token: toks.UnitHR(t, "140105", "u-other")}
	if code, _ := otherHR.do("GET", "/v1/units/u-list/incumbents", "", nil, nil); code != http.StatusForbidden {
		t.Fatalf("another unit's HR officer: %d", code)
	}
}

package app_test

import (
	"fmt"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/quota/client"
)

// TestRegionBalancesFromTheJournalMatchEachAccount: a region with more accounts than the per-account
// path serves is answered from one read of the journal; every balance must equal the account's own.
func TestRegionBalancesFromTheJournalMatchEachAccount(t *testing.T) {
	url := startQuota(t, testkit.Env(t, nil))
	office := api{t: t, url: url, token: testkit.NewTokens(t).CityAdmin(t)}
	seedUnit(office, "u-bal-0", 10)
	rows := make([]client.OpenAccount, 0, 80)
	for i := 1; i <= 80; i++ {
		rows = append(rows, client.OpenAccount{ID: fmt.Sprintf("unit:u-bal-%d:%s", i, kind), Region: "140105", Name: "测试单位"})
	}
	office.asUnits().must("POST", "/v1/accounts/batch", "open-bal", client.BatchAccounts{Rows: rows}, nil)
	for i := range 3 {
		office.must("POST", "/v1/incumbents", fmt.Sprintf("hire-bal-%d", i), hire("u-bal-0", 800+i), nil)
	}
	var got client.Balances
	office.must("GET", "/v1/balances?region=140105&kind="+kind, "", nil, &got)
	if len(got.Accounts) < 81 {
		t.Fatalf("%d accounts, want at least 81", len(got.Accounts))
	}
	for _, a := range got.Accounts {
		var one client.Account
		office.must("GET", "/v1/accounts/"+a.ID, "", nil, &one)
		if one.Balance != a.Balance {
			t.Fatalf("%s: region query %+v, account %+v", a.ID, a.Balance, one.Balance)
		}
	}
	if got.Total.Occupied != 3 || got.Total.Approved < 10 {
		t.Fatalf("totals %+v", got.Total)
	}
}

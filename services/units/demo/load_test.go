package demo_test

import (
	"context"
	"os"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	qc "github.com/bianzhi/bianzhi/services/quota/client"
	quota "github.com/bianzhi/bianzhi/services/quota/inproc"
	"github.com/bianzhi/bianzhi/services/units/client"
	"github.com/bianzhi/bianzhi/services/units/demo"
	units "github.com/bianzhi/bianzhi/services/units/inproc"
)

type services struct {
	units *client.Client
	quota demo.QuotaHTTP
}

func startBoth(t *testing.T) services {
	t.Helper()
	ctx := context.Background()
	tok := testkit.NewTokens(t).Service(t, "demo")
	src := func(context.Context) (string, error) { return tok, nil }
	q, err := quota.Start(ctx, testkit.Env(t, map[string]string{"MAX_BODY_BYTES": "67108864"}), platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	qurl := testkit.StartApp(t, q)
	u, err := units.Start(ctx, testkit.Env(t, map[string]string{"QUOTA_URL": qurl, "MAX_BODY_BYTES": "67108864"}), platform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	uurl := testkit.StartApp(t, u)
	opts := func(url string) svcclient.Options {
		return svcclient.Options{BaseURL: url, Caller: "demo", TokenSource: src, Timeout: demo.ClientTimeout}
	}
	uc, err := client.New(opts(uurl))
	if err != nil {
		t.Fatal(err)
	}
	o := opts(qurl)
	o.Service = "quota"
	qcl, err := svcclient.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return services{units: uc, quota: demo.QuotaHTTP{C: qcl}}
}

// TestLoadCountyTwice loads one county's share of the dataset through both services'
// APIs, checks what arrived, and loads it again to show a repeated load adds nothing.
func TestLoadCountyTwice(t *testing.T) {
	s := startBoth(t)
	ctx := context.Background()
	d := demo.Generate(1).Subset("140123")
	rep, err := demo.LoadDataset(ctx, s.units, s.quota, 1, d)
	t.Log(rep)
	if err != nil {
		t.Fatal(err)
	}
	us, err := s.units.ListUnits(ctx, "140123", "", "")
	if err != nil || len(us) != len(d.Units) {
		t.Fatalf("listed %d units, loaded %d: %v", len(us), len(d.Units), err)
	}
	tree, err := s.units.RegionTree(ctx, "140123")
	if err != nil || len(tree) != 1 || len(tree[0].Children) != 8 {
		t.Fatalf("tree %v %v", tree, err)
	}
	var acc qc.Account
	id := "unit:" + d.Hires[0].Unit + ":" + d.Hires[0].Kind
	if err := s.quota.C.Do(ctx, "GET", "/v1/accounts/"+id, nil, &acc); err != nil {
		t.Fatal(err)
	}
	var want demo.Post
	for _, p := range d.Quotas[d.Hires[0].Unit] {
		if p.Kind == d.Hires[0].Kind {
			want = p
		}
	}
	if acc.Balance.Approved != want.Approved || acc.Balance.Occupied != want.Occupied {
		t.Fatalf("account %s: %+v, want %+v", id, acc.Balance, want)
	}
	if _, err := demo.LoadDataset(ctx, s.units, s.quota, 1, d); err != nil {
		t.Fatalf("second load: %v", err)
	}
	if err := s.quota.C.Do(ctx, "GET", "/v1/accounts/"+id, nil, &acc); err != nil || acc.Balance.Approved != want.Approved {
		t.Fatalf("second load changed %s: %+v %v", id, acc.Balance, err)
	}
	var check qc.Check
	if err := s.quota.C.Do(ctx, "GET", "/v1/checks/ledger", nil, &check); err != nil || !check.OK {
		t.Fatalf("ledger check %+v %v", check, err)
	}
}

// TestLoadFullCity loads the whole city and reports the time each part took; it runs
// only with DEMO_FULL=1 (docs/performance.md records its numbers).
func TestLoadFullCity(t *testing.T) {
	if os.Getenv("DEMO_FULL") == "" {
		t.Skip("set DEMO_FULL=1 to load the whole city")
	}
	s := startBoth(t)
	rep, err := demo.Load(context.Background(), s.units, s.quota, 1)
	t.Log(rep)
	if err != nil {
		t.Fatal(err)
	}
}

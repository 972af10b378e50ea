package mongostore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/gateway/internal/account"
	"github.com/bianzhi/bianzhi/services/gateway/internal/audit"
)

func TestSeedDemoIsIdempotentAndKeepsPasswords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := NewAccounts(testkit.Mongo(t))
	n, err := SeedDemo(ctx, s, account.DemoUnitID)
	if err != nil || n != len(account.Demo(account.DemoUnitID)) {
		t.Fatalf("first seed: %d %v", n, err)
	}
	hr, err := s.Get(ctx, "unit_hr")
	if err != nil || hr == nil || hr.Units[0] != account.DemoUnitID || !hr.Password.Verify(account.DemoPassword) {
		t.Fatalf("unit_hr = %+v, %v", hr, err)
	}
	if n, err = SeedDemo(ctx, s, account.DemoUnitID); err != nil || n != 0 {
		t.Fatalf("second seed: %d %v", n, err)
	}
	if created, err := s.Create(ctx, *hr); err != nil || created {
		t.Fatalf("duplicate username: created=%v err=%v", created, err)
	}
	if missing, err := s.Get(ctx, "nobody"); err != nil || missing != nil {
		t.Fatalf("unknown user = %+v, %v", missing, err)
	}
}

func TestAuditListsNewestFirstWithinRange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := NewAudit(testkit.Mongo(t))
	start := time.Now()
	var ids []string
	for i := range 5 {
		r := audit.Record{ID: audit.NewID(), At: time.Now(), RequestID: fmt.Sprint("r", i), Subject: []string{"a", "b"}[i%2],
			Method: "POST", Path: "/api/quota/v1/transfers", Status: 201}
		if err := s.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
		if err := s.Append(ctx, r); err != nil { // a retried write is not an error and adds nothing
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	end := time.Now().Add(time.Millisecond)

	cases := []struct {
		name string
		q    audit.Query
		want []string
	}{
		{"all, newest first", audit.Query{From: start.Add(-time.Millisecond), To: end, Limit: 10}, []string{ids[4], ids[3], ids[2], ids[1], ids[0]}},
		{"limit", audit.Query{From: start.Add(-time.Millisecond), To: end, Limit: 2}, []string{ids[4], ids[3]}},
		{"subject", audit.Query{From: start.Add(-time.Millisecond), To: end, Subject: "b", Limit: 10}, []string{ids[3], ids[1]}},
		{"before", audit.Query{From: start.Add(-time.Hour), To: start.Add(-time.Millisecond), Limit: 10}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.List(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d records, want %d", len(got), len(tc.want))
			}
			for i, r := range got {
				if r.ID != tc.want[i] {
					t.Fatalf("record %d is %s, want %s", i, r.ID, tc.want[i])
				}
			}
		})
	}
}

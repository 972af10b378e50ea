package mongostore_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/pkg/testkit"

	"github.com/bianzhi/bianzhi/services/talent/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

var now = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func newStore(t *testing.T) *mongostore.Store {
	t.Helper()
	db := testkit.Mongo(t)
	if err := mongox.EnsureIndexes(context.Background(), db, mongostore.Indexes); err != nil {
		t.Fatal(err)
	}
	return mongostore.New(db)
}

func newCase(t *testing.T, id, unit, region string) recruit.Case {
	t.Helper()
	first17 := "14010519880312003"
	c, err := recruit.NewCase(id, unit, region, recruit.Application{
		Candidate: recruit.Candidate{Name: "王芳", IDNumber: first17 + string(recruit.IDCheckDigit(first17)),
			Degree: recruit.DegreeDoctorate, Title: recruit.TitleSenior, Field: "临床医学"},
		Post: "心内科主任", Ground: recruit.GroundKeyPost, Reason: "市级重点专科带头人", Tier: recruit.TierLeading,
		SubPool: recruit.SubPoolHealth, Kind: recruit.KindInstitutionFull,
	}, "hr", now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCasesRoundTripAndStepsAreClaimedOnce(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	c := newCase(t, "tc-1", "u-1", "140105")
	if err := s.InsertCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertCase(ctx, c); !errors.Is(err, recruit.ErrDuplicate) {
		t.Fatalf("second insert: %v", err)
	}
	got, err := s.Case(ctx, "tc-1")
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip:\n got %+v\nwant %+v\n%v", got, c, err)
	}
	if _, err := s.Case(ctx, "tc-none"); !errors.Is(err, recruit.ErrNotFound) {
		t.Fatalf("missing case: %v", err)
	}

	step, err := c.Begin(recruit.EventAccept, "office", "", now)
	if err != nil {
		t.Fatal(err)
	}
	// Ten requests race for step 1: exactly one claims it.
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.ClaimStep(ctx, c.ID, step)
			switch {
			case err == nil:
				wins.Add(1)
			case !errors.Is(err, recruit.ErrDuplicate):
				t.Errorf("claim: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d claims won step 1", wins.Load())
	}
	started := c.Started(step)
	if err := s.SaveCase(ctx, started); err != nil {
		t.Fatal(err)
	}
	done, fin := started.Complete(step, recruit.Result{HoldID: "h-1", HoldExpiresAt: now.Add(time.Hour)}, now)
	if err := s.FinishStep(ctx, c.ID, fin); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCase(ctx, done); err != nil {
		t.Fatal(err)
	}
	// A late writer of the older record must not move the case back.
	if err := s.SaveCase(ctx, started); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Case(ctx, c.ID)
	if !reflect.DeepEqual(got, done) {
		t.Fatalf("after a stale save:\n got %+v\nwant %+v", got, done)
	}
	st, err := s.Step(ctx, c.ID, 1)
	if err != nil || !reflect.DeepEqual(st, fin) {
		t.Fatalf("step:\n got %+v\nwant %+v\n%v", st, fin, err)
	}
	steps, err := s.Steps(ctx, c.ID)
	if err != nil || len(steps) != 1 {
		t.Fatalf("steps %v %v", steps, err)
	}
}

func TestCasesFilter(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, c := range []recruit.Case{newCase(t, "a", "u-1", "140105"), newCase(t, "b", "u-2", "140106"),
		newCase(t, "c", "u-1", "140105")} {
		if c.ID == "c" {
			c.Status = recruit.StatusHired
		}
		if err := s.InsertCase(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(f recruit.Filter) []string {
		cs, err := s.Cases(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	tests := []struct {
		f    recruit.Filter
		want []string
	}{
		{recruit.Filter{}, []string{"a", "b", "c"}},
		{recruit.Filter{Unit: "u-1"}, []string{"a", "c"}},
		{recruit.Filter{Region: "140106"}, []string{"b"}},
		{recruit.Filter{Region: "140100"}, []string{"a", "b", "c"}},
		{recruit.Filter{Statuses: []recruit.Status{recruit.StatusHired}}, []string{"c"}},
		{recruit.Filter{SubPool: recruit.SubPoolEducation}, nil},
	}
	for _, tc := range tests {
		if got := ids(tc.f); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: got %v want %v", tc.f, got, tc.want)
		}
	}
}

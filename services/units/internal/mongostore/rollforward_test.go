package mongostore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/testkit"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// TestClaimWithoutHeadIsRolledForward leaves a revision claim behind as a writer that
// died between its two writes would, and shows the next writer completes it.
func TestClaimWithoutHeadIsRolledForward(t *testing.T) {
	ctx := context.Background()
	s := New(testkit.Mongo(t))
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	u, _ := unit.NewUnit(unit.Unit{ID: "A", Name: "甲", Kind: unit.KindGovernment, Level: unit.LevelCity, RegionCode: "140100"}, day, "d")
	if err := s.CreateUnit(ctx, u); err != nil {
		t.Fatal(err)
	}
	h := unit.History{u}
	dead, _ := h.Next(unit.Change{Kind: "rename", EffectiveFrom: day, Apply: unit.Rename("乙", "")})
	nh := append(append(unit.History{}, h...), dead)
	if err := s.insert(ctx, colUnitRevs, revDoc[unitDoc]{ID: revID("A", 2), Doc: newUnitDoc(nh)}, "claim"); err != nil {
		t.Fatal(err)
	}
	late, _ := h.Next(unit.Change{Kind: "rename", EffectiveFrom: day, Apply: unit.Rename("丙", "")})
	if err := s.AppendVersion(ctx, h, late); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("late writer: %v, want ErrDuplicate", err)
	}
	got, err := s.History(ctx, "A")
	if err != nil || len(got) != 2 || got[1].Name != "乙" {
		t.Fatalf("history %+v %v: the dead writer's claim was not rolled forward", got, err)
	}
}

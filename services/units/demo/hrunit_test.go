package demo

import "testing"

// TestHRUnitExistsWithPeople: the demo HR login must land on a real unit with posts and incumbents,
// whatever the seed.
func TestHRUnitExistsWithPeople(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2026} {
		d := Generate(seed)
		found := false
		for _, u := range d.Units {
			found = found || u.ID == HRUnit
		}
		people := 0
		for _, h := range d.Hires {
			if h.Unit == HRUnit {
				people++
			}
		}
		if !found || len(d.Quotas[HRUnit]) == 0 || people == 0 {
			t.Fatalf("seed %d: unit %s found=%v posts=%v people=%d", seed, HRUnit, found, d.Quotas[HRUnit], people)
		}
	}
}

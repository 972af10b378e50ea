package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

func hold(id string, st ledger.HoldState) ledger.Hold {
	return ledger.Hold{ID: id, Account: accU1Adm.ID, Amount: 5, Purpose: "2026年公开招聘", PlanID: "p1", Actor: "hr-1",
		ExpiresAt: at(90 * 24 * time.Hour), State: st, CreatedAt: t0}
}

func storedHold(h ledger.Hold) ledger.Hold {
	h.ExpiresAt, h.CreatedAt = stored(h.ExpiresAt), stored(h.CreatedAt)
	return h
}

func byHoldID(h ledger.Hold) string { return h.ID }

var holdTests = []test{
	{"insert, read, update", func(t *testing.T, s ledger.Store) {
		h := hold("h1", ledger.HoldOpen)
		must(t, s.InsertHold(ctx(t), h), "InsertHold")
		got, err := s.Hold(ctx(t), "h1")
		must(t, err, "Hold")
		equal(t, "Hold", got, storedHold(h))
		h.State, h.Posted, h.Voided = ledger.HoldClosed, 3, 2
		must(t, s.UpdateHold(ctx(t), h), "UpdateHold")
		got, _ = s.Hold(ctx(t), "h1")
		equal(t, "updated hold", got, storedHold(h))
	}},
	{"duplicate id", func(t *testing.T, s ledger.Store) {
		must(t, s.InsertHold(ctx(t), hold("h1", ledger.HoldOpen)), "InsertHold")
		other := hold("h1", ledger.HoldOpen)
		other.Amount = 50
		isDuplicate(t, s.InsertHold(ctx(t), other), "second InsertHold")
		got, _ := s.Hold(ctx(t), "h1")
		equal(t, "the first hold stays", got, storedHold(hold("h1", ledger.HoldOpen)))
	}},
	{"missing", func(t *testing.T, s ledger.Store) {
		_, err := s.Hold(ctx(t), "h1")
		isNotFound(t, err, "Hold")
		isNotFound(t, s.UpdateHold(ctx(t), hold("h1", ledger.HoldClosed)), "UpdateHold")
		_, err = s.Hold(ctx(t), "h1")
		isNotFound(t, err, "Hold after the update of nothing")
	}},
	{"open holds: pending or open", func(t *testing.T, s ledger.Store) {
		for _, h := range []ledger.Hold{hold("h2", ledger.HoldOpen), hold("h1", ledger.HoldOpen), hold("h3", ledger.HoldClosed),
			hold("h4", ledger.HoldOpen), hold("h5", ledger.HoldPending), hold("h6", ledger.HoldRejected), hold("h7", ledger.HoldPending)} {
			must(t, s.InsertHold(ctx(t), h), "InsertHold "+h.ID)
		}
		closed := hold("h4", ledger.HoldClosed)
		closed.Voided = 5
		must(t, s.UpdateHold(ctx(t), closed), "UpdateHold h4")
		rejected := hold("h7", ledger.HoldRejected)
		must(t, s.UpdateHold(ctx(t), rejected), "UpdateHold h7")
		got, err := s.OpenHolds(ctx(t))
		must(t, err, "OpenHolds")
		equal(t, "OpenHolds", sortedBy(got, byHoldID), []ledger.Hold{storedHold(hold("h1", ledger.HoldOpen)),
			storedHold(hold("h2", ledger.HoldOpen)), storedHold(hold("h5", ledger.HoldPending))})
		got[0].Amount = 1000
		h, _ := s.Hold(ctx(t), got[0].ID)
		equal(t, "Hold after changing the list", h, storedHold(hold(got[0].ID, h.State)))
		if h.Amount == 1000 {
			t.Error("changing the list changed the store")
		}
	}},
	{"all holds", func(t *testing.T, s ledger.Store) {
		want := []ledger.Hold{hold("h2", ledger.HoldOpen), hold("h1", ledger.HoldClosed), hold("h3", ledger.HoldPending), hold("h4", ledger.HoldRejected)}
		for _, h := range want {
			must(t, s.InsertHold(ctx(t), h), "InsertHold "+h.ID)
		}
		got, err := s.AllHolds(ctx(t))
		must(t, err, "AllHolds")
		equal(t, "AllHolds", sortedBy(got, byHoldID), []ledger.Hold{storedHold(want[1]), storedHold(want[0]), storedHold(want[2]), storedHold(want[3])})
	}},
}

func slot(hold string, n int64, use, ref string) ledger.Slot {
	return ledger.Slot{ID: ledger.SlotID(hold, n), Hold: hold, Use: use, Ref: ref}
}

// groupSlot is slot n of a claim group of hold h for transfer ref, made at
// created, posting to account to.
func groupSlot(h string, n int64, use, ref string, to ledger.AccountID, created time.Time, group ...int64) ledger.Slot {
	sl := slot(h, n, use, ref)
	sl.To, sl.At = to, created
	for _, g := range group {
		sl.Group = append(sl.Group, ledger.SlotID(h, g))
	}
	return sl
}

func storedSlot(sl ledger.Slot) ledger.Slot {
	sl.Group = slices.Clone(sl.Group)
	sl.At = stored(sl.At)
	return sl
}

func slotIDs(list []ledger.Slot) []string {
	out := make([]string, len(list))
	for i, sl := range list {
		out[i] = sl.ID
	}
	return out
}

var slotTests = []test{
	{"claim returns exactly what it inserted", func(t *testing.T, s ledger.Store) {
		s1, s2, s3 := slot("h1", 1, "hire", "A"), slot("h1", 2, "hire", "B"), slot("h1", 3, "void", "")
		got, err := s.ClaimSlots(ctx(t), []ledger.Slot{s1})
		must(t, err, "ClaimSlots 1")
		equal(t, "claimed", got, []string{s1.ID})
		taken := slot("h1", 2, "void", "")
		got, err = s.ClaimSlots(ctx(t), []ledger.Slot{s1, s2, taken, s3})
		must(t, err, "ClaimSlots 1..3")
		equal(t, "claimed of 1, 2, 2 again, 3", got, []string{s2.ID, s3.ID})
		got, err = s.ClaimSlots(ctx(t), []ledger.Slot{s3, s1})
		must(t, err, "ClaimSlots all taken")
		if len(got) != 0 {
			t.Errorf("ClaimSlots of taken slots = %v, want none", got)
		}
		list, err := s.Slots(ctx(t), "h1", 5)
		must(t, err, "Slots")
		equal(t, "Slots", sortedBy(list, func(s ledger.Slot) string { return s.ID }), []ledger.Slot{s1, s2, s3})
	}},
	{"racing claims share out the slots", func(t *testing.T, s ledger.Store) {
		const claimers = 6
		want := []ledger.Slot{slot("h1", 1, "hire", ""), slot("h1", 2, "hire", ""), slot("h1", 3, "hire", ""), slot("h1", 4, "hire", "")}
		got := make([][]string, claimers)
		errs := make([]error, claimers)
		var wg sync.WaitGroup
		for i := range claimers {
			wg.Go(func() { got[i], errs[i] = s.ClaimSlots(ctx(t), want) })
		}
		wg.Wait()
		var all []string
		for i := range claimers {
			must(t, errs[i], fmt.Sprintf("claimer %d", i))
			all = append(all, got[i]...)
		}
		slices.Sort(all)
		equal(t, "every slot claimed exactly once", all, []string{want[0].ID, want[1].ID, want[2].ID, want[3].ID})
	}},
	{"slots keep their account, group and time", func(t *testing.T, s ledger.Store) {
		hire := groupSlot("h1", 1, "hire", "t1", accU1Adm.ID, t0, 1, 2)
		hire2 := groupSlot("h1", 2, "hire", "t1", accU1Adm.ID, t0, 1, 2)
		fence := groupSlot("h1", 3, "void", ledger.FenceRef("t2"), "", at(time.Minute), 3)
		got, err := s.ClaimSlots(ctx(t), []ledger.Slot{hire, hire2, fence})
		must(t, err, "ClaimSlots")
		equal(t, "claimed", got, []string{hire.ID, hire2.ID, fence.ID})
		want := []ledger.Slot{storedSlot(hire), storedSlot(hire2), storedSlot(fence)}
		hire.Group[0] = "changed after the claim"
		list, err := s.Slots(ctx(t), "h1", 5)
		must(t, err, "Slots")
		equal(t, "Slots", list, want)
		list[0].Group[1] = "changed after the read"
		all, err := s.AllSlots(ctx(t))
		must(t, err, "AllSlots")
		equal(t, "AllSlots", all, want)
		all[1].Group[0] = "changed in the list"
		list, _ = s.Slots(ctx(t), "h1", 5)
		equal(t, "Slots after changing copies", list, want)
	}},
	{"all slots, sorted by ID", func(t *testing.T, s ledger.Store) {
		claim := []ledger.Slot{slot("h2", 2, "void", ""), slot("h1", 10, "hire", "C"), slot("h10", 1, "hire", "D"),
			slot("h1", 2, "loan", "t1"), slot("h2", 1, "hire", "E"), slot("h1", 1, "hire", "A")}
		_, err := s.ClaimSlots(ctx(t), claim)
		must(t, err, "ClaimSlots")
		got, err := s.AllSlots(ctx(t))
		must(t, err, "AllSlots")
		equal(t, "AllSlots in ID order", slotIDs(got), []string{ledger.SlotID("h1", 1), ledger.SlotID("h1", 2), ledger.SlotID("h1", 10),
			ledger.SlotID("h10", 1), ledger.SlotID("h2", 1), ledger.SlotID("h2", 2)})
		list, err := s.Slots(ctx(t), "h1", 10)
		must(t, err, "Slots")
		equal(t, "Slots of h1 in ID order", list, []ledger.Slot{slot("h1", 1, "hire", "A"), slot("h1", 2, "loan", "t1"), slot("h1", 10, "hire", "C")})
	}},
	{"an empty claim is refused", func(t *testing.T, s ledger.Store) {
		if _, err := s.ClaimSlots(ctx(t), nil); err == nil {
			t.Error("ClaimSlots of nothing: no error")
		}
	}},
	{"slots of one hold, up to its amount", func(t *testing.T, s ledger.Store) {
		_, err := s.ClaimSlots(ctx(t), []ledger.Slot{slot("h1", 1, "hire", "A"), slot("h1", 3, "loan", "t1"), slot("h1", 9, "hire", "C"),
			slot("h10", 1, "hire", "D"), slot("h2", 2, "void", "")})
		must(t, err, "ClaimSlots")
		list, err := s.Slots(ctx(t), "h1", 3)
		must(t, err, "Slots h1 3")
		equal(t, "Slots h1 up to 3", sortedBy(list, func(s ledger.Slot) string { return s.ID }),
			[]ledger.Slot{slot("h1", 1, "hire", "A"), slot("h1", 3, "loan", "t1")})
		list, _ = s.Slots(ctx(t), "h3", 5)
		if len(list) != 0 {
			t.Errorf("Slots of a hold without any = %v", list)
		}
		list, _ = s.Slots(ctx(t), "h1", 0)
		if len(list) != 0 {
			t.Errorf("Slots of amount 0 = %v", list)
		}
		list, _ = s.Slots(ctx(t), "h1", 3)
		list[0].Use = "changed"
		again, _ := s.Slots(ctx(t), "h1", 1)
		equal(t, "Slots after changing the list", again, []ledger.Slot{slot("h1", 1, "hire", "A")})
	}},
}

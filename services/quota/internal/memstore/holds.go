package memstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

func storedHold(h ledger.Hold) ledger.Hold {
	h.ExpiresAt, h.CreatedAt = ms(h.ExpiresAt), ms(h.CreatedAt)
	return h
}

// InsertHold creates a hold; ErrDuplicate if its ID exists.
func (s *Store) InsertHold(_ context.Context, h ledger.Hold) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return insert(s.holds, h.ID, storedHold(h), "insert hold")
}

// Hold reads a hold.
func (s *Store) Hold(_ context.Context, id string) (ledger.Hold, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get(s.holds, id, same)
}

// UpdateHold replaces a hold's summary; ErrNotFound if there is none.
func (s *Store) UpdateHold(_ context.Context, h ledger.Hold) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return replace(s.holds, h.ID, storedHold(h))
}

// OpenHolds lists the holds not closed (pending or open), sorted by ID.
func (s *Store) OpenHolds(_ context.Context) ([]ledger.Hold, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.holds, func(h ledger.Hold) bool {
		return h.State == ledger.HoldPending || h.State == ledger.HoldOpen
	}, same), nil
}

// AllHolds returns every hold, sorted by ID.
func (s *Store) AllHolds(_ context.Context) ([]ledger.Hold, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.holds, nil, same), nil
}

// cloneSlot is a slot as the adapter stores it: an empty group comes back
// absent, the time at millisecond precision in UTC.
func cloneSlot(sl ledger.Slot) ledger.Slot {
	sl.Group = strs(sl.Group)
	sl.At = ms(sl.At)
	return sl
}

// ClaimSlots inserts slot records unordered and returns the IDs it
// inserted, in the order given; a slot already taken (also by an earlier
// slot of the same call) is skipped.
func (s *Store) ClaimSlots(_ context.Context, slots []ledger.Slot) ([]string, error) {
	if len(slots) == 0 {
		return nil, errEmptyInsert("claim slots")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var claimed []string
	for _, sl := range slots {
		if insert(s.slots, sl.ID, cloneSlot(sl), "claim slots") == nil {
			claimed = append(claimed, sl.ID)
		}
	}
	return claimed, nil
}

// Slots reads the slot records <hold>#1 … <hold>#amount that exist (by
// key, without a scan), sorted by ID.
func (s *Store) Slots(_ context.Context, holdID string, amount int64) ([]ledger.Slot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ledger.Slot, 0)
	for n := int64(1); n <= amount; n++ {
		if sl, ok := s.slots[ledger.SlotID(holdID, n)]; ok {
			out = append(out, cloneSlot(sl))
		}
	}
	slices.SortFunc(out, func(a, b ledger.Slot) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// AllSlots returns every slot, sorted by ID.
func (s *Store) AllSlots(_ context.Context) ([]ledger.Slot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return list(s.slots, nil, cloneSlot), nil
}

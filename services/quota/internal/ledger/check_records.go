package ledger

import (
	"fmt"
	"sort"
	"time"
)

// CheckHolds proves that every account's held posts (its last entry's
// balance, in held) equal the posts of its holds that no applied transfer
// has used yet: for each hold whose held+n transfer is applied, its amount
// minus the slots whose transfer is applied (a hire's post, a loan, a void,
// or a slot's own release). Every transfer that changes held posts is
// single-legged on the hold's account or debits it first, so both sides
// change with one insert and the rule holds at every instant. applied is
// the set of transfer IDs with entries.
func CheckHolds(held map[AccountID]int64, holds []Hold, slots []Slot, applied map[string]bool) []Problem {
	bySlotHold := map[string][]Slot{}
	for _, s := range slots {
		bySlotHold[s.Hold] = append(bySlotHold[s.Hold], s)
	}
	want := map[AccountID]int64{}
	for _, h := range holds {
		if !applied[h.ID] {
			continue
		}
		open := h.Amount
		for _, s := range bySlotHold[h.ID] {
			if applied[s.Ref] || applied["hvr-"+s.ID] {
				open--
			}
		}
		want[h.Account] += open
	}
	ids := map[AccountID]bool{}
	for id, n := range held {
		if n != 0 {
			ids[id] = true
		}
	}
	for id := range want {
		ids[id] = true
	}
	var ps []Problem
	for _, id := range sortedIDs(ids) {
		if held[id] != want[id] {
			ps = append(ps, Problem{Rule: RuleHeld, Subject: string(id), Detail: fmt.Sprintf("held %d, open hold slots %d", held[id], want[id])})
		}
	}
	return ps
}

func sortedIDs(m map[AccountID]bool) []AccountID {
	out := make([]AccountID, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// CheckTransfers proves that each transfer record agrees with the journal:
// a posted transfer has one entry per leg with the leg's delta, a rejected
// one has none, and every entry belongs to a transfer record or to a hire
// batch that names the same people (an open batch, or a pending transfer,
// is still being applied and is judged by the staleness rule instead).
func CheckTransfers(transfers []Transfer, entries []Entry, batches []HireBatch) []Problem {
	byTransfer := map[string][]Entry{}
	for _, e := range entries {
		byTransfer[e.TransferID] = append(byTransfer[e.TransferID], e)
	}
	var ps []Problem
	add := func(subject, format string, a ...any) {
		ps = append(ps, Problem{Rule: RuleTransfers, Subject: subject, Detail: fmt.Sprintf(format, a...)})
	}
	known := map[string]bool{}
	for _, t := range transfers {
		known[t.ID] = true
		es := byTransfer[t.ID]
		switch t.State {
		case StateRejected:
			if len(es) > 0 {
				add(t.ID, "rejected, yet %d of its legs are in the journal", len(es))
			}
		case StatePosted:
			byLeg := map[int]Entry{}
			for _, e := range es {
				byLeg[e.Leg] = e
			}
			for i, l := range t.Legs {
				e, ok := byLeg[i]
				switch {
				case !ok:
					add(t.ID, "posted, but leg %d is not in the journal", i)
				case e.Account != l.Account || e.Delta != l.Delta:
					add(t.ID, "leg %d is %s %+v in the record and %s %+v in the journal", i, l.Account, l.Delta, e.Account, e.Delta)
				}
			}
			if len(es) > len(t.Legs) {
				add(t.ID, "%d entries for %d legs", len(es), len(t.Legs))
			}
		}
	}
	batch := map[string]HireBatch{}
	for _, b := range batches {
		batch[b.ID] = b
	}
	tids := make([]string, 0, len(byTransfer))
	for tid := range byTransfer {
		tids = append(tids, tid)
	}
	sort.Strings(tids)
	for _, tid := range tids {
		if known[tid] {
			continue
		}
		b, ok := batch[tid]
		es := byTransfer[tid]
		switch {
		case !ok:
			add(tid, "%d journal entries without a transfer record or hire batch", len(es))
		case b.State == BatchAborted:
			add(tid, "hire batch aborted, yet its entry is in the journal")
		case b.State == BatchCommitted && !samePeople(b.People, es[0].Incumbents):
			add(tid, "hire batch names %d people, its entry %d", len(b.People), len(es[0].Incumbents))
		}
	}
	return ps
}

func samePeople(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	set := make(map[string]bool, len(a))
	for _, x := range a {
		set[x] = true
	}
	for _, x := range b {
		if !set[x] {
			return false
		}
	}
	return true
}

// InFlight is work recorded but not yet settled: each item names what it
// is, when it was recorded and the accounts it touches.
type InFlight struct {
	What     string
	ID       string
	At       time.Time
	Accounts []AccountID
}

// CheckStale reports work still unsettled that was recorded before
// horizon: recovery should have finished or undone it, so it is a fault
// (a recovery that cannot make progress), not work in flight.
func CheckStale(items []InFlight, horizon time.Time) []Problem {
	var ps []Problem
	for _, it := range items {
		if it.At.Before(horizon) {
			ps = append(ps, Problem{Rule: RuleStale, Subject: it.ID, Detail: fmt.Sprintf("%s unsettled since %s", it.What, it.At.Format(time.RFC3339))})
		}
	}
	return ps
}

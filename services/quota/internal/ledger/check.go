package ledger

import (
	"fmt"
	"sort"
)

// Problem is one broken invariant the checker found.
type Problem struct {
	Rule    string `json:"rule"`
	Subject string `json:"subject"`
	Detail  string `json:"detail"`
}

// Rules the checker proves.
const (
	RuleNoNegative   = "no_negative_balance"
	RuleReplay       = "balance_equals_replay"
	RuleSequence     = "contiguous_sequence"
	RuleZeroSum      = "postings_sum_to_zero"
	RuleRegionTotals = "region_totals_conserved"
	RuleOccupancy    = "occupied_equals_people"
	RuleHeld         = "held_equals_open_slots"
	RuleTransfers    = "transfer_matches_entries"
	RuleStale        = "nothing_pending_forever"
)

// Rules lists every rule the checker proves, in the order answers list them.
func Rules() []string {
	return []string{RuleSequence, RuleReplay, RuleNoNegative, RuleZeroSum, RuleRegionTotals, RuleOccupancy, RuleHeld, RuleTransfers, RuleStale}
}

// crossesRegions reports whether k may change a region's total: only the
// level above (adjust_control) and the kinds whose purpose is to move quota
// between regions and pools.
func crossesRegions(k TransferKind) bool {
	switch k {
	case TransferAdjustControl, TransferMoveLevel, TransferRecover, TransferReallocate, TransferLend, TransferReturn, TransferPost:
		return true
	}
	return false
}

// Check proves the ledger's invariants over a full read of accounts and
// entries: every account's sequence is contiguous from 1, every balance
// equals the replay of its deltas and is never negative, every settled
// transfer's postings sum to zero, and no transfer of a kind that must stay
// inside a region changes a region's total. Transfers in inFlight are still
// being applied (or awaiting recovery) and are excluded from the sum checks.
func Check(accounts map[AccountID]Account, entries []Entry, inFlight map[string]bool) []Problem {
	var ps []Problem
	add := func(rule, subject, format string, a ...any) {
		ps = append(ps, Problem{Rule: rule, Subject: subject, Detail: fmt.Sprintf(format, a...)})
	}
	byAccount := map[AccountID][]Entry{}
	for _, e := range entries {
		byAccount[e.Account] = append(byAccount[e.Account], e)
	}
	ids := make([]string, 0, len(byAccount))
	for id := range byAccount {
		ids = append(ids, string(id))
	}
	sort.Strings(ids)
	for _, s := range ids {
		id := AccountID(s)
		es := byAccount[id]
		sort.Slice(es, func(i, j int) bool { return es[i].Seq < es[j].Seq })
		var b Balance
		want := int64(1)
		for _, e := range es {
			if e.Seq != want {
				// Report the gap and go on from the entry found, so one
				// gap does not hide what follows it.
				add(RuleSequence, s, "entry %d found where %d was expected", e.Seq, want)
				b = e.Balance.Add(e.Delta.Neg())
			}
			want = e.Seq + 1
			b = b.Add(e.Delta)
			if b != e.Balance {
				add(RuleReplay, e.ID, "stored balance %+v, replay gives %+v", e.Balance, b)
				b = e.Balance
			}
			if id.Type() != HolderExternal && (b.Held < 0 || b.Occupied < 0 || b.Vacant() < 0) {
				add(RuleNoNegative, e.ID, "balance %+v breaks the red line", b)
			}
		}
	}
	type key struct{ transfer, region string }
	sums := map[string]int64{}
	regionSums := map[key]int64{}
	kinds := map[string]TransferKind{}
	for _, e := range entries {
		if inFlight[e.TransferID] {
			continue
		}
		sums[e.TransferID] += e.Delta.Approved
		kinds[e.TransferID] = e.Kind
		region := ""
		if a, ok := accounts[e.Account]; ok {
			region = a.Region
		}
		regionSums[key{e.TransferID, region}] += e.Delta.Approved
	}
	tids := make([]string, 0, len(sums))
	for t := range sums {
		tids = append(tids, t)
	}
	sort.Strings(tids)
	for _, t := range tids {
		if sums[t] != 0 {
			add(RuleZeroSum, t, "approved postings sum to %d", sums[t])
		}
	}
	for k, v := range regionSums {
		if v != 0 && !crossesRegions(kinds[k.transfer]) {
			add(RuleRegionTotals, k.transfer, "%s transfer changed region %s's total by %d", kinds[k.transfer], k.region, v)
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Rule+ps[i].Subject < ps[j].Rule+ps[j].Subject })
	return ps
}

// CheckOccupancy proves that every unit account's occupied posts (its last
// entry's balance) equal the people on posts of that account (实名制), and
// that nobody is on a post of an account that is not a unit account.
// Accounts in skip have work in flight (a pending transfer, an open hire
// batch) whose two halves may be seen apart; they are not judged.
func CheckOccupancy(accounts map[AccountID]Account, occupied, people map[AccountID]int64, skip map[AccountID]bool) []Problem {
	seen := map[AccountID]bool{}
	var ids []string
	for id, a := range accounts {
		if a.Type == HolderUnit {
			seen[id] = true
			ids = append(ids, string(id))
		}
	}
	for id := range people {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, string(id))
		}
	}
	sort.Strings(ids)
	var ps []Problem
	for _, s := range ids {
		id := AccountID(s)
		if skip[id] {
			continue
		}
		a, ok := accounts[id]
		switch {
		case !ok || a.Type != HolderUnit:
			ps = append(ps, Problem{Rule: RuleOccupancy, Subject: s, Detail: fmt.Sprintf("%d people on posts of an account that is not a unit account", people[id])})
		case occupied[id] != people[id]:
			ps = append(ps, Problem{Rule: RuleOccupancy, Subject: s, Detail: fmt.Sprintf("occupied %d, people on posts %d", occupied[id], people[id])})
		}
	}
	return ps
}

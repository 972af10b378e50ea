package service

import (
	"context"
	"fmt"
	"sort"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// MoveGroup executes moves that share a kind and a source account as ONE
// transfer: one debit of the source for the sum (the only refusable leg,
// applied first), then one credit leg per receiving account (credits are
// never refused, so recovery can always finish the transfer once the debit
// is in). A year's approvals out of a region's control total are thousands
// of rows on one account: as single transfers each would read, append and
// settle on its own (about four writes and several reads per row, all
// serialised on the control account's journal); as a group they cost one
// transfer record, one debit, one entry per unit and one settlement.
//
// Rows with the same target are merged. The group is all-or-nothing: if the
// source cannot cover the sum, no row is applied (the refusal names the
// source's balance). The transfer's ID is scoped by caller and key, so a
// retry returns the first outcome and applies nothing twice.
//
// accs, when not nil, holds the accounts the rows name, read by the caller
// with Accounts for many groups at once (a missing one is not found).
func (l *Ledger) MoveGroup(ctx context.Context, caller, key string, rs []ledger.MoveRequest, accs map[ledger.AccountID]ledger.AccountRecord) (ledger.Transfer, error) {
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		return ledger.Transfer{}, err
	}
	if len(rs) == 0 {
		return ledger.Transfer{}, ledger.Invalid("rows", "至少需要一行", "a group needs at least one row")
	}
	first := rs[0]
	ids := []ledger.AccountID{first.From}
	amount := map[ledger.AccountID]int64{}
	var order []ledger.AccountID
	for _, r := range rs {
		if r.Kind != first.Kind || r.From != first.From {
			return ledger.Transfer{}, ledger.Invalid("rows", "同组划转的类型和转出账户必须相同", "rows of a group share kind and source")
		}
		if _, ok := amount[r.To]; !ok {
			order = append(order, r.To)
			ids = append(ids, r.To)
		}
		amount[r.To] += r.Amount
	}
	if accs == nil {
		var err error
		if accs, err = l.Accounts(ctx, ids); err != nil {
			return ledger.Transfer{}, err
		}
	}
	from, ok := accs[first.From]
	if !ok {
		return ledger.Transfer{}, withField(ledger.NotFound("account", string(first.From)), "from")
	}
	var subjects []string
	for _, id := range order {
		if to, ok := accs[id]; ok && to.Type == ledger.HolderUnit {
			subjects = append(subjects, to.Holder, to.Department)
		}
	}
	blocks, err := l.store.Blocks(ctx, subjects...)
	if err != nil {
		return ledger.Transfer{}, err
	}
	var total int64
	legs := []ledger.Leg{{Account: from.ID}}
	for _, id := range order {
		to, ok := accs[id]
		if !ok {
			return ledger.Transfer{}, withField(ledger.NotFound("account", string(id)), "to")
		}
		r := first
		r.To, r.Amount = id, amount[id]
		pl, err := ledger.PlanMove(r, from.Account, to.Account)
		if err != nil {
			return ledger.Transfer{}, err
		}
		if to.Type == ledger.HolderUnit {
			if err := ledger.CheckNotBlocked(blocks, to.Holder, to.Department); err != nil {
				return ledger.Transfer{}, err
			}
		}
		total += amount[id]
		legs = append(legs, pl[1])
	}
	legs[0].Delta = ledger.Delta{Approved: -total}
	l.prime(accs, ids)
	return l.Execute(ctx, ledger.Transfer{
		ID: ledger.ScopedID("t", caller, key), Kind: first.Kind, Legs: legs, Reason: first.Reason, DocNo: first.DocNo,
		Actor: first.Actor, Fingerprint: ledger.Fingerprint(rs),
	})
}

// Accounts reads many accounts with one query (on the embedded store every
// read scans, so one read for a batch instead of one per row).
func (l *Ledger) Accounts(ctx context.Context, ids []ledger.AccountID) (map[ledger.AccountID]ledger.AccountRecord, error) {
	sorted := append([]ledger.AccountID(nil), ids...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	recs, err := l.store.Accounts(ctx, ledger.AccountFilter{IDs: sorted})
	if err != nil {
		return nil, fmt.Errorf("read %d accounts: %w", len(ids), err)
	}
	out := make(map[ledger.AccountID]ledger.AccountRecord, len(recs))
	for _, r := range recs {
		out[r.ID] = r
	}
	return out, nil
}

// prime seeds the head cache of accounts this process has not seen yet and
// whose account record carries no head hint: their last entry is assumed to
// be the zero entry. That is a guess like any cached head: the append
// inserts sequence 1, which succeeds only if the account really has no
// entry (then the zero balance was the true predecessor and the rule ran on
// it); otherwise the insert is a duplicate and the append reads the real
// head and re-validates, as after any stale cache. It spares a fresh
// account the probe for entry 1, a miss that scans the whole journal on the
// embedded store.
func (l *Ledger) prime(accs map[ledger.AccountID]ledger.AccountRecord, ids []ledger.AccountID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		if _, ok := l.heads[id]; !ok && accs[id].HeadHint == 0 {
			l.heads[id] = ledger.Entry{Account: id}
		}
	}
}

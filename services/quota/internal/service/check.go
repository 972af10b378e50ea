package service

import (
	"context"
	"time"

	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// CheckResult is the invariant checker's answer.
type CheckResult struct {
	OK       bool             `json:"ok"`
	Accounts int              `json:"accounts"`
	Entries  int              `json:"entries"`
	InFlight int              `json:"inFlight"`
	Problems []ledger.Problem `json:"problems"`
	// People is how many people are on posts (the occupancy check's count).
	People int `json:"people"`
	// Rules lists every rule with the number of problems it found.
	Rules []RuleCount `json:"rules"`
}

// RuleCount is one rule of the checker and how many problems it found.
type RuleCount struct {
	Rule     string `json:"rule"`
	Problems int    `json:"problems"`
}

// Check reads the whole ledger and proves its invariants:
//   - the journal (ledger.Check): contiguous sequences, balances equal to
//     their replay and within the red line, transfers summing to zero,
//     region totals conserved;
//   - occupied posts equal the people on them (ledger.CheckOccupancy);
//   - held posts equal the open slots of holds (ledger.CheckHolds);
//   - each transfer record agrees with its entries (ledger.CheckTransfers);
//   - nothing stays unsettled past the recovery horizon (ledger.CheckStale).
//
// Work recorded within the horizon is in flight: its accounts are not
// judged by the sum and occupancy rules, whose two halves it may still be
// writing. Older work is not excluded but reported.
func (l *Ledger) Check(ctx context.Context) (CheckResult, error) {
	in, err := l.readAll(ctx)
	if err != nil {
		return CheckResult{}, err
	}
	now := l.now()
	horizon := now.Add(-l.StaleAfter)
	inFlight := map[string]bool{}
	skip := map[ledger.AccountID]bool{}
	for _, it := range in.flight {
		if !it.At.Before(horizon) {
			inFlight[it.ID] = true
			for _, a := range it.Accounts {
				skip[a] = true
			}
		}
	}
	ps := ledger.Check(in.accounts, in.entries, inFlight)

	last := map[ledger.AccountID]ledger.Entry{}
	applied := map[string]bool{}
	for _, e := range in.entries {
		if e.Seq > last[e.Account].Seq {
			last[e.Account] = e
		}
		applied[e.TransferID] = true
	}
	occupied := make(map[ledger.AccountID]int64, len(last))
	held := make(map[ledger.AccountID]int64, len(last))
	for id, e := range last {
		occupied[id], held[id] = e.Balance.Occupied, e.Balance.Held
	}
	count, people := onPosts(in.people, in.batches)
	ps = append(ps, ledger.CheckOccupancy(in.accounts, occupied, count, skip)...)
	ps = append(ps, ledger.CheckHolds(held, in.holds, in.slots, applied)...)
	ps = append(ps, ledger.CheckTransfers(in.transfers, in.entries, in.batches)...)
	ps = append(ps, ledger.CheckStale(in.flight, horizon)...)
	if ps == nil {
		ps = []ledger.Problem{}
	}
	if l.hooks.Checked != nil {
		l.hooks.Checked(len(ps) == 0)
	}
	byRule := map[string]int{}
	for _, p := range ps {
		byRule[p.Rule]++
	}
	var rules []RuleCount
	for _, r := range ledger.Rules() {
		rules = append(rules, RuleCount{Rule: r, Problems: byRule[r]})
	}
	return CheckResult{OK: len(ps) == 0, Accounts: len(in.accounts), Entries: len(in.entries), InFlight: len(inFlight),
		Problems: ps, People: people, Rules: rules}, nil
}

// checkInput is every stored relation the checker judges.
type checkInput struct {
	accounts  map[ledger.AccountID]ledger.Account
	entries   []ledger.Entry
	transfers []ledger.Transfer
	batches   []ledger.HireBatch
	holds     []ledger.Hold
	slots     []ledger.Slot
	people    []ledger.IncumbentRecord
	flight    []ledger.InFlight
}

// readAll reads the ledger for the checker: one query per collection.
func (l *Ledger) readAll(ctx context.Context) (checkInput, error) {
	var in checkInput
	accs, err := l.store.Accounts(ctx, ledger.AccountFilter{})
	if err != nil {
		return in, err
	}
	in.accounts = make(map[ledger.AccountID]ledger.Account, len(accs))
	for _, a := range accs {
		in.accounts[a.ID] = a.Account
	}
	if in.entries, err = l.store.AllEntries(ctx); err != nil {
		return in, err
	}
	if in.transfers, err = l.store.AllTransfers(ctx); err != nil {
		return in, err
	}
	if in.batches, err = l.store.AllBatches(ctx); err != nil {
		return in, err
	}
	if in.holds, err = l.store.AllHolds(ctx); err != nil {
		return in, err
	}
	if in.slots, err = l.store.AllSlots(ctx); err != nil {
		return in, err
	}
	if in.people, err = l.store.AllIncumbents(ctx); err != nil {
		return in, err
	}
	future := l.now().Add(time.Hour)
	ops, err := l.store.OpenTenureOps(ctx, future)
	if err != nil {
		return in, err
	}
	moves, err := l.store.OpenMoveSnapshots(ctx, future)
	if err != nil {
		return in, err
	}
	in.flight = inFlight(in, ops, moves)
	return in, nil
}

// inFlight lists the work the records show unsettled.
func inFlight(in checkInput, ops []ledger.TenureOp, moves []ledger.MoveSnapshot) []ledger.InFlight {
	var out []ledger.InFlight
	for _, t := range in.transfers {
		if t.State == ledger.StatePending {
			var accs []ledger.AccountID
			for _, leg := range t.Legs {
				accs = append(accs, leg.Account)
			}
			out = append(out, ledger.InFlight{What: "pending transfer", ID: t.ID, At: t.CreatedAt, Accounts: accs})
		}
	}
	for _, b := range in.batches {
		if b.State == ledger.BatchOpen {
			out = append(out, ledger.InFlight{What: "open hire batch", ID: b.ID, At: b.CreatedAt, Accounts: []ledger.AccountID{b.Account}})
		}
	}
	for _, h := range in.holds {
		if h.State == ledger.HoldPending {
			out = append(out, ledger.InFlight{What: "pending hold", ID: h.ID, At: h.CreatedAt, Accounts: []ledger.AccountID{h.Account}})
		}
	}
	for _, op := range ops {
		out = append(out, ledger.InFlight{What: "unfinished " + string(op.Kind), ID: op.ID, At: op.At, Accounts: []ledger.AccountID{op.From, op.To}})
	}
	for _, m := range moves {
		var accs []ledger.AccountID
		for _, k := range snapKinds(m) {
			accs = append(accs, ledger.UnitAccount(m.From, k), ledger.UnitAccount(m.To, k))
		}
		out = append(out, ledger.InFlight{What: "unfinished merger", ID: m.ID, At: m.CreatedAt, Accounts: accs})
	}
	return out
}

// onPosts counts the people on posts per account: active, or pending in a
// committed batch that names them (as ActiveIncumbents resolves them).
func onPosts(people []ledger.IncumbentRecord, batches []ledger.HireBatch) (map[ledger.AccountID]int64, int) {
	hired := map[string]map[string]bool{}
	for _, b := range batches {
		if b.State == ledger.BatchCommitted {
			set := make(map[string]bool, len(b.People))
			for _, id := range b.People {
				set[id] = true
			}
			hired[b.ID] = set
		}
	}
	count := map[ledger.AccountID]int64{}
	total := 0
	for _, p := range people {
		if p.State == ledger.IncumbentActive || p.State == ledger.IncumbentPending && hired[p.TransferID][p.IDNumber] {
			count[p.Account]++
			total++
		}
	}
	return count, total
}

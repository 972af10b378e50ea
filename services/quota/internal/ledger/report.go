package ledger

import (
	"sort"
	"time"
)

// Reports are pure folds over the journal: the journal is the only source
// of history, so every report can be recomputed for any period and agrees
// with the balances by construction.

// RollForward is one line of the year-end roll-forward (年末结转):
// opening + in − out = closing approved posts.
type RollForward struct {
	Region  string `json:"region"`
	Kind    Kind   `json:"kind"`
	Opening int64  `json:"opening"`
	In      int64  `json:"in"`
	Out     int64  `json:"out"`
	Closing int64  `json:"closing"`
}

// RollForwards folds entries of accounts in region's subtree over [from,
// to) into one line per region and kind. Moves between two accounts of one
// region count both ways, so in and out show the gross flows.
func RollForwards(accounts map[AccountID]Account, entries []Entry, scope string, from, to time.Time) []RollForward {
	type key struct {
		region string
		kind   Kind
	}
	lines := map[key]*RollForward{}
	for _, e := range entries {
		a, ok := accounts[e.Account]
		if !ok || a.Type == HolderExternal || !InRegion(scope, a.Region) || !e.At.Before(to) {
			continue
		}
		k := key{a.Region, a.Kind}
		l := lines[k]
		if l == nil {
			l = &RollForward{Region: a.Region, Kind: a.Kind}
			lines[k] = l
		}
		switch d := e.Delta.Approved; {
		case e.At.Before(from):
			l.Opening += d
		case d > 0:
			l.In += d
		default:
			l.Out -= d
		}
	}
	out := make([]RollForward, 0, len(lines))
	for _, l := range lines {
		l.Closing = l.Opening + l.In - l.Out
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Region != out[j].Region {
			return out[i].Region < out[j].Region
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// LevelMove sums approved posts moved from one level to another (how the
// report's 808 county→township, 150 city→street, 1391 city→county are shown).
type LevelMove struct {
	From      Level `json:"from"`
	To        Level `json:"to"`
	Kind      Kind  `json:"kind"`
	Posts     int64 `json:"posts"`
	Transfers int   `json:"transfers"`
}

// LevelMoves sums move_level transfers over [from, to) by direction and kind.
func LevelMoves(accounts map[AccountID]Account, entries []Entry, from, to time.Time) []LevelMove {
	type leg struct{ src, dst Account }
	byTransfer := map[string]*leg{}
	amount := map[string]int64{}
	for _, e := range entries {
		if e.Kind != TransferMoveLevel || e.At.Before(from) || !e.At.Before(to) {
			continue
		}
		l := byTransfer[e.TransferID]
		if l == nil {
			l = &leg{}
			byTransfer[e.TransferID] = l
		}
		if e.Delta.Approved < 0 {
			l.src = accounts[e.Account]
			amount[e.TransferID] = -e.Delta.Approved
		} else {
			l.dst = accounts[e.Account]
		}
	}
	type key struct {
		from, to Level
		kind     Kind
	}
	sums := map[key]*LevelMove{}
	for id, l := range byTransfer {
		if l.src.ID == "" || l.dst.ID == "" {
			continue // in flight: one leg only
		}
		k := key{l.src.Level, l.dst.Level, l.src.Kind}
		m := sums[k]
		if m == nil {
			m = &LevelMove{From: k.from, To: k.to, Kind: k.kind}
			sums[k] = m
		}
		m.Posts += amount[id]
		m.Transfers++
	}
	out := make([]LevelMove, 0, len(sums))
	for _, m := range sums {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].From != out[j].From {
			return out[i].From.rank() < out[j].From.rank()
		}
		if out[i].To != out[j].To {
			return out[i].To.rank() < out[j].To.rank()
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// MonthFlow is one month's flow of one kind: approved posts in and out of
// the scope's accounts by transfer kind, and hires and exits.
type MonthFlow struct {
	Month    string       `json:"month"` // YYYY-MM, Beijing time
	Kind     TransferKind `json:"kind"`
	In       int64        `json:"in"`
	Out      int64        `json:"out"`
	Occupied int64        `json:"occupied"` // net change of occupied posts
}

// MonthlyFlows folds the journal of scope's unit and pool accounts by month
// and transfer kind over [from, to).
func MonthlyFlows(accounts map[AccountID]Account, entries []Entry, scope string, from, to time.Time) []MonthFlow {
	type key struct {
		month string
		kind  TransferKind
	}
	sums := map[key]*MonthFlow{}
	for _, e := range entries {
		a, ok := accounts[e.Account]
		if !ok || a.Type == HolderExternal || !InRegion(scope, a.Region) || e.At.Before(from) || !e.At.Before(to) {
			continue
		}
		k := key{e.At.In(China).Format("2006-01"), e.Kind}
		f := sums[k]
		if f == nil {
			f = &MonthFlow{Month: k.month, Kind: k.kind}
			sums[k] = f
		}
		if d := e.Delta.Approved; d > 0 {
			f.In += d
		} else {
			f.Out -= d
		}
		f.Occupied += e.Delta.Occupied
	}
	out := make([]MonthFlow, 0, len(sums))
	for _, f := range sums {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Month != out[j].Month {
			return out[i].Month < out[j].Month
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

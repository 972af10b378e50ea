package recruit

import (
	"slices"
	"strings"
	"time"
)

// PoolLine is one row of the pool statement: a sub-pool and kind, or a unit.
type PoolLine struct {
	SubPool    SubPool `json:"subPool,omitempty"`
	Kind       Kind    `json:"kind,omitempty"`
	Unit       string  `json:"unit,omitempty"`
	Label      string  `json:"label"`
	Capacity   *int64  `json:"capacity,omitempty"` // posts the pool owns: free + held + on loan
	Free       *int64  `json:"free,omitempty"`     // posts the pool can still hold
	Held       int64   `json:"held"`               // accepted cases waiting to hire
	OnLoan     int64   `json:"onLoan"`             // hired cases not yet returned (overdue included)
	Overdue    int64   `json:"overdue"`
	Returned   int64   `json:"returned"`   // loans returned to the pool, cumulative
	Recruited  int64   `json:"recruited"`  // person-times hired through the pool, cumulative
	InProgress int64   `json:"inProgress"` // filed or sent back, not yet decided
}

// PoolBalance is a pool account's balance as the ledger reports it.
type PoolBalance struct {
	Approved int64
	Held     int64
	Occupied int64
}

// HireTime summarises the days from filing to hire of the cases hired.
type HireTime struct {
	Count      int     `json:"count"`
	MeanDays   float64 `json:"meanDays"`
	MedianDays float64 `json:"medianDays"`
	MaxDays    float64 `json:"maxDays"`
}

// Statement is the pool report.
type Statement struct {
	BySubPool []PoolLine `json:"bySubPool"`
	ByUnit    []PoolLine `json:"byUnit"`
	Total     PoolLine   `json:"total"`
	// Recruited is the cumulative person-times recruited, counting those before this system (the
	// baseline) and every case ever hired here.
	Recruited int64    `json:"recruited"`
	HireTime  HireTime `json:"hireTime"`
}

// Report builds the pool statement from cases and the ledger's balances of the pool accounts
// (keyed by Case.PoolAccount; missing accounts leave capacity and free unknown).
func Report(cases []Case, pools map[string]PoolBalance, baseline int64) Statement {
	byPool := map[string]*PoolLine{}
	byUnit := map[string]*PoolLine{}
	var total PoolLine
	var days []float64
	for _, c := range cases {
		pk := c.PoolAccount()
		if byPool[pk] == nil {
			byPool[pk] = &PoolLine{SubPool: c.SubPool, Kind: c.Kind, Label: Label(c.SubPool) + " · " + Label(c.Kind)}
		}
		if byUnit[c.Unit] == nil {
			byUnit[c.Unit] = &PoolLine{Unit: c.Unit, Label: c.Unit}
		}
		for _, l := range []*PoolLine{byPool[pk], byUnit[c.Unit], &total} {
			l.add(c)
		}
		if !c.HiredAt.IsZero() {
			days = append(days, c.HiredAt.Sub(c.FiledAt).Hours()/24)
		}
	}
	for pk := range pools {
		if byPool[pk] == nil {
			sp, k := splitPool(pk)
			byPool[pk] = &PoolLine{SubPool: sp, Kind: k, Label: Label(sp) + " · " + Label(k)}
		}
	}
	st := Statement{Total: total, Recruited: baseline + total.Recruited, HireTime: hireTime(days)}
	var capSum, freeSum int64
	known := len(pools) > 0
	for pk, l := range byPool {
		if b, ok := pools[pk]; ok {
			free := b.Approved - b.Held - b.Occupied
			capacity := b.Approved + l.OnLoan
			l.Free, l.Capacity = &free, &capacity
			capSum += capacity
			freeSum += free
		} else {
			known = false
		}
		st.BySubPool = append(st.BySubPool, *l)
	}
	if known {
		st.Total.Capacity, st.Total.Free = &capSum, &freeSum
	}
	st.Total.Label = "合计"
	for _, l := range byUnit {
		st.ByUnit = append(st.ByUnit, *l)
	}
	slices.SortFunc(st.BySubPool, func(a, b PoolLine) int {
		if d := slices.Index(SubPools(), a.SubPool) - slices.Index(SubPools(), b.SubPool); d != 0 {
			return d
		}
		return slices.Index(Kinds(), a.Kind) - slices.Index(Kinds(), b.Kind)
	})
	slices.SortFunc(st.ByUnit, func(a, b PoolLine) int { return compare(a.Unit, b.Unit) })
	return st
}

func (l *PoolLine) add(c Case) {
	switch c.Status {
	case StatusFiled, StatusReturned:
		l.InProgress++
	case StatusAccepted:
		l.Held++
	case StatusHired:
		l.OnLoan++
	case StatusOverdue:
		l.OnLoan++
		l.Overdue++
	case StatusReturnedToPool:
		l.Returned++
	}
	if !c.HiredAt.IsZero() {
		l.Recruited++
	}
}

func splitPool(account string) (SubPool, Kind) {
	p := strings.Split(account, ":") // pool:talent:<subpool>:<kind>
	if len(p) != 4 {
		return "", ""
	}
	return SubPool(p[2]), Kind(p[3])
}

func hireTime(days []float64) HireTime {
	if len(days) == 0 {
		return HireTime{}
	}
	slices.Sort(days)
	var sum float64
	for _, d := range days {
		sum += d
	}
	n := len(days)
	med := days[n/2]
	if n%2 == 0 {
		med = (days[n/2-1] + days[n/2]) / 2
	}
	return HireTime{Count: n, MeanDays: round1(sum / float64(n)), MedianDays: round1(med), MaxDays: round1(days[n-1])}
}

func round1(f float64) float64 { return float64(int64(f*10+0.5)) / 10 }

func compare(a, b string) int { return strings.Compare(a, b) }

// OverdueLoan is one line of the overdue list: the loan and the unit's current vacancies of its kind,
// which say whether the unit could return it now.
type OverdueLoan struct {
	Case         string    `json:"case"`
	Unit         string    `json:"unit"`
	Candidate    string    `json:"candidate"`
	IDNumber     string    `json:"idNumber"` // masked
	SubPool      SubPool   `json:"subPool"`
	Kind         Kind      `json:"kind"`
	HiredAt      time.Time `json:"hiredAt"`
	DueAt        time.Time `json:"dueAt"`
	DaysOverdue  int       `json:"daysOverdue"`
	UnitVacant   int64     `json:"unitVacant"`
	UnitApproved int64     `json:"unitApproved"`
	UnitOccupied int64     `json:"unitOccupied"`
}

// Overdue returns the overdue line of c at now, without the unit's vacancies.
func (c Case) Overdue(now time.Time) OverdueLoan {
	return OverdueLoan{Case: c.ID, Unit: c.Unit, Candidate: c.Candidate.Name, IDNumber: MaskID(c.Candidate.IDNumber),
		SubPool: c.SubPool, Kind: c.Kind, HiredAt: c.HiredAt, DueAt: c.LoanDueAt,
		DaysOverdue: int(now.Sub(c.LoanDueAt).Hours() / 24)}
}

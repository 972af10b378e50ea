package client

import "time"

// The wire types of the talent API. The service renders exactly these, so the client and the
// server cannot drift apart. Codes (status, subPool, tier, ...) are listed in api/openapi.yaml.

// Candidate is the person a unit wants to recruit.
type Candidate struct {
	Name     string `json:"name"`
	IDNumber string `json:"idNumber"`
	Degree   string `json:"degree"`
	Title    string `json:"title"`
	Field    string `json:"field"`
}

// Application is what a unit files and may amend while the case is sent back.
type Application struct {
	Candidate Candidate `json:"candidate"`
	Post      string    `json:"post"`
	Ground    string    `json:"ground"`
	Reason    string    `json:"reason"`
	Tier      string    `json:"tier"`
	SubPool   string    `json:"subPool"`
	Kind      string    `json:"kind"`
}

// FileCase is the body of POST /v1/cases.
type FileCase struct {
	Unit string `json:"unit"`
	Application
}

// Act is the optional body of a case action: the reviewer's reason, or a hire's entry date and
// document number.
type Act struct {
	Reason    string `json:"reason,omitempty"`
	EntryDate string `json:"entryDate,omitempty"`
	DocNo     string `json:"docNo,omitempty"`
}

// Step is one transition of a case as its history shows it.
type Step struct {
	Seq         int64     `json:"seq"`
	Event       string    `json:"event"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	Effect      string    `json:"effect,omitempty"`
	Key         string    `json:"key"`
	By          string    `json:"by"`
	Note        string    `json:"note,omitempty"`
	At          time.Time `json:"at"`
	Outcome     string    `json:"outcome,omitempty"`
	Refusal     string    `json:"refusal,omitempty"`
	RefusalText string    `json:"refusalText,omitempty"`
}

// Case is a recruitment case with Chinese labels beside its codes.
type Case struct {
	ID            string      `json:"id"`
	Unit          string      `json:"unit"`
	UnitName      string      `json:"unitName,omitempty"` // the units service's name of the unit at filing
	Region        string      `json:"region"`             // the units service's region of the unit at filing
	Application   Application `json:"application"`
	Status        string      `json:"status"`
	StatusLabel   string      `json:"statusLabel"`
	SubPoolLabel  string      `json:"subPoolLabel"`
	TierLabel     string      `json:"tierLabel"`
	Seq           int64       `json:"seq"`
	Pending       *Step       `json:"pending,omitempty"`
	HoldID        string      `json:"holdId,omitempty"`
	HoldExpiresAt *time.Time  `json:"holdExpiresAt,omitempty"`
	LoanID        string      `json:"loanId,omitempty"`
	LoanDueAt     *time.Time  `json:"loanDueAt,omitempty"`
	FiledBy       string      `json:"filedBy"`
	FiledAt       time.Time   `json:"filedAt"`
	AcceptedAt    *time.Time  `json:"acceptedAt,omitempty"`
	HiredAt       *time.Time  `json:"hiredAt,omitempty"`
	ClosedAt      *time.Time  `json:"closedAt,omitempty"`
	Note          string      `json:"note,omitempty"`
	UpdatedAt     time.Time   `json:"updatedAt"`
}

// Cases is a list of cases.
type Cases struct {
	Count int    `json:"count"`
	Items []Case `json:"items"`
}

// History is a case's steps in order.
type History struct {
	Items []Step `json:"items"`
}

// DueReport is what one run of the return-loans job did.
type DueReport struct {
	Resumed  int      `json:"resumed"`
	Expired  int      `json:"expired"`
	Returned int      `json:"returned"`
	Overdue  int      `json:"overdue"`
	Failed   []string `json:"failed"`
}

// PoolLine is one row of the pool statement: a sub-pool and kind, a unit, or the total.
type PoolLine struct {
	SubPool    string `json:"subPool,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Unit       string `json:"unit,omitempty"`
	Label      string `json:"label"`
	Capacity   *int64 `json:"capacity,omitempty"`
	Free       *int64 `json:"free,omitempty"`
	Held       int64  `json:"held"`
	OnLoan     int64  `json:"onLoan"`
	Overdue    int64  `json:"overdue"`
	Returned   int64  `json:"returned"`
	Recruited  int64  `json:"recruited"`
	InProgress int64  `json:"inProgress"`
}

// HireTime summarises the days from filing to hire.
type HireTime struct {
	Count      int     `json:"count"`
	MeanDays   float64 `json:"meanDays"`
	MedianDays float64 `json:"medianDays"`
	MaxDays    float64 `json:"maxDays"`
}

// PoolStatement is the pool report.
type PoolStatement struct {
	BySubPool      []PoolLine `json:"bySubPool"`
	ByUnit         []PoolLine `json:"byUnit"`
	Total          PoolLine   `json:"total"`
	Recruited      int64      `json:"recruited"`
	HireTime       HireTime   `json:"hireTime"`
	LedgerComplete bool       `json:"ledgerComplete"`
}

// OverdueLoan is a loan past its term with the unit's current posts of its kind.
type OverdueLoan struct {
	Case         string    `json:"case"`
	Unit         string    `json:"unit"`
	Candidate    string    `json:"candidate"`
	IDNumber     string    `json:"idNumber"`
	SubPool      string    `json:"subPool"`
	Kind         string    `json:"kind"`
	HiredAt      time.Time `json:"hiredAt"`
	DueAt        time.Time `json:"dueAt"`
	DaysOverdue  int       `json:"daysOverdue"`
	UnitVacant   int64     `json:"unitVacant"`
	UnitApproved int64     `json:"unitApproved"`
	UnitOccupied int64     `json:"unitOccupied"`
}

// OverdueLoans is the overdue list.
type OverdueLoans struct {
	Count int           `json:"count"`
	Items []OverdueLoan `json:"items"`
}

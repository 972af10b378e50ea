package client

import "time"

// The wire types of the quota API. The service renders exactly these, so
// the client and the server cannot drift apart.

// Balance is an account's posts: approved (核定), held (预留), occupied
// (实有) and the vacant posts derived from them (空编).
type Balance struct {
	Approved int64 `json:"approved"`
	Held     int64 `json:"held"`
	Occupied int64 `json:"occupied"`
	Vacant   int64 `json:"vacant"`
}

// Account is an account with its balance.
type Account struct {
	ID         string     `json:"id"`
	Type       string     `json:"type"`
	Holder     string     `json:"holder"`
	Kind       string     `json:"kind"`
	KindLabel  string     `json:"kindLabel"`
	Region     string     `json:"region,omitempty"`
	Level      string     `json:"level"`
	Department string     `json:"department,omitempty"`
	Name       string     `json:"name,omitempty"`
	Abolished  bool       `json:"abolished"`
	Balance    Balance    `json:"balance"`
	Seq        int64      `json:"seq"`
	AsOf       *time.Time `json:"asOf,omitempty"`
}

// OpenAccount opens an account (idempotent by its ID).
type OpenAccount struct {
	ID         string `json:"id" validate:"required"`
	Region     string `json:"region"`
	Department string `json:"department"`
	Name       string `json:"name"`
}

// Delta is a change of a balance.
type Delta struct {
	Approved int64 `json:"approved"`
	Held     int64 `json:"held"`
	Occupied int64 `json:"occupied"`
}

// Leg is one account's side of a transfer.
type Leg struct {
	Account string `json:"account"`
	Delta   Delta  `json:"delta"`
}

// TransferRequest moves approved posts between accounts.
type TransferRequest struct {
	Kind   string `json:"kind" validate:"required"`
	From   string `json:"from" validate:"required"`
	To     string `json:"to" validate:"required"`
	Amount int64  `json:"amount"`
	Reason string `json:"reason"`
	DocNo  string `json:"docNo"`
}

// Transfer is a recorded transfer.
type Transfer struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	KindLabel string    `json:"kindLabel"`
	State     string    `json:"state"`
	Legs      []Leg     `json:"legs"`
	Reason    string    `json:"reason,omitempty"`
	DocNo     string    `json:"docNo,omitempty"`
	Actor     string    `json:"actor,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}

// BatchTransfers is many transfers in one request, validated all-or-nothing.
type BatchTransfers struct {
	Rows []TransferRequest `json:"rows" validate:"required,min=1,max=10000,dive"`
	// Grouped applies the rows that share a kind and a source account as one
	// transfer (one debit for their sum, one credit per target; all or
	// nothing per group), e.g. a year's approvals out of a control total.
	// Each row's result then names its group's transfer.
	Grouped bool `json:"grouped,omitempty"`
}

// BatchResult is the outcome of one row of a batch.
type BatchResult struct {
	Row    int    `json:"row"`
	ID     string `json:"id,omitempty"`
	Status int    `json:"status"`
	Code   string `json:"code,omitempty"`
	Title  string `json:"title,omitempty"`
}

// BatchResponse lists a batch's outcomes in row order.
type BatchResponse struct {
	OK      int           `json:"ok"`
	Failed  int           `json:"failed"`
	Results []BatchResult `json:"results"`
}

// Hire puts a person on a post (实名制进人).
type Hire struct {
	IDNumber  string `json:"idNumber" validate:"required"`
	Name      string `json:"name" validate:"required"`
	Unit      string `json:"unit" validate:"required"`
	Kind      string `json:"kind" validate:"required"`
	Channel   string `json:"channel" validate:"required"`
	EntryDate string `json:"entryDate" validate:"required"`
	DocNo     string `json:"docNo"`
	HoldID    string `json:"holdId"`
}

// BatchHires is many hires in one request, validated all-or-nothing.
type BatchHires struct {
	Rows []Hire `json:"rows" validate:"required,min=1,max=20000"`
}

// Exit records a person leaving their post.
type Exit struct {
	Reason string `json:"reason" validate:"required"`
	Date   string `json:"date" validate:"required"`
	DocNo  string `json:"docNo"`
}

// Incumbent is a person on a post. The ID number is shown masked except to
// callers allowed to see the unit's people.
type Incumbent struct {
	IDNumber   string `json:"idNumber"`
	Name       string `json:"name"`
	Gender     string `json:"gender"`
	BirthDate  string `json:"birthDate"`
	Unit       string `json:"unit"`
	Account    string `json:"account"`
	Kind       string `json:"kind"`
	Channel    string `json:"channel"`
	EntryDate  string `json:"entryDate"`
	DocNo      string `json:"docNo,omitempty"`
	State      string `json:"state"`
	ExitReason string `json:"exitReason,omitempty"`
	ExitDate   string `json:"exitDate,omitempty"`
}

// PlaceHold reserves posts.
type PlaceHold struct {
	Account   string    `json:"account" validate:"required"`
	Amount    int64     `json:"amount"`
	Purpose   string    `json:"purpose"`
	ExpiresAt time.Time `json:"expiresAt" validate:"required"`
}

// Hold is a reservation of posts.
type Hold struct {
	ID        string    `json:"id"`
	Account   string    `json:"account"`
	Amount    int64     `json:"amount"`
	Posted    int64     `json:"posted"`
	Voided    int64     `json:"voided"`
	State     string    `json:"state"`
	Purpose   string    `json:"purpose,omitempty"`
	PlanID    string    `json:"planId,omitempty"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Lend posts a talent-pool hold as a loan to a unit.
type Lend struct {
	To string `json:"to" validate:"required"`
}

// Check is the invariant checker's answer.
type Check struct {
	OK       bool `json:"ok"`
	Accounts int  `json:"accounts"`
	Entries  int  `json:"entries"`
	InFlight int  `json:"inFlight"`
	People   int  `json:"people"`
	// Rules lists every rule the checker proves with its number of problems.
	Rules    []RuleCount `json:"rules"`
	Problems []Problem   `json:"problems"`
}

// RuleCount is one rule of the checker and how many problems it found.
type RuleCount struct {
	Rule     string `json:"rule"`
	Problems int    `json:"problems"`
}

// Problem is one broken invariant.
type Problem struct {
	Rule    string `json:"rule"`
	Subject string `json:"subject"`
	Detail  string `json:"detail"`
}

// Entry is a journal line.
type Entry struct {
	Seq        int64     `json:"seq"`
	TransferID string    `json:"transferId"`
	Kind       string    `json:"kind"`
	Delta      Delta     `json:"delta"`
	Balance    Balance   `json:"balance"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor,omitempty"`
	DocNo      string    `json:"docNo,omitempty"`
}

// OpenCase opens a discipline case.
type OpenCase struct {
	Subject      string `json:"subject" validate:"required"`
	Region       string `json:"region" validate:"required"`
	Violation    string `json:"violation" validate:"required"`
	Facts        string `json:"facts" validate:"required"`
	Interview    string `json:"interview"`
	PenaltyPosts int64  `json:"penaltyPosts"`
}

// Case is a discipline case.
type Case struct {
	ID            string `json:"id"`
	Subject       string `json:"subject"`
	Region        string `json:"region"`
	Violation     string `json:"violation"`
	Facts         string `json:"facts"`
	Interview     string `json:"interview,omitempty"`
	PenaltyPosts  int64  `json:"penaltyPosts"`
	Deducted      int64  `json:"deducted"`
	Rectification string `json:"rectification,omitempty"`
	State         string `json:"state"`
	// OpenedBy and ClosedBy are the token subjects of who opened and who closed the case.
	OpenedBy string     `json:"openedBy"`
	OpenedAt *time.Time `json:"openedAt,omitempty"`
	ClosedBy string     `json:"closedBy,omitempty"`
	ClosedAt *time.Time `json:"closedAt,omitempty"`
}

// CloseCase records completed rectification (整改完成).
type CloseCase struct {
	Rectification string `json:"rectification" validate:"required"`
}

// CaseCheck answers whether a unit may file staffing requests.
type CaseCheck struct {
	Unit    string   `json:"unit"`
	Blocked bool     `json:"blocked"`
	Cases   []string `json:"cases"`
}

// Balances is a list of accounts with their totals.
type Balances struct {
	Accounts    []Account `json:"accounts"`
	Total       Balance   `json:"total"`
	VacancyRate float64   `json:"vacancyRate"`
}

// BatchAccounts opens many accounts in one request, validated all-or-nothing.
type BatchAccounts struct {
	Rows []OpenAccount `json:"rows" validate:"required,min=1,max=20000,dive"`
}

// MoveIncumbents moves every person of a unit, with their posts, to another unit.
type MoveIncumbents struct {
	To    string `json:"to" validate:"required"`
	DocNo string `json:"docNo"`
}

// Moved says how many people a merger moved.
type Moved struct {
	Moved int64 `json:"moved"`
}

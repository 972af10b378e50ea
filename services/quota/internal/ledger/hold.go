package ledger

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// HoldState is a hold's place in its life.
type HoldState string

// The hold states. A hold is open until all its posts are consumed (posted)
// or the rest is voided, by a person or by expiry.
const (
	// HoldPending: the record is in, its held+n transfer not yet settled;
	// nothing may use its posts. Recording the hold before its posts are
	// held means a crash can never leave held posts without a hold to
	// expire them.
	HoldPending  HoldState = "pending"
	HoldOpen     HoldState = "open"
	HoldClosed   HoldState = "closed"
	HoldRejected HoldState = "rejected" // its transfer was refused or fenced: it never held anything
)

// Hold reserves posts of an account during a recruitment (the first phase
// of a two-phase transfer). Its posts are consumed one slot at a time:
// each slot is claimed by inserting a record keyed <holdID>#<slot>, so no
// slot can be consumed twice even by racing writers, and a void claims
// every slot still free.
type Hold struct {
	ID        string
	Account   AccountID
	Amount    int64
	Purpose   string
	PlanID    string
	Actor     string
	ExpiresAt time.Time
	State     HoldState
	Posted    int64 // slots consumed by hires or a loan, as last counted
	Voided    int64 // slots released back to vacancy
	CreatedAt time.Time
}

// MaxHoldAmount bounds a hold: slots are records, and no recruitment needs
// more than a few thousand posts at once.
const MaxHoldAmount = 10_000

// HoldRequest asks to reserve posts.
type HoldRequest struct {
	Account   AccountID `json:"account"`
	Amount    int64     `json:"amount"`
	Purpose   string    `json:"purpose"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// NewHold validates a hold request.
func NewHold(id string, r HoldRequest, actor string, now time.Time) (Hold, error) {
	if _, _, _, ok := r.Account.Parts(); !ok || r.Account.Type() == HolderExternal {
		return Hold{}, Invalid("account", "只能在单位或资金池账户上预留编制", "holds need a unit or pool account")
	}
	if r.Amount <= 0 || r.Amount > MaxHoldAmount {
		return Hold{}, Invalid("amount", fmt.Sprintf("预留数量必须在1到%d之间", MaxHoldAmount), fmt.Sprintf("amount must be 1..%d", MaxHoldAmount))
	}
	if !r.ExpiresAt.After(now) {
		return Hold{}, Invalid("expiresAt", "到期时间必须晚于当前时间", "expiresAt must be in the future")
	}
	if r.ExpiresAt.After(now.AddDate(2, 0, 0)) {
		return Hold{}, Invalid("expiresAt", "预留期限不能超过两年", "a hold lasts at most two years")
	}
	if utf8.RuneCountInString(r.Purpose) > 500 {
		return Hold{}, Invalid("purpose", "用途说明过长", "purpose longer than 500 characters")
	}
	return Hold{ID: id, Account: r.Account, Amount: r.Amount, Purpose: r.Purpose, Actor: actor,
		ExpiresAt: r.ExpiresAt.UTC(), State: HoldPending, CreatedAt: now.UTC()}, nil
}

// Expired reports whether h should be voided by the expiry job at now.
func (h Hold) Expired(now time.Time) bool {
	return (h.State == HoldOpen || h.State == HoldPending) && !now.Before(h.ExpiresAt)
}

// SlotID returns the ID of a hold's slot record; slots count from 1.
func SlotID(holdID string, slot int64) string { return fmt.Sprintf("%s#%05d", holdID, slot) }

// HoldExhausted is the refusal for consuming a hold with no free slot left.
func HoldExhausted(id string) *Error {
	return &Error{Code: CodeConflict, Field: "holdId", Message: "该预留已用完、已作废或已过期", Detail: "hold " + id + " has no free slot"}
}

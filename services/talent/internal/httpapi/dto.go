package httpapi

import (
	"time"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

// caseDTO is a case on the wire, with Chinese labels beside the codes for the portal.
type caseDTO struct {
	ID            string              `json:"id"`
	Unit          string              `json:"unit"`
	Region        string              `json:"region"`
	Application   recruit.Application `json:"application"`
	Status        recruit.Status      `json:"status"`
	StatusLabel   string              `json:"statusLabel"`
	SubPoolLabel  string              `json:"subPoolLabel"`
	TierLabel     string              `json:"tierLabel"`
	Seq           int64               `json:"seq"`
	Pending       *recruit.Step       `json:"pending,omitempty"`
	HoldID        string              `json:"holdId,omitempty"`
	HoldExpiresAt *time.Time          `json:"holdExpiresAt,omitempty"`
	LoanID        string              `json:"loanId,omitempty"`
	LoanDueAt     *time.Time          `json:"loanDueAt,omitempty"`
	FiledBy       string              `json:"filedBy"`
	FiledAt       time.Time           `json:"filedAt"`
	AcceptedAt    *time.Time          `json:"acceptedAt,omitempty"`
	HiredAt       *time.Time          `json:"hiredAt,omitempty"`
	ClosedAt      *time.Time          `json:"closedAt,omitempty"`
	Note          string              `json:"note,omitempty"`
	UpdatedAt     time.Time           `json:"updatedAt"`
}

func toDTO(c recruit.Case) caseDTO {
	return caseDTO{ID: c.ID, Unit: c.Unit, Region: c.Region, Application: c.Application, Status: c.Status,
		StatusLabel: c.Status.Label(), SubPoolLabel: recruit.Label(c.SubPool), TierLabel: recruit.Label(c.Tier),
		Seq: c.Seq, Pending: c.Pending, HoldID: c.HoldID, HoldExpiresAt: opt(c.HoldExpiresAt), LoanID: c.LoanID,
		LoanDueAt: opt(c.LoanDueAt), FiledBy: c.FiledBy, FiledAt: c.FiledAt, AcceptedAt: opt(c.AcceptedAt),
		HiredAt: opt(c.HiredAt), ClosedAt: opt(c.ClosedAt), Note: c.Note, UpdatedAt: c.UpdatedAt}
}

func opt(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// fileRequest is the body of POST /v1/cases: the unit and the application, spelled out flat (an
// embedded struct would put its Go name into the field paths of decoding errors).
type fileRequest struct {
	Unit      string            `json:"unit" validate:"required,max=64"`
	Candidate recruit.Candidate `json:"candidate"`
	Post      string            `json:"post"`
	Ground    recruit.Ground    `json:"ground"`
	Reason    string            `json:"reason"`
	Tier      recruit.Tier      `json:"tier"`
	SubPool   recruit.SubPool   `json:"subPool"`
	Kind      recruit.Kind      `json:"kind"`
}

func (r fileRequest) application() recruit.Application {
	return recruit.Application{Candidate: r.Candidate, Post: r.Post, Ground: r.Ground, Reason: r.Reason, Tier: r.Tier,
		SubPool: r.SubPool, Kind: r.Kind}
}

// actRequest is the optional body of a case action.
type actRequest struct {
	Reason    string `json:"reason" validate:"max=1000"`
	EntryDate string `json:"entryDate"` // hire: YYYY-MM-DD
	DocNo     string `json:"docNo" validate:"max=100"`
}

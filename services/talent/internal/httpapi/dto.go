package httpapi

import (
	"time"

	"github.com/bianzhi/bianzhi/services/talent/client"
	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

// The handlers render the client package's wire types, so the typed client and the service cannot
// drift apart; these functions translate the domain into them.

func toDTO(c recruit.Case) client.Case {
	return client.Case{ID: c.ID, Unit: c.Unit, UnitName: c.UnitName, Region: c.Region, Application: applicationDTO(c.Application),
		Status: string(c.Status), StatusLabel: c.Status.Label(), SubPoolLabel: recruit.Label(c.SubPool),
		TierLabel: recruit.Label(c.Tier), Seq: c.Seq, Pending: stepDTOPtr(c.Pending), HoldID: c.HoldID,
		HoldExpiresAt: opt(c.HoldExpiresAt), LoanID: c.LoanID, LoanDueAt: opt(c.LoanDueAt), FiledBy: c.FiledBy,
		FiledAt: c.FiledAt, AcceptedAt: opt(c.AcceptedAt), HiredAt: opt(c.HiredAt), ClosedAt: opt(c.ClosedAt),
		Note: c.Note, UpdatedAt: c.UpdatedAt}
}

func applicationDTO(a recruit.Application) client.Application {
	return client.Application{Candidate: client.Candidate{Name: a.Candidate.Name, IDNumber: a.Candidate.IDNumber,
		Degree: string(a.Candidate.Degree), Title: string(a.Candidate.Title), Field: a.Candidate.Field},
		Post: a.Post, Ground: string(a.Ground), Reason: a.Reason, Tier: string(a.Tier), SubPool: string(a.SubPool),
		Kind: string(a.Kind)}
}

func stepDTO(s recruit.Step) client.Step {
	return client.Step{Seq: s.Seq, Event: string(s.Event), From: string(s.From), To: string(s.To), Effect: string(s.Effect),
		Key: s.Key, By: s.By, Note: s.Note, At: s.At, Outcome: string(s.Outcome), Refusal: s.Refusal,
		RefusalText: s.RefusalText}
}

func stepDTOPtr(s *recruit.Step) *client.Step {
	if s == nil {
		return nil
	}
	d := stepDTO(*s)
	return &d
}

func lineDTO(l recruit.PoolLine) client.PoolLine {
	return client.PoolLine{SubPool: string(l.SubPool), Kind: string(l.Kind), Unit: l.Unit, Label: l.Label,
		Capacity: l.Capacity, Free: l.Free, Held: l.Held, OnLoan: l.OnLoan, Overdue: l.Overdue, Returned: l.Returned,
		Recruited: l.Recruited, InProgress: l.InProgress}
}

func statementDTO(st service.PoolStatement) client.PoolStatement {
	out := client.PoolStatement{BySubPool: []client.PoolLine{}, ByUnit: []client.PoolLine{}, Total: lineDTO(st.Total),
		Recruited: st.Recruited, LedgerComplete: st.LedgerComplete, HireTime: client.HireTime(st.HireTime)}
	for _, l := range st.BySubPool {
		out.BySubPool = append(out.BySubPool, lineDTO(l))
	}
	for _, l := range st.ByUnit {
		out.ByUnit = append(out.ByUnit, lineDTO(l))
	}
	return out
}

func overdueDTO(o recruit.OverdueLoan) client.OverdueLoan {
	return client.OverdueLoan{Case: o.Case, Unit: o.Unit, Candidate: o.Candidate, IDNumber: o.IDNumber,
		SubPool: string(o.SubPool), Kind: string(o.Kind), HiredAt: o.HiredAt, DueAt: o.DueAt, DaysOverdue: o.DaysOverdue,
		UnitVacant: o.UnitVacant, UnitApproved: o.UnitApproved, UnitOccupied: o.UnitOccupied}
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

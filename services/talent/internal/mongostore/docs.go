package mongostore

import (
	"slices"
	"strings"
	"time"

	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

// caseDoc is a case as stored. Field names are spelled out so that renaming a Go field never
// silently orphans stored data.
type caseDoc struct {
	ID            string    `bson:"_id"`
	Unit          string    `bson:"unit"`
	UnitName      string    `bson:"unitName,omitempty"`
	Region        string    `bson:"region"`
	Name          string    `bson:"name"`
	IDNumber      string    `bson:"idNumber"`
	Degree        string    `bson:"degree"`
	Title         string    `bson:"title"`
	Field         string    `bson:"field"`
	Post          string    `bson:"post"`
	Ground        string    `bson:"ground"`
	Reason        string    `bson:"reason"`
	Tier          string    `bson:"tier"`
	SubPool       string    `bson:"subPool"`
	Kind          string    `bson:"kind"`
	Status        string    `bson:"status"`
	Seq           int64     `bson:"seq"`
	Pending       *stepDoc  `bson:"pending,omitempty"`
	HoldID        string    `bson:"holdId,omitempty"`
	HoldExpiresAt time.Time `bson:"holdExpiresAt,omitzero"`
	LoanID        string    `bson:"loanId,omitempty"`
	LoanDueAt     time.Time `bson:"loanDueAt,omitzero"`
	FiledBy       string    `bson:"filedBy"`
	FiledAt       time.Time `bson:"filedAt"`
	AcceptedAt    time.Time `bson:"acceptedAt,omitzero"`
	HiredAt       time.Time `bson:"hiredAt,omitzero"`
	ClosedAt      time.Time `bson:"closedAt,omitzero"`
	Note          string    `bson:"note,omitempty"`
	UpdatedAt     time.Time `bson:"updatedAt"`
}

func toCaseDoc(c recruit.Case) caseDoc {
	d := caseDoc{ID: c.ID, Unit: c.Unit, UnitName: c.UnitName, Region: c.Region, Name: c.Candidate.Name, IDNumber: c.Candidate.IDNumber,
		Degree: string(c.Candidate.Degree), Title: string(c.Candidate.Title), Field: c.Candidate.Field, Post: c.Post,
		Ground: string(c.Ground), Reason: c.Reason, Tier: string(c.Tier), SubPool: string(c.SubPool), Kind: string(c.Kind),
		Status: string(c.Status), Seq: c.Seq, HoldID: c.HoldID, HoldExpiresAt: c.HoldExpiresAt, LoanID: c.LoanID,
		LoanDueAt: c.LoanDueAt, FiledBy: c.FiledBy, FiledAt: c.FiledAt, AcceptedAt: c.AcceptedAt, HiredAt: c.HiredAt,
		ClosedAt: c.ClosedAt, Note: c.Note, UpdatedAt: c.UpdatedAt}
	if c.Pending != nil {
		p := toStepDoc(c.ID, *c.Pending)
		d.Pending = &p
	}
	return d
}

func (d caseDoc) toCase() recruit.Case {
	c := recruit.Case{ID: d.ID, Unit: d.Unit, UnitName: d.UnitName, Region: d.Region,
		Application: recruit.Application{
			Candidate: recruit.Candidate{Name: d.Name, IDNumber: d.IDNumber, Degree: recruit.Degree(d.Degree),
				Title: recruit.Title(d.Title), Field: d.Field},
			Post: d.Post, Ground: recruit.Ground(d.Ground), Reason: d.Reason, Tier: recruit.Tier(d.Tier),
			SubPool: recruit.SubPool(d.SubPool), Kind: recruit.Kind(d.Kind)},
		Status: recruit.Status(d.Status), Seq: d.Seq, HoldID: d.HoldID, HoldExpiresAt: utc(d.HoldExpiresAt),
		LoanID: d.LoanID, LoanDueAt: utc(d.LoanDueAt), FiledBy: d.FiledBy, FiledAt: utc(d.FiledAt),
		AcceptedAt: utc(d.AcceptedAt), HiredAt: utc(d.HiredAt), ClosedAt: utc(d.ClosedAt), Note: d.Note,
		UpdatedAt: utc(d.UpdatedAt)}
	if d.Pending != nil {
		p := d.Pending.step()
		c.Pending = &p
	}
	return c
}

// stepDoc is a step as stored; _id is <caseID>#<seq>.
type stepDoc struct {
	ID          string     `bson:"_id"`
	Case        string     `bson:"case"`
	Seq         int64      `bson:"seq"`
	Event       string     `bson:"event"`
	From        string     `bson:"from"`
	To          string     `bson:"to"`
	Effect      string     `bson:"effect,omitempty"`
	Key         string     `bson:"key"`
	By          string     `bson:"by"`
	Note        string     `bson:"note,omitempty"`
	At          time.Time  `bson:"at"`
	Outcome     string     `bson:"outcome,omitempty"`
	Refusal     string     `bson:"refusal,omitempty"`
	RefusalText string     `bson:"refusalText,omitempty"`
	Result      *resultDoc `bson:"result,omitempty"`
	Finished    time.Time  `bson:"finished,omitzero"`
	EntryDate   string     `bson:"entryDate,omitempty"`
	DocNo       string     `bson:"docNo,omitempty"`
}

type resultDoc struct {
	HoldID        string    `bson:"holdId,omitempty"`
	HoldExpiresAt time.Time `bson:"holdExpiresAt,omitzero"`
	LoanID        string    `bson:"loanId,omitempty"`
	LoanDueAt     time.Time `bson:"loanDueAt,omitzero"`
}

func toStepDoc(caseID string, s recruit.Step) stepDoc {
	d := stepDoc{ID: stepID(caseID, s.Seq), Case: caseID, Seq: s.Seq, Event: string(s.Event), From: string(s.From),
		To: string(s.To), Effect: string(s.Effect), Key: s.Key, By: s.By, Note: s.Note, At: s.At,
		Outcome: string(s.Outcome), Refusal: s.Refusal, RefusalText: s.RefusalText, Finished: s.Finished,
		EntryDate: s.EntryDate, DocNo: s.DocNo}
	if r := s.Result; r != nil {
		d.Result = &resultDoc{HoldID: r.HoldID, HoldExpiresAt: r.HoldExpiresAt, LoanID: r.LoanID, LoanDueAt: r.LoanDueAt}
	}
	return d
}

func (d stepDoc) step() recruit.Step {
	s := recruit.Step{Seq: d.Seq, Event: recruit.Event(d.Event), From: recruit.Status(d.From), To: recruit.Status(d.To),
		Effect: recruit.Effect(d.Effect), Key: d.Key, By: d.By, Note: d.Note, At: utc(d.At),
		Outcome: recruit.Outcome(d.Outcome), Refusal: d.Refusal, RefusalText: d.RefusalText, Finished: utc(d.Finished),
		EntryDate: d.EntryDate, DocNo: d.DocNo}
	if r := d.Result; r != nil {
		s.Result = &recruit.Result{HoldID: r.HoldID, HoldExpiresAt: utc(r.HoldExpiresAt), LoanID: r.LoanID,
			LoanDueAt: utc(r.LoanDueAt)}
	}
	return s
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func inRegion(root, code string) bool { return auth.InSubtree(root, code) }

func sortByFiling(cs []recruit.Case) {
	slices.SortFunc(cs, func(a, b recruit.Case) int {
		if d := a.FiledAt.Compare(b.FiledAt); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
}

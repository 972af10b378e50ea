package recruit

import (
	"fmt"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

// Step is one transition of a case, recorded before the ledger is asked and again after it answers.
// Its number is the case's next Seq; the store claims it with a unique key, so of two people acting
// on one case at once exactly one gets the step, and a step interrupted half-way is found and finished
// by whoever comes next with the same Key, so the ledger applies it once.
type Step struct {
	Seq    int64     `json:"seq"`
	Event  Event     `json:"event"`
	From   Status    `json:"from"`
	To     Status    `json:"to"`
	Effect Effect    `json:"effect,omitempty"`
	Key    string    `json:"key"` // the Idempotency-Key of the ledger call
	By     string    `json:"by"`
	Note   string    `json:"note,omitempty"`
	At     time.Time `json:"at"`
	// Outcome is empty while the step runs, then done, or refused when the ledger said no and the
	// case kept its status.
	Outcome     Outcome   `json:"outcome,omitempty"`
	Refusal     string    `json:"refusal,omitempty"`     // the ledger's error code
	RefusalText string    `json:"refusalText,omitempty"` // its message for people
	Result      *Result   `json:"result,omitempty"`
	Finished    time.Time `json:"finished,omitzero"`
	// EntryDate and DocNo are what a hire tells the ledger; they are recorded with the step so
	// that a retry repeats exactly the same request.
	EntryDate string `json:"entryDate,omitempty"`
	DocNo     string `json:"docNo,omitempty"`
}

// Outcome is how a step ended.
type Outcome string

// The outcomes.
const (
	OutcomeDone    Outcome = "done"
	OutcomeRefused Outcome = "refused"
)

// StepKey is the Idempotency-Key of a step's ledger call: the case, the event and the step number.
// A retry of an unfinished step repeats it, so the ledger applies the step once; a new attempt after a
// refusal has a new number, so the ledger's memory of the refusal does not answer it.
func StepKey(caseID string, e Event, seq int64) string {
	return fmt.Sprintf("talent-%s-%s-%d", caseID, e, seq)
}

// Begin checks that e may happen to c now and returns the step that does it. A case with an
// unfinished step takes no other until that one is finished.
func (c Case) Begin(e Event, by, note string, now time.Time) (Step, error) {
	if c.Pending != nil && c.Pending.Event != e {
		return Step{}, apperr.New(apperr.CodeConflict,
			fmt.Sprintf("案件正在办理“%s”，请稍后重试", c.Pending.Event.Label()),
			"step "+string(c.Pending.Event)+" is unfinished").WithExtra("status", string(c.Status))
	}
	to, eff, err := Transition(c.Status, e)
	if err != nil {
		return Step{}, err
	}
	if (e == EventSendBack || e == EventReject) && note == "" {
		return Step{}, apperr.Invalid("reason", "退回或不予受理必须说明理由", "a reason is required")
	}
	if err := text("reason", "理由", note, 0, 1000); err != nil {
		return Step{}, err
	}
	seq := c.Seq + 1
	return Step{Seq: seq, Event: e, From: c.Status, To: to, Effect: eff, Key: StepKey(c.ID, e, seq), By: by,
		Note: note, At: now.UTC()}, nil
}

// Started returns c marked as running s.
func (c Case) Started(s Step) Case {
	c.Pending = &s
	c.UpdatedAt = s.At
	return c
}

// Result is what the ledger answered to a step, plus the dates the service's policy sets.
type Result struct {
	HoldID        string    `json:"holdId,omitempty"`
	HoldExpiresAt time.Time `json:"holdExpiresAt,omitzero"`
	LoanID        string    `json:"loanId,omitempty"`
	LoanDueAt     time.Time `json:"loanDueAt,omitzero"`
}

// Complete returns c after s succeeded with r, and s as finished.
func (c Case) Complete(s Step, r Result, now time.Time) (Case, Step) {
	now = now.UTC()
	c.Status, c.Seq, c.Pending, c.UpdatedAt = s.To, s.Seq, nil, now
	if s.Note != "" || s.Event == EventResubmit {
		c.Note = s.Note
	}
	switch s.Event {
	case EventAccept:
		c.HoldID, c.HoldExpiresAt, c.AcceptedAt = r.HoldID, r.HoldExpiresAt.UTC(), now
	case EventHire:
		c.LoanID, c.LoanDueAt, c.HiredAt = r.LoanID, r.LoanDueAt.UTC(), now
	}
	if c.Status.Final() {
		c.ClosedAt = now
	}
	s.Outcome, s.Finished, s.Result = OutcomeDone, now, &r
	return c, s
}

// Refused returns c after the ledger refused s: the status stays, the step number is used up, and
// the reason is kept for people to read.
func (c Case) Refused(s Step, code, title string, now time.Time) (Case, Step) {
	now = now.UTC()
	c.Seq, c.Pending, c.Note, c.UpdatedAt = s.Seq, nil, title, now
	s.Outcome, s.Refusal, s.RefusalText, s.Finished = OutcomeRefused, code, title, now
	return c, s
}

// Replay applies a finished step that the case record does not show yet: the step log is the truth
// and the case record its summary, which a crash between the two writes may leave one step behind.
// Unfinished steps become the case's Pending step.
func (c Case) Replay(s Step) Case {
	if s.Seq != c.Seq+1 {
		return c
	}
	switch {
	case s.Outcome == OutcomeDone && s.Result != nil:
		c, _ = c.Complete(s, *s.Result, s.Finished)
	case s.Outcome == OutcomeRefused:
		c, _ = c.Refused(s, s.Refusal, s.RefusalText, s.Finished)
	default:
		c = c.Started(s)
	}
	return c
}

// HoldLapsed reports whether an accepted case's hold has reached its expiry at now.
func (c Case) HoldLapsed(now time.Time) bool {
	return c.Status == StatusAccepted && !c.HoldExpiresAt.IsZero() && !now.Before(c.HoldExpiresAt)
}

// LoanOverdue reports whether a hired case has kept its loan past the loan term at now.
func (c Case) LoanOverdue(now time.Time) bool {
	return c.Status == StatusHired && !c.LoanDueAt.IsZero() && !now.Before(c.LoanDueAt)
}

package recruit

import (
	"strings"
	"testing"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

func TestNewCaseValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		unit   string
		change func(a *Application)
		field  string
	}{
		{"valid", "u-1", func(*Application) {}, ""},
		{"lower-case x accepted", "u-1", func(a *Application) {
			a.Candidate.IDNumber = strings.ToLower(validID("11010519491231002"))
		}, ""},
		{"bad unit", "单位", func(*Application) {}, "unit"},
		{"id too short", "u-1", func(a *Application) { a.Candidate.IDNumber = "1401051988" }, "candidate.idNumber"},
		{"id check digit", "u-1", func(a *Application) {
			id := validID("14010519880312003")
			a.Candidate.IDNumber = id[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", id[17])+1)%11])
		}, "candidate.idNumber"},
		{"id letters", "u-1", func(a *Application) { a.Candidate.IDNumber = "14010519880312A03X" }, "candidate.idNumber"},
		{"id born in future", "u-1", func(a *Application) { a.Candidate.IDNumber = validID("14010520300101001") }, "candidate.idNumber"},
		{"id impossible date", "u-1", func(a *Application) { a.Candidate.IDNumber = validID("14010519880230001") }, "candidate.idNumber"},
		{"no name", "u-1", func(a *Application) { a.Candidate.Name = "" }, "candidate.name"},
		{"long name", "u-1", func(a *Application) { a.Candidate.Name = strings.Repeat("名", 51) }, "candidate.name"},
		{"degree", "u-1", func(a *Application) { a.Candidate.Degree = "phd" }, "candidate.degree"},
		{"title", "u-1", func(a *Application) { a.Candidate.Title = "" }, "candidate.title"},
		{"field", "u-1", func(a *Application) { a.Candidate.Field = "" }, "candidate.field"},
		{"post", "u-1", func(a *Application) { a.Post = "" }, "post"},
		{"ground", "u-1", func(a *Application) { a.Ground = "other" }, "ground"},
		{"reason", "u-1", func(a *Application) { a.Reason = "" }, "reason"},
		{"tier", "u-1", func(a *Application) { a.Tier = "education" }, "tier"},
		{"sub-pool", "u-1", func(a *Application) { a.SubPool = "top" }, "subPool"},
		{"kind", "u-1", func(a *Application) { a.Kind = "administrative" }, "kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := application()
			tc.change(&a)
			c, err := NewCase("c1", tc.unit, "140105", a, "hr", now)
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.Status != StatusFiled || c.Seq != 0 || c.Candidate.IDNumber != strings.ToUpper(a.Candidate.IDNumber) {
					t.Fatalf("case %+v", c)
				}
				return
			}
			e := apperr.From(err)
			if e.Code != apperr.CodeInvalidArgument || e.Field != tc.field || e.Title == "" {
				t.Fatalf("want invalid %s, got %+v", tc.field, e)
			}
		})
	}
}

// TestStepsLeadACaseThroughItsLife follows begin → started → complete and a refusal, as the use cases do.
func TestStepsLeadACaseThroughItsLife(t *testing.T) {
	t.Parallel()
	c, err := NewCase("c1", "u-1", "140105", application(), "hr", now)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Begin(EventAccept, "office", "", now)
	if err != nil || s.Seq != 1 || s.Effect != EffectHold || s.Key != "talent-c1-accept-1" {
		t.Fatalf("begin: %+v %v", s, err)
	}
	c = c.Started(s)
	if _, err := c.Begin(EventReject, "office", "不符合条件", now); !apperr.Is(err, apperr.CodeConflict) {
		t.Fatalf("another step while one runs: %v", err)
	}
	if again, err := c.Begin(EventAccept, "office", "", now); err != nil || again.Key != s.Key {
		t.Fatalf("the same step again must reuse its key: %+v %v", again, err)
	}
	c, done := c.Refused(s, "quota_exhausted", "周转池编制已用完", now)
	if c.Status != StatusFiled || c.Seq != 1 || c.Pending != nil || done.Outcome != OutcomeRefused {
		t.Fatalf("refused: %+v %+v", c, done)
	}
	s, _ = c.Begin(EventAccept, "office", "", now)
	if s.Key != "talent-c1-accept-2" {
		t.Fatalf("a new attempt needs a new key, got %s", s.Key)
	}
	exp := now.Add(90 * 24 * time.Hour)
	c, _ = c.Started(s).Complete(s, Result{HoldID: "h1", HoldExpiresAt: exp}, now)
	if c.Status != StatusAccepted || c.HoldID != "h1" || c.AcceptedAt.IsZero() || c.HoldLapsed(now) || !c.HoldLapsed(exp) {
		t.Fatalf("accepted: %+v", c)
	}
	s, _ = c.Begin(EventHire, "hr", "", now)
	due := now.AddDate(3, 0, 0)
	c, _ = c.Complete(s, Result{LoanID: "t1", LoanDueAt: due}, now)
	if !c.OnLoan() || c.LoanOverdue(now) || !c.LoanOverdue(due) || !c.ClosedAt.IsZero() {
		t.Fatalf("hired: %+v", c)
	}
	s, _ = c.Begin(EventReturnLoan, "job", "", now)
	c, _ = c.Complete(s, Result{}, now)
	if c.Status != StatusReturnedToPool || c.OnLoan() || c.ClosedAt.IsZero() || c.Seq != 4 {
		t.Fatalf("returned: %+v", c)
	}
}

func TestReviewNeedsAReason(t *testing.T) {
	t.Parallel()
	c, _ := NewCase("c1", "u-1", "140105", application(), "hr", now)
	for _, e := range []Event{EventSendBack, EventReject} {
		if _, err := c.Begin(e, "office", "", now); !apperr.Is(err, apperr.CodeInvalidArgument) {
			t.Errorf("%s without reason: %v", e, err)
		}
	}
}

func TestAmendOnlyWhenSentBack(t *testing.T) {
	t.Parallel()
	c, _ := NewCase("c1", "u-1", "140105", application(), "hr", now)
	a := application()
	a.Post = "首席研究员"
	if _, err := c.Amend(a, now); !apperr.Is(err, apperr.CodeInvalidState) {
		t.Fatalf("amend a filed case: %v", err)
	}
	c.Status = StatusReturned
	a2 := a
	a2.Tier = "x"
	if _, err := c.Amend(a2, now); !apperr.Is(err, apperr.CodeInvalidArgument) {
		t.Fatalf("amend with bad tier: %v", err)
	}
	c, err := c.Amend(a, now)
	if err != nil || c.Post != "首席研究员" {
		t.Fatalf("amend: %+v %v", c, err)
	}
}

// Package service holds the talent pool's use cases: filing, reviewing and hiring through the quota
// ledger step by step, the job that returns loans and marks them overdue, and the pool reports.
package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/bianzhi/bianzhi/pkg/apperr"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

// Policy is the pool's configured terms.
type Policy struct {
	HoldTTL  time.Duration // how long an accepted case's hold lasts before it lapses
	LoanTerm time.Duration // how long a unit may keep a loan before it is overdue
	// StaleAfter is how old an unfinished step must be before the job finishes it, so the job does not
	// race a request still working on it.
	StaleAfter time.Duration
	// Baseline is the person-times recruited before this system, added to the cumulative count.
	Baseline int64
}

// Hooks observe the use cases for metrics. Nil fields are skipped.
type Hooks struct {
	// Step counts a step's end: outcome is done, refused (code is the ledger's refusal) or pending
	// (the ledger did not answer; the step waits for a retry).
	Step func(e recruit.Event, outcome, code string)
	// Job reports what a run of the return-loans job did.
	Job func(r DueReport)
}

// Cases runs the use cases. It is safe for concurrent use, also by several service instances on one
// store: nothing relies on being the only writer.
type Cases struct {
	store  recruit.Store
	ledger Ledger
	units  Units
	policy Policy
	hooks  Hooks
	now    func() time.Time
}

// New returns the use cases on store and ledger, with units as the directory of units.
func New(store recruit.Store, ledger Ledger, units Units, p Policy, h Hooks) *Cases {
	return &Cases{store: store, ledger: ledger, units: units, policy: p, hooks: h, now: time.Now}
}

// SetClock replaces the clock, for tests of expiry and overdue loans.
func (s *Cases) SetClock(now func() time.Time) { s.now = now }

// File records a unit's new case. The unit's name, region and department are the units service's
// (the caller checked the filer may file for the unit). With an idempotency key the case ID derives
// from the unit and the key, so a repeated filing returns the first case instead of filing the
// candidate twice.
func (s *Cases) File(ctx context.Context, unit, key string, a recruit.Application, actor string) (recruit.Case, error) {
	id := newID()
	if key != "" {
		sum := sha256.Sum256([]byte(unit + "\x00" + key))
		id = "tc-" + hex.EncodeToString(sum[:8])
		if c, err := s.Get(ctx, id); err == nil {
			if c.Candidate.IDNumber != normalID(a.Candidate.IDNumber) || c.Post != a.Post {
				return recruit.Case{}, apperr.New(apperr.CodeIdempotencyKeyReused, "", "Idempotency-Key was used for another filing")
			}
			return c, nil
		}
	}
	if !recruit.ValidName(unit) {
		return recruit.Case{}, apperr.Invalid("unit", "单位编号格式不正确", "malformed unit id")
	}
	u, err := s.unit(ctx, unit)
	if err != nil {
		return recruit.Case{}, err
	}
	c, err := recruit.NewCase(id, unit, u.Region, a, actor, s.now())
	if err != nil {
		return recruit.Case{}, err
	}
	c.UnitName = u.Name
	blocked, err := s.ledger.OpenDiscipline(ctx, unit, u.Department)
	if err != nil {
		return recruit.Case{}, fmt.Errorf("ask ledger for discipline cases: %w", err)
	}
	if blocked {
		return recruit.Case{}, apperr.New(apperr.CodeRectificationPending,
			"该单位或其主管部门存在未完成整改的违纪案件，暂停受理人才引进申请", "unit "+unit+" has an open discipline case").
			WithField("unit")
	}
	if err := s.store.InsertCase(ctx, c); err != nil {
		if errors.Is(err, recruit.ErrDuplicate) {
			return s.Get(ctx, id)
		}
		return recruit.Case{}, fmt.Errorf("insert case: %w", err)
	}
	return c, nil
}

// Get returns a case as its step log says it is: the record, with any steps it does not show yet
// applied (a crash between recording a step and updating the case leaves it one step behind).
func (s *Cases) Get(ctx context.Context, id string) (recruit.Case, error) {
	c, err := s.store.Case(ctx, id)
	if errors.Is(err, recruit.ErrNotFound) {
		return recruit.Case{}, apperr.NotFound("人才引进案件", "case "+id+" not found")
	}
	if err != nil {
		return recruit.Case{}, fmt.Errorf("read case %s: %w", id, err)
	}
	return s.catchUp(ctx, c)
}

func (s *Cases) catchUp(ctx context.Context, c recruit.Case) (recruit.Case, error) {
	for {
		next, err := s.store.Step(ctx, c.ID, c.Seq+1)
		if errors.Is(err, recruit.ErrNotFound) {
			return c, nil
		}
		if err != nil {
			return recruit.Case{}, fmt.Errorf("read step %d of %s: %w", c.Seq+1, c.ID, err)
		}
		c = c.Replay(next)
		if c.Pending != nil {
			return c, nil
		}
	}
}

// Amend changes the application of a case sent back for changes.
func (s *Cases) Amend(ctx context.Context, id string, a recruit.Application) (recruit.Case, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return recruit.Case{}, err
	}
	if c.Pending != nil {
		return recruit.Case{}, apperr.New(apperr.CodeConflict, "案件正在办理中，请稍后重试", "a step is unfinished")
	}
	if c, err = c.Amend(a, s.now()); err != nil {
		return recruit.Case{}, err
	}
	if err := s.store.SaveCase(ctx, c); err != nil {
		return recruit.Case{}, fmt.Errorf("save case: %w", err)
	}
	return c, nil
}

// List returns the cases f selects, each caught up with its step log. f.Region selects by the
// region the units service records for each case's unit now (a unit handed over to another county
// takes its cases with it), not by the region recorded on the case when it was filed.
func (s *Cases) List(ctx context.Context, f recruit.Filter) ([]recruit.Case, error) {
	region := f.Region
	f.Region = ""
	cs, err := s.store.Cases(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	if region != "" {
		if cs, err = s.inRegion(ctx, region, cs); err != nil {
			return nil, err
		}
	}
	for i := range cs {
		if cs[i], err = s.catchUp(ctx, cs[i]); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

// History returns a case's steps.
func (s *Cases) History(ctx context.Context, id string) ([]recruit.Step, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.store.Steps(ctx, id)
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "tc-" + hex.EncodeToString(b)
}

func normalID(s string) string {
	n, err := recruit.ParseIDNumber("", s, time.Now())
	if err != nil {
		return s
	}
	return n
}

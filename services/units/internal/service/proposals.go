package service

import (
	"context"

	"github.com/bianzhi/bianzhi/services/units/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// CreateProposal files a draft. A department under an open discipline case cannot
// file at all: no staffing request is accepted until rectification is complete.
func (s *Service) CreateProposal(ctx context.Context, p unit.Proposal, by unit.Actor) (unit.Proposal, error) {
	np, err := unit.NewProposal(p, by, s.now())
	if err != nil {
		return unit.Proposal{}, err
	}
	if _, err := s.History(ctx, np.FiledBy); err != nil {
		if e, ok := unit.AsError(err); ok {
			e.Field = "filedBy"
		}
		return unit.Proposal{}, err
	}
	open, err := s.quota.DisciplineOpen(ctx, np.FiledBy)
	if err != nil {
		return unit.Proposal{}, quotaErr("ask discipline", err)
	}
	if open {
		return unit.Proposal{}, disciplineError()
	}
	if err := s.store.InsertProposal(ctx, np); err != nil {
		return unit.Proposal{}, storeErr("proposal", np.ID, err)
	}
	return np, nil
}

func disciplineError() error {
	return &unit.Error{Kind: unit.KindRule, Code: unit.RuleOpenDisciplineCase, Field: "filedBy",
		Message: "报送部门存在未整改完毕的违反机构编制纪律问题，暂停受理其机构编制事项",
		Detail:  "the filing department has an open discipline case"}
}

// Proposal returns a proposal.
func (s *Service) Proposal(ctx context.Context, id string) (unit.Proposal, error) {
	p, err := s.store.Proposal(ctx, id)
	return p, storeErr("proposal", id, err)
}

// ListProposals lists proposals.
func (s *Service) ListProposals(ctx context.Context, f mongostore.ProposalFilter) ([]unit.Proposal, error) {
	return s.store.ListProposals(ctx, f)
}

// Transition applies a review action. Advancing out of legality review runs the rules
// against today's facts and records the findings with the proposal, pass or fail.
func (s *Service) Transition(ctx context.Context, id string, a unit.Action, by unit.Actor, args unit.TransitionArgs) (p unit.Proposal, err error) {
	defer func() { s.metrics.transitions.WithLabelValues(string(a), outcome(err, "ok", "refused")).Inc() }()
	return s.transition(ctx, id, a, by, args)
}

func (s *Service) transition(ctx context.Context, id string, a unit.Action, by unit.Actor, args unit.TransitionArgs) (unit.Proposal, error) {
	if a == unit.ActionExecute || a == unit.ActionComplete {
		return unit.Proposal{}, &unit.Error{Kind: unit.KindInvalid, Code: "use_execute", Field: "action",
			Message: "请使用执行接口执行方案", Detail: "execution has its own endpoint: POST /v1/proposals/{id}/execute"}
	}
	p, err := s.Proposal(ctx, id)
	if err != nil {
		return unit.Proposal{}, err
	}
	if a == unit.ActionAdvance && p.State == unit.StateLegalityReview {
		f, err := s.Facts(ctx, p)
		if err != nil {
			return unit.Proposal{}, err
		}
		args.Findings, args.Checked = unit.Check(p, f), true
		if len(args.Findings) > 0 {
			// Record the failed review, then report it.
			p.Findings, p.Rev = args.Findings, p.Rev+1
			if err := s.store.SaveProposal(ctx, p); err != nil {
				return unit.Proposal{}, storeErr("proposal", id, err)
			}
		}
	}
	next, err := p.Apply(a, by, s.now(), args)
	if err != nil {
		return unit.Proposal{}, err
	}
	if err := s.store.SaveProposal(ctx, next); err != nil {
		return unit.Proposal{}, storeErr("proposal", id, err)
	}
	return next, nil
}

// Facts gathers what the rules need about p: the units it names, their balances and
// the pool's, the region's unused abolition credits and the filer's discipline status.
func (s *Service) Facts(ctx context.Context, p unit.Proposal) (unit.Facts, error) {
	ids := append([]string{p.FiledBy}, p.UnitIDs...)
	if p.TargetUnitID != "" {
		ids = append(ids, p.TargetUnitID)
	}
	if p.NewManagingAuthorityID != "" {
		ids = append(ids, p.NewManagingAuthorityID)
	}
	for _, src := range p.QuotaSources {
		if src.FromUnitID != "" {
			ids = append(ids, src.FromUnitID)
		}
	}
	f := unit.Facts{Units: map[string]unit.Unit{}}
	var known []string
	for _, id := range ids {
		if _, seen := f.Units[id]; seen {
			continue
		}
		h, err := s.History(ctx, id)
		if err != nil {
			if e, ok := unit.AsError(err); ok && e.Kind == unit.KindNotFound {
				continue // the rules report it by name
			}
			return unit.Facts{}, err
		}
		f.Units[id], _ = h.Current()
		known = append(known, id)
	}
	var err error
	if f.Balances, err = s.quota.Balances(ctx, known); err != nil {
		return unit.Facts{}, quotaErr("read balances", err)
	}
	if f.PoolBalances, err = s.quota.PoolBalances(ctx, p.RegionCode); err != nil {
		return unit.Facts{}, quotaErr("read pool", err)
	}
	if f.DisciplineCaseOpen, err = s.quota.DisciplineOpen(ctx, p.FiledBy); err != nil {
		return unit.Facts{}, quotaErr("ask discipline", err)
	}
	if f.AbolitionCredits, err = s.store.UnusedCredits(ctx, p.RegionCode); err != nil {
		return unit.Facts{}, err
	}
	return f, nil
}

// Simulate answers "what if this proposal were executed now", changing nothing.
func (s *Service) Simulate(ctx context.Context, p unit.Proposal) (unit.Simulation, error) {
	f, err := s.Facts(ctx, p)
	if err != nil {
		return unit.Simulation{}, err
	}
	posts := map[string][]unit.PostLine{}
	for id, u := range f.Units {
		if u.CharterVersion == 0 {
			continue
		}
		if c, err := s.store.Charter(ctx, id, u.CharterVersion); err == nil {
			posts[id] = c.LeadershipPosts
		}
	}
	return unit.Simulate(p, f, posts), nil
}

// SimulateDraft validates an unsaved proposal and simulates it.
func (s *Service) SimulateDraft(ctx context.Context, p unit.Proposal, by unit.Actor) (unit.Simulation, error) {
	if p.ID == "" {
		p.ID = "draft"
	}
	np, err := unit.NewProposal(p, by, s.now())
	if err != nil {
		return unit.Simulation{}, err
	}
	return s.Simulate(ctx, np)
}

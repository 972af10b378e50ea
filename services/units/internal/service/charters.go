package service

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/bianzhi/bianzhi/services/units/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// DraftCharter stores the next version of a unit's charter as a draft.
func (s *Service) DraftCharter(ctx context.Context, unitID string, c unit.Charter, actor string) (unit.Charter, error) {
	h, err := s.History(ctx, unitID)
	if err != nil {
		return unit.Charter{}, err
	}
	cur, _ := h.Current()
	for attempt := 0; attempt < 5; attempt++ {
		next, err := s.latestCharterVersion(ctx, unitID, cur.CharterVersion)
		if err != nil {
			return unit.Charter{}, err
		}
		d, err := unit.NewCharterDraft(cur, next+1, c, actor, s.now())
		if err != nil {
			return unit.Charter{}, err
		}
		err = s.store.InsertCharter(ctx, d)
		if errors.Is(err, mongostore.ErrDuplicate) {
			continue // someone drafted the same version: take the next one
		}
		return d, err
	}
	return unit.Charter{}, storeErr("charter", unitID, mongostore.ErrDuplicate)
}

// latestCharterVersion finds the highest stored version, probing by _id upwards from
// the approved one (drafts may lie above it).
func (s *Service) latestCharterVersion(ctx context.Context, unitID string, from int) (int, error) {
	v := from
	for {
		_, err := s.store.Charter(ctx, unitID, v+1)
		if errors.Is(err, mongostore.ErrNotFound) {
			return v, nil
		}
		if err != nil {
			return 0, err
		}
		v++
	}
}

// Charter returns one version; version 0 means the unit's current approved charter.
func (s *Service) Charter(ctx context.Context, unitID string, version int) (unit.Charter, error) {
	if version == 0 {
		u, err := s.Unit(ctx, unitID, time.Time{})
		if err != nil {
			return unit.Charter{}, err
		}
		if u.CharterVersion == 0 {
			return unit.Charter{}, unit.NotFound("charter", unitID)
		}
		version = u.CharterVersion
	}
	c, err := s.store.Charter(ctx, unitID, version)
	return c, storeErr("charter", unit.CharterID(unitID, version), err)
}

// Charters lists every stored version of a unit's charter, oldest first.
func (s *Service) Charters(ctx context.Context, unitID string) ([]unit.Charter, error) {
	if _, err := s.History(ctx, unitID); err != nil {
		return nil, err
	}
	out := []unit.Charter{}
	for v := 1; ; v++ {
		c, err := s.store.Charter(ctx, unitID, v)
		if errors.Is(err, mongostore.ErrNotFound) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

// DiffCharters compares two versions of a unit's charter.
func (s *Service) DiffCharters(ctx context.Context, unitID string, from, to int) (unit.CharterDiff, error) {
	a, err := s.Charter(ctx, unitID, from)
	if err != nil {
		return unit.CharterDiff{}, err
	}
	b, err := s.Charter(ctx, unitID, to)
	if err != nil {
		return unit.CharterDiff{}, err
	}
	return unit.Diff(a, b), nil
}

// ApproveCharter approves a draft: the quota ledger's approved posts for the unit are
// set first (keyed by the charter ID, so a retry after a failure sets them once), then
// the charter and the unit record it. Approving an approved version again with the same
// document is a no-op, so the whole call is safe to retry.
func (s *Service) ApproveCharter(ctx context.Context, unitID string, version int, docNo string, eff time.Time, actor string) (unit.Charter, error) {
	c, err := s.Charter(ctx, unitID, version)
	if err != nil {
		return unit.Charter{}, err
	}
	u, err := s.Unit(ctx, unitID, time.Time{})
	if err != nil {
		return unit.Charter{}, err
	}
	if c.Status == unit.CharterApproved && c.DocumentNo == docNo {
		_, err := s.amend(ctx, unitID, unit.Change{Kind: "charter", EffectiveFrom: c.EffectiveFrom, DocumentNo: docNo,
			Ref: "charter:" + c.ID, Apply: unit.SetCharter(c)})
		return c, err
	}
	approved, err := c.Approve(docNo, eff, actor, s.now())
	if err != nil {
		return unit.Charter{}, err
	}
	if u.Status != unit.StatusActive {
		return unit.Charter{}, &unit.Error{Kind: unit.KindConflict, Code: "unit_not_active", Message: "机构已撤销或已被合并，不能批准三定规定", Detail: "unit is not active"}
	}
	lines := append([]unit.QuotaLine{}, c.Quotas...)
	for _, p := range c.LeadershipPosts {
		k, _ := unit.LeaderQuotaKind(p.Rank)
		lines = append(lines, unit.QuotaLine{Kind: k, Count: p.Count})
	}
	if err := s.quota.SetApproved(ctx, "charter:"+c.ID, unitID, u.RegionCode, lines, docNo); err != nil {
		return unit.Charter{}, quotaErr("set approved quotas", err)
	}
	if err := s.store.SaveCharter(ctx, approved); err != nil {
		return unit.Charter{}, err
	}
	if _, err := s.amend(ctx, unitID, unit.Change{Kind: "charter", EffectiveFrom: approved.EffectiveFrom, DocumentNo: docNo,
		Ref: "charter:" + c.ID, Apply: unit.SetCharter(approved)}); err != nil {
		return unit.Charter{}, err
	}
	return approved, nil
}

// ImportCharters stores approved charters in one batch (baseline data and the demo
// load); the quota side is loaded through the quota service's own batch endpoints.
func (s *Service) ImportCharters(ctx context.Context, cs []unit.Charter, actor string) (int, error) {
	out := make([]unit.Charter, len(cs))
	for i, c := range cs {
		d, err := unit.NewCharterDraft(unit.Unit{ID: c.UnitID, Status: unit.StatusActive}, c.Version, c, actor, s.now())
		if err == nil {
			d, err = d.Approve(c.DocumentNo, c.EffectiveFrom, actor, s.now())
		}
		if err != nil {
			if e, ok := unit.AsError(err); ok {
				e.Field = "charters[" + strconv.Itoa(i) + "]." + e.Field
				return 0, e
			}
			return 0, err
		}
		if c.UnitID == "" || c.Version < 1 {
			return 0, &unit.Error{Kind: unit.KindInvalid, Code: "required", Field: "charters[" + strconv.Itoa(i) + "].unitId",
				Message: "须注明机构编号和版本号", Detail: "unitId and a positive version are required"}
		}
		out[i] = d
	}
	return s.store.InsertCharters(ctx, out)
}

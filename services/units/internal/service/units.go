package service

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/bianzhi/bianzhi/services/units/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// History returns a unit's versions (cached).
func (s *Service) History(ctx context.Context, id string) (unit.History, error) {
	h, err := cached(ctx, s, s.units, id, func(ctx context.Context) (unit.History, error) {
		return s.store.History(ctx, id)
	})
	return h, storeErr("unit", id, err)
}

// Unit returns the unit as it stands now, or as of day when day is not zero.
func (s *Service) Unit(ctx context.Context, id string, asOf time.Time) (unit.Unit, error) {
	h, err := s.History(ctx, id)
	if err != nil {
		return unit.Unit{}, err
	}
	if asOf.IsZero() {
		u, _ := h.Current()
		return u, nil
	}
	u, ok := h.AsOf(asOf)
	if !ok {
		return unit.Unit{}, &unit.Error{Kind: unit.KindNotFound, Code: "unit_not_yet_established", Field: "asOf",
			Message: "该日期时机构尚未设立", Detail: "the unit did not exist on " + asOf.Format(time.DateOnly)}
	}
	return u, nil
}

// ListUnits lists current units; with asOf, the versions in force that day (units not
// yet established then are left out).
func (s *Service) ListUnits(ctx context.Context, f mongostore.UnitFilter, asOf time.Time) ([]unit.Unit, error) {
	if asOf.IsZero() {
		return s.store.ListUnits(ctx, f)
	}
	all, err := s.store.AllHistories(ctx)
	if err != nil {
		return nil, err
	}
	var out []unit.Unit
	for _, h := range all {
		u, ok := h.AsOf(asOf)
		if !ok || (f.RegionPrefix != "" && !hasPrefix(u.RegionCode, f.RegionPrefix)) ||
			(f.Kind != "" && u.Kind != f.Kind) || (f.Level != "" && u.Level != f.Level) || (f.Status != "" && u.Status != f.Status) {
			continue
		}
		out = append(out, u)
	}
	return out, nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// ImportUnits records existing units (the baseline of an office's data, or the demo
// load) in one batch. Each must validate; units whose ID exists are skipped.
func (s *Service) ImportUnits(ctx context.Context, in []unit.Unit, docNo string) (int, error) {
	out := make([]unit.Unit, len(in))
	for i, u := range in {
		eff := u.EffectiveFrom
		if eff.IsZero() {
			eff = s.now()
		}
		u.Change = unit.ChangeBaseline
		nu, err := unit.NewUnit(u, eff, firstNonEmpty(u.DocumentNo, docNo))
		if err != nil {
			if e, ok := unit.AsError(err); ok {
				e.Field = "units[" + strconv.Itoa(i) + "]." + e.Field
				return 0, e
			}
			return 0, err
		}
		nu.CharterVersion, nu.Change = u.CharterVersion, unit.ChangeBaseline
		out[i] = nu
	}
	n, err := s.store.CreateUnits(ctx, out)
	ids := make([]string, len(out))
	for i, u := range out {
		ids[i] = u.ID
	}
	s.invalidateUnits(ctx, ids...)
	return n, err
}

// amend applies change c to unit id, re-reading and retrying when another writer got
// the revision first. A change whose Ref is already in the history is not applied again.
func (s *Service) amend(ctx context.Context, id string, c unit.Change) (unit.Unit, error) {
	for attempt := 0; ; attempt++ {
		h, err := s.store.History(ctx, id)
		if err != nil {
			return unit.Unit{}, storeErr("unit", id, err)
		}
		if c.Ref != "" && h.HasChange(c.Ref) {
			cur, _ := h.Current()
			return cur, nil
		}
		next, err := h.Next(c)
		if err != nil {
			return unit.Unit{}, err
		}
		err = s.store.AppendVersion(ctx, h, next)
		s.invalidateUnits(ctx, id)
		if errors.Is(err, mongostore.ErrDuplicate) && attempt < 8 {
			time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
			continue
		}
		return next, storeErr("unit", id, err)
	}
}

// UpdateSections replaces a unit's internal sections (a change outside a reform
// proposal, e.g. the move to the large-section system), as a new version.
func (s *Service) UpdateSections(ctx context.Context, id string, sections []unit.Section, eff time.Time, docNo string) (unit.Unit, error) {
	return s.amend(ctx, id, unit.Change{Kind: "sections", EffectiveFrom: eff, DocumentNo: docNo, Apply: unit.SetSections(sections)})
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

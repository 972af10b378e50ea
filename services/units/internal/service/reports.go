package service

import (
	"context"
	"time"

	"github.com/bianzhi/bianzhi/services/units/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// Coverage computes the four full coverages for the region subtree under prefix.
func (s *Service) Coverage(ctx context.Context, prefix string) ([]unit.CoverageItem, error) {
	units, err := s.store.ListUnits(ctx, mongostore.UnitFilter{RegionPrefix: prefix, Status: unit.StatusActive})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, u := range units {
		if u.CharterVersion > 0 {
			ids = append(ids, unit.CharterID(u.ID, u.CharterVersion))
		}
	}
	charters, err := s.store.ChartersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	regions, err := s.Regions(ctx)
	if err != nil {
		return nil, err
	}
	var towns []unit.Region
	for _, r := range regions {
		if r.Level == unit.LevelTownship && hasPrefix(r.Code, prefix) {
			towns = append(towns, r)
		}
	}
	return unit.Coverages(units, charters, towns), nil
}

// ReformStats computes the reform statistics for [from, to] in the subtree under prefix.
// Quota totals for the under-10 list come from each unit's current charter, which is
// what the office approved (the ledger may lag during an execution).
func (s *Service) ReformStats(ctx context.Context, prefix string, from, to time.Time) (unit.ReformStats, error) {
	all, err := s.store.AllHistories(ctx)
	if err != nil {
		return unit.ReformStats{}, err
	}
	var hs []unit.History
	var ids []string
	for _, h := range all {
		cur, ok := h.Current()
		if !ok || !hasPrefix(cur.RegionCode, prefix) {
			continue
		}
		hs = append(hs, h)
		if cur.Status == unit.StatusActive && cur.Kind == unit.KindInstitution && cur.CharterVersion > 0 {
			ids = append(ids, unit.CharterID(cur.ID, cur.CharterVersion))
		}
	}
	charters, err := s.store.ChartersByID(ctx, ids)
	if err != nil {
		return unit.ReformStats{}, err
	}
	totals := map[string]int64{}
	for id, c := range charters {
		totals[id] = c.QuotaTotal()
	}
	events, err := s.store.CreditEvents(ctx)
	if err != nil {
		return unit.ReformStats{}, err
	}
	var mine []unit.CreditEvent
	for _, e := range events {
		if hasPrefix(e.RegionCode, prefix) {
			mine = append(mine, e)
		}
	}
	return unit.Stats(hs, totals, mine, from, to), nil
}

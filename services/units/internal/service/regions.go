package service

import (
	"context"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// Regions returns every region (cached).
func (s *Service) Regions(ctx context.Context) ([]unit.Region, error) {
	return cached(ctx, s, s.regions, "all", s.store.Regions)
}

// RegionTree returns the region tree under root ("" for all).
func (s *Service) RegionTree(ctx context.Context, root string) ([]*unit.RegionNode, error) {
	rs, err := s.Regions(ctx)
	if err != nil {
		return nil, err
	}
	tree := unit.BuildTree(rs)
	if root == "" {
		return tree, nil
	}
	var find func([]*unit.RegionNode) *unit.RegionNode
	find = func(ns []*unit.RegionNode) *unit.RegionNode {
		for _, n := range ns {
			if n.Code == root {
				return n
			}
			if f := find(n.Children); f != nil {
				return f
			}
		}
		return nil
	}
	if n := find(tree); n != nil {
		return []*unit.RegionNode{n}, nil
	}
	return nil, unit.NotFound("region", root)
}

// Region returns one region.
func (s *Service) Region(ctx context.Context, code string) (unit.Region, error) {
	rs, err := s.Regions(ctx)
	if err != nil {
		return unit.Region{}, err
	}
	for _, r := range rs {
		if r.Code == code {
			return r, nil
		}
	}
	return unit.Region{}, unit.NotFound("region", code)
}

// PutRegions validates and stores regions; every parent must exist already or be in
// the same batch, so the tree is never broken.
func (s *Service) PutRegions(ctx context.Context, in []unit.Region) ([]unit.Region, error) {
	existing, err := s.Regions(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, r := range existing {
		known[r.Code] = true
	}
	out := make([]unit.Region, 0, len(in))
	var v unit.Violations
	for _, r := range in {
		nr, err := unit.NewRegion(r)
		if err != nil {
			return nil, err
		}
		known[nr.Code] = true
		out = append(out, nr)
	}
	for _, r := range out {
		if r.Parent != "" && !known[r.Parent] {
			v = append(v, &unit.Error{Kind: unit.KindInvalid, Code: "unknown_parent_region", Field: "parent",
				Message: "上级行政区划不存在：" + r.Parent, Detail: "parent region " + r.Parent + " does not exist"})
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.store.PutRegions(ctx, out); err != nil {
		return nil, err
	}
	s.invalidate(ctx, s.regions, "all")
	return out, nil
}

package service

import (
	"context"
	"fmt"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
)

// Unit is what the talent pool needs to know of a unit, as its owner, the units service, records
// it: its name, the region it lies in and its supervising department (主管部门). Every scope
// decision on a case, and the department the discipline check asks about, come from here, never
// from a request body or the region of a token.
type Unit struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Region     string `json:"region"`
	Department string `json:"department,omitempty"`
}

// Units looks units up at their owner. A unit the owner does not know is an *apperr.Error with
// code not_found; no answer is any other error.
type Units interface {
	Unit(ctx context.Context, id string) (Unit, error)
}

// unit reads a unit from the directory, naming the unit when it is unknown.
func (s *Cases) unit(ctx context.Context, id string) (Unit, error) {
	u, err := s.units.Unit(ctx, id)
	if apperr.Is(err, apperr.CodeNotFound) {
		return Unit{}, apperr.New(apperr.CodeNotFound, "编制系统中没有该单位", "unit "+id+" is unknown to the units service").
			WithField("unit")
	}
	if err != nil {
		return Unit{}, fmt.Errorf("look up unit %s: %w", id, err)
	}
	return u, nil
}

// InScope reports whether the caller may see and act on (within their roles) the cases of unit
// unitID: a service on every unit, a unit HR officer on the units of the token, office staff and
// auditors on units whose region, as the units service records it now, lies in their region. A
// unit the units service does not know is in no office's scope.
func (s *Cases) InScope(ctx context.Context, cl *auth.Claims, unitID string) (bool, error) {
	switch {
	case cl == nil || unitID == "":
		return false, nil
	case cl.Has(auth.RoleService), cl.OwnsUnit(unitID):
		return true, nil
	case !cl.RegionScoped():
		return false, nil
	}
	u, err := s.units.Unit(ctx, unitID)
	if apperr.Is(err, apperr.CodeNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up unit %s: %w", unitID, err)
	}
	return cl.InRegion(u.Region), nil
}

// inRegion keeps the cases whose unit lies in region's subtree as the units service records it,
// asking once per unit.
func (s *Cases) inRegion(ctx context.Context, region string, cs []recruit.Case) ([]recruit.Case, error) {
	known := map[string]bool{}
	out := cs[:0]
	for _, c := range cs {
		in, ok := known[c.Unit]
		if !ok {
			u, err := s.units.Unit(ctx, c.Unit)
			switch {
			case err == nil:
				in = auth.InSubtree(region, u.Region)
			case apperr.Is(err, apperr.CodeNotFound):
				in = false
			default:
				return nil, fmt.Errorf("look up unit %s: %w", c.Unit, err)
			}
			known[c.Unit] = in
		}
		if in {
			out = append(out, c)
		}
	}
	return out, nil
}

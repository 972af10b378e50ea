package httpapi

import (
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// Who may do what. Reading is open to every role within its scope; changing units,
// charters and proposals is the offices' work (and other services'); deciding a
// proposal or approving a charter likewise, each office within its own region.
var (
	readers = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleUnitHR, auth.RoleService}
	offices = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleService}
	city    = []auth.Role{auth.RoleCityAdmin, auth.RoleService}
)

// actor names the caller in records (transitions, charter approvals).
func actor(c *gin.Context) string {
	cl := auth.Caller(c)
	if cl.Name != "" {
		return cl.Name + " (" + cl.Subject + ")"
	}
	return cl.Subject
}

// canSeeUnit lets office staff and auditors see units in their region, a unit HR
// officer only the units in the token, and services everything.
func canSeeUnit(c *gin.Context, u unit.Unit) error {
	return auth.RequireUnit(auth.Caller(c), u.ID, u.RegionCode)
}

// canChangeRegion requires an office role whose region covers code.
func canChangeRegion(c *gin.Context, code string) error {
	cl := auth.Caller(c)
	if !cl.Has(offices...) {
		return auth.Forbidden("role")
	}
	return auth.RequireRegion(cl, code)
}

// listPrefix turns the ?region= of a list into a code prefix inside the caller's scope:
// no region means the caller's own; a region outside it is refused, not silently narrowed.
func listPrefix(c *gin.Context) (string, error) {
	cl := auth.Caller(c)
	region := c.Query("region")
	if region == "" {
		if cl.Has(auth.RoleService) || cl.Region == "" {
			return auth.RegionPrefix(region), nil
		}
		region = cl.Region
	}
	if _, ok := unit.LevelOfCode(region); !ok {
		return "", apperr.Invalid("region", "行政区划代码格式不正确", "region must be a division code")
	}
	if !cl.Has(auth.RoleUnitHR) || cl.Has(auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleService) {
		if err := auth.RequireRegion(cl, region); err != nil {
			return "", err
		}
	}
	return auth.RegionPrefix(region), nil
}

// onlyOwnUnits filters a list for a unit HR officer, who sees only their units.
func onlyOwnUnits(c *gin.Context, us []unit.Unit) []unit.Unit {
	cl := auth.Caller(c)
	if cl.Has(auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleService) {
		return us
	}
	out := []unit.Unit{}
	for _, u := range us {
		if slices.Contains(cl.Units, u.ID) {
			out = append(out, u)
		}
	}
	return out
}

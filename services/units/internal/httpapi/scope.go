package httpapi

import (
	"errors"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// actor names the caller in records (transitions, charter approvals) and carries what four
// eyes compare: the token's subject, and whether the caller speaks for the city office.
func actor(c *gin.Context) unit.Actor {
	cl := auth.Caller(c)
	return unit.Actor{ID: cl.Subject, Name: cl.Name, CityOffice: cl.Has(auth.RoleCityAdmin)}
}

// canSeeUnit lets office staff and auditors see units in their region, a unit HR officer only
// the units in the token, and services everything. u is the stored unit: its region comes from
// this service, the owner of the data.
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

// errNoRegion refuses a region-wide read to a caller whose token grants no region: a unit HR
// officer (whose scope is units) or a token without one. Fail closed: no region is no data.
func errNoRegion() error {
	return apperr.New(apperr.CodeForbidden, "登录凭证未授权任何地区，无权查看地区范围的数据",
		"the caller's token grants no region")
}

// listPrefix turns the ?region= of a list or report into a code prefix inside the caller's
// scope: no region means the caller's own (a service's: all); a region outside it is refused,
// not silently narrowed; a caller with no region gets nothing.
func listPrefix(c *gin.Context) (string, error) {
	cl := auth.Caller(c)
	region := c.Query("region")
	if region == "" {
		if cl.Has(auth.RoleService) {
			return "", nil
		}
		if !cl.RegionScoped() {
			return "", errNoRegion()
		}
		region = cl.Region
	}
	if _, ok := unit.LevelOfCode(region); !ok {
		return "", apperr.Invalid("region", "行政区划代码格式不正确", "region must be a division code")
	}
	if err := auth.RequireRegion(cl, region); err != nil {
		return "", err
	}
	return auth.RegionPrefix(region), nil
}

// unitsOnly reports whether the caller's scope is the units of its token alone (a unit HR officer
// holding no office, auditor or service role).
func unitsOnly(cl *auth.Claims) bool {
	return cl.Has(auth.RoleUnitHR) && !cl.Has(auth.RoleService) && !cl.RegionScoped()
}

// ownUnits keeps the units a unit HR officer holds.
func ownUnits(cl *auth.Claims, us []unit.Unit) []unit.Unit {
	return slices.DeleteFunc(us, func(u unit.Unit) bool { return !cl.OwnsUnit(u.ID) })
}

// withField names the request field whose value lies outside the caller's scope.
func withField(err error, field string) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.WithField(field)
	}
	return err
}

// requireStoredUnit checks a unit named in a request body against the caller's scope by the
// region stored for it here, never by anything the body says. An empty or unknown ID passes
// (nothing to disclose; validation reports it); services pass.
func (h handlers) requireStoredUnit(c *gin.Context, id, field string) error {
	cl := auth.Caller(c)
	if id == "" || cl.Has(auth.RoleService) {
		return nil
	}
	u, err := h.s.Unit(c.Request.Context(), id, time.Time{})
	if e, ok := unit.AsError(err); ok && e.Kind == unit.KindNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	return withField(auth.RequireUnit(cl, u.ID, u.RegionCode), field)
}

package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
)

// Who may do what. Reading units and charters is open to every role within its scope (a unit HR
// officer: their own units); proposals and region-wide reports are the offices' and auditors'
// (a proposal is the offices' deliberation until decided; a unit learns the decision from its
// document and its unit's history); changing anything is the offices' work (and other
// services'), each office within its own region; region and batch imports are the city's.
var (
	readers       = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleUnitHR, auth.RoleService}
	officeReaders = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleService}
	offices       = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleService}
	city          = []auth.Role{auth.RoleCityAdmin, auth.RoleService}
)

// Scope, Policy and Route are the platform's (pkg/auth): a route's roles and where the scope of
// its object comes from, declared beside the route.
type (
	Scope  = auth.Scope
	Policy = auth.Policy
	Route  = auth.Route
)

// The scopes of the units routes.
const (
	// ScopeSelf: the caller's own identity; nothing else is read.
	ScopeSelf Scope = "self"
	// ScopeReference: the division tree (codes and names, public under GB/T 2260), any root.
	ScopeReference Scope = "reference"
	// ScopeCallerRegion: the caller's region; ?region= must lie inside it. Callers with no region
	// (unit HR, a token without one) get 403.
	ScopeCallerRegion Scope = "caller_region"
	// ScopeCallerUnits: as ScopeCallerRegion, but a unit HR officer gets the units of the token.
	ScopeCallerUnits Scope = "caller_region_or_units"
	// ScopeUnit: the stored region of unit :id; a unit HR officer only the units of the token.
	ScopeUnit Scope = "unit_region"
	// ScopeProposal: the stored region of proposal :id; changing it also needs the stored region
	// of every unit it names.
	ScopeProposal Scope = "proposal_region"
	// ScopeBodyUnits: the region the body names and the stored region of every unit it names.
	ScopeBodyUnits Scope = "body_units_stored_region"
	// ScopeBodyRegions: every region code in the body lies in the caller's region.
	ScopeBodyRegions Scope = "body_regions"
)

// Table returns the API table without serving it, for tests and documentation.
func Table() []Route {
	return Routes(gin.New(), nil, Deps{})
}

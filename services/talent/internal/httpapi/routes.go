// Package httpapi is the talent service's REST API. This file shows all of it: every route with
// its policy (who may call it and where the scope of its object comes from) beside it.
package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

// Deps are what the handlers need.
type Deps struct {
	Service string
	Cases   *service.Cases
	Reports *service.Reports
}

// The roles of each kind of route: unit HR officers file and hire for their own units; the city
// staffing office (市委编办) reviews; everyone in scope reads.
var (
	unitHR     = []auth.Role{auth.RoleUnitHR}
	unitOrCity = []auth.Role{auth.RoleUnitHR, auth.RoleCityAdmin}
	cityOffice = []auth.Role{auth.RoleCityAdmin}
	readers    = []auth.Role{auth.RoleUnitHR, auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleService}
	jobCallers = []auth.Role{auth.RoleCityAdmin, auth.RoleService}
	reportRead = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleService}
)

// The scopes of the talent routes. A unit's region, name and department always come from the units
// service (the owner of the data), never from a body or from the region of a token; the caller's
// token gives only the caller's own scope (an office's region, a unit HR officer's units).
const (
	// ScopeSelf: the caller's own identity; nothing else is read.
	ScopeSelf auth.Scope = "self"
	// ScopeFilingUnit: the unit the body names must be one of the units in the unit HR officer's
	// token; the case's region, unit name and department are the units service's record of it.
	ScopeFilingUnit auth.Scope = "body_unit_in_token_units"
	// ScopeCase: the unit of case :id: a unit HR officer only the units in the token; offices and
	// auditors when the unit's region, as the units service records it, lies in theirs; services
	// every case. Outside it the case answers 404.
	ScopeCase auth.Scope = "case_unit_stored_region"
	// ScopeCallerCases: lists. Offices and auditors: the cases whose unit's stored region lies in the
	// caller's region (no region: 403); unit HR: the cases of the token's units (?unit= must be one,
	// else 403); services: all.
	ScopeCallerCases auth.Scope = "caller_region_or_units"
	// ScopeCallerRegion: the cases whose unit's stored region lies in the caller's region (no
	// region: 403); services: all. The pool's balances are the city's.
	ScopeCallerRegion auth.Scope = "caller_region"
	// ScopeCityPool: the city's whole pool (the job that returns loans); only the city office and
	// services call it.
	ScopeCityPool auth.Scope = "city_pool"
)

// Routes mounts the API and returns its table. Every /v1 route requires a valid token and
// declares a Policy: the roles are checked before the handler runs, the scope inside it, where
// the case (and so its unit) is known.
func Routes(e *gin.Engine, verifier *auth.Verifier, d Deps) []auth.Route {
	h := &handlers{cases: d.Cases, reports: d.Reports}
	r := auth.NewRouter(e.Group("/v1", auth.Middleware(verifier)), "/v1")
	r.Handle("GET", "/whoami", auth.Policy{Roles: readers, Scope: ScopeSelf}, auth.WhoAmI(d.Service))

	r.Handle("POST", "/cases", auth.Policy{Roles: unitHR, Scope: ScopeFilingUnit}, h.file)
	r.Handle("GET", "/cases", auth.Policy{Roles: readers, Scope: ScopeCallerCases}, h.list)
	r.Handle("GET", "/cases/:id", auth.Policy{Roles: readers, Scope: ScopeCase}, h.get)
	r.Handle("GET", "/cases/:id/history", auth.Policy{Roles: readers, Scope: ScopeCase}, h.history)
	r.Handle("PUT", "/cases/:id/application", auth.Policy{Roles: unitHR, Scope: ScopeCase}, h.amend)
	r.Handle("POST", "/cases/:id/resubmit", auth.Policy{Roles: unitHR, Scope: ScopeCase}, h.act(recruit.EventResubmit))
	r.Handle("POST", "/cases/:id/accept", auth.Policy{Roles: cityOffice, Scope: ScopeCase}, h.act(recruit.EventAccept))
	r.Handle("POST", "/cases/:id/send-back", auth.Policy{Roles: cityOffice, Scope: ScopeCase}, h.act(recruit.EventSendBack))
	r.Handle("POST", "/cases/:id/reject", auth.Policy{Roles: cityOffice, Scope: ScopeCase}, h.act(recruit.EventReject))
	r.Handle("POST", "/cases/:id/withdraw", auth.Policy{Roles: unitOrCity, Scope: ScopeCase}, h.act(recruit.EventWithdraw))
	r.Handle("POST", "/cases/:id/hire", auth.Policy{Roles: unitOrCity, Scope: ScopeCase}, h.act(recruit.EventHire))

	r.Handle("POST", "/loans/return-due", auth.Policy{Roles: jobCallers, Scope: ScopeCityPool}, h.returnDue)
	r.Handle("GET", "/reports/pool", auth.Policy{Roles: reportRead, Scope: ScopeCallerRegion}, h.poolReport)
	r.Handle("GET", "/reports/overdue-loans", auth.Policy{Roles: reportRead, Scope: ScopeCallerRegion}, h.overdueReport)
	return r.Routes()
}

// Table returns the API table without serving it, for tests and documentation.
func Table() []auth.Route {
	return Routes(gin.New(), nil, Deps{})
}

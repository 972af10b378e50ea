// Package httpapi is the quota service's REST API. This file shows all of it.
package httpapi

import (
	"log/slog"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/redisx"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

// Deps are what the handlers need.
type Deps struct {
	Service string
	Ledger  *service.Ledger
	// Balances caches account balances; writes invalidate it (service.Hooks.Changed).
	Balances *redisx.Cache
	// Log receives what the handlers cannot answer with (nil: slog.Default()).
	Log *slog.Logger
}

// Who may do what. Reading is every role's within its scope (a unit HR officer: the accounts,
// people, holds and plans of their own units); moving quota, holds, mergers and discipline are the
// offices' work (and other services'), each office within its own region; hires, exits and usage
// plans are also a unit HR officer's, for their own units; cases and region-wide reports are the
// offices' and auditors'; the checker is the city's and auditors'.
var (
	readers       = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleUnitHR, auth.RoleService}
	officeReaders = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleService}
	offices       = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleService}
	hirers        = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleUnitHR, auth.RoleService}
	cityReaders   = []auth.Role{auth.RoleCityAdmin, auth.RoleAuditor, auth.RoleService}
)

// Policy and Route are the platform's (pkg/auth): roles checked before the handler, the scope
// inside it, where the owner of the data is known.
type (
	Policy = auth.Policy
	Route  = auth.Route
)

// The scopes of the quota routes. Each names where the region or units a route acts on come
// from: always a stored record of the ledger (an account and its holder, a hold, a plan, a
// person, a case) or the caller's token, never a request body alone.
const (
	// ScopeSelf: the caller's own identity; nothing else is read.
	ScopeSelf auth.Scope = "self"
	// ScopeOpenAccount: the holder the new account's ID names. A unit's account is opened only
	// by a service (the units service, which owns units and their regions); a region's control
	// total or recovered pool by an office of that region or above (the region is in the ID);
	// a talent pool and the level above (ext:) by the city office or a service.
	ScopeOpenAccount auth.Scope = "account_id_holder"
	// ScopeAccount: the stored account :id's holder: a unit's account by its stored region
	// (unit HR: only the units of the token), a pool by its region, the level above only the
	// city office, auditors and services.
	ScopeAccount auth.Scope = "account_holder"
	// ScopeBodyAccounts: every stored account the body names (a transfer's from and to, a
	// hold's account, a hire's or plan's unit account), as ScopeAccount.
	ScopeBodyAccounts auth.Scope = "body_accounts_holder"
	// ScopeCallerRegion: the caller's region; ?region= must lie inside it; no region → 403.
	ScopeCallerRegion auth.Scope = "caller_region"
	// ScopeBalances: as ScopeCallerRegion; a unit HR officer only with ?unit= of the token.
	ScopeBalances auth.Scope = "caller_region_or_units"
	// ScopeUnit: every stored account of unit :unit (unit HR: only the units of the token);
	// moving people also needs every account of the body's target unit.
	ScopeUnit auth.Scope = "unit_accounts"
	// ScopeTransfer: every account of the stored transfer :id's legs.
	ScopeTransfer auth.Scope = "transfer_legs"
	// ScopeHold: the stored hold :id's account (lending: the body's target account too).
	ScopeHold auth.Scope = "hold_account"
	// ScopePerson: the account person :idNumber sits on (an exit: the record of the tenure).
	ScopePerson auth.Scope = "person_account"
	// ScopePlan: the stored plan :id's unit account.
	ScopePlan auth.Scope = "plan_unit_account"
	// ScopeCaseSubject: the case's subject and the units it supervises: every account the
	// subject holds and every account whose department is the subject, each within the
	// caller's scope and the case's region; a subject the ledger knows nothing of is 404.
	ScopeCaseSubject auth.Scope = "case_subject_and_supervised"
	// ScopeCase: the stored case :id's region (closing: also the level that opened it or above).
	ScopeCase auth.Scope = "case_region"
	// ScopeLedger: the whole ledger (the checker), for the city office, auditors and services.
	ScopeLedger auth.Scope = "whole_ledger"
)

// Routes mounts the API and returns its table. Every /v1 route requires a valid token and
// declares a Policy beside it: the roles are checked before the handler, the scope inside it
// (it depends on the stored records a request touches). Every write (every POST) requires an
// Idempotency-Key and claims it before it has any effect (idempotency.go): the role check runs
// first, so a refused caller claims nothing. The table is what TestEveryRouteHasAPolicy and the
// component matrix test read.
func Routes(e *gin.Engine, verifier *auth.Verifier, d Deps) []Route {
	h := &handlers{d: d}
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	var requests Requests
	if d.Ledger != nil {
		requests = d.Ledger.Store()
	}
	idem := idempotent(requests, log)
	r := auth.NewRouter(e.Group("/v1", auth.Middleware(verifier)), "/v1")
	get := func(path string, p Policy, handler gin.HandlerFunc) { r.Handle("GET", path, p, handler) }
	// write mounts a write route: role check, then limits such as a batch route's larger body
	// limit (before), then the idempotency claim.
	write := func(path string, p Policy, handler gin.HandlerFunc, before ...gin.HandlerFunc) {
		r.Handle("POST", path, p, append(before, idem, handler)...)
	}
	batch := httpserver.BodyLimit(httpserver.BatchMaxBodyBytes)

	get("/whoami", Policy{Roles: readers, Scope: ScopeSelf}, auth.WhoAmI(d.Service))

	write("/accounts", Policy{Roles: offices, Scope: ScopeOpenAccount}, h.openAccount)
	write("/accounts/batch", Policy{Roles: offices, Scope: ScopeOpenAccount}, h.openAccounts, batch)
	get("/accounts/:id", Policy{Roles: readers, Scope: ScopeAccount}, h.getAccount) // ?asOf=YYYY-MM-DD
	get("/accounts/:id/journal", Policy{Roles: readers, Scope: ScopeAccount}, h.journal)
	get("/balances", Policy{Roles: readers, Scope: ScopeBalances}, h.balances) // ?region=&kind=&level=&type=&unit=
	write("/units/:unit/abolish", Policy{Roles: offices, Scope: ScopeUnit}, h.abolishUnit)
	get("/units/:unit/incumbents", Policy{Roles: readers, Scope: ScopeUnit}, h.unitIncumbents)
	write("/units/:unit/incumbents/transfer", Policy{Roles: offices, Scope: ScopeUnit}, h.moveIncumbents) // a merger: people move with their posts

	write("/transfers", Policy{Roles: offices, Scope: ScopeBodyAccounts}, h.createTransfer)
	write("/transfers/batch", Policy{Roles: offices, Scope: ScopeBodyAccounts}, h.batchTransfers, batch)
	get("/transfers/:id", Policy{Roles: readers, Scope: ScopeTransfer}, h.getTransfer)

	write("/holds", Policy{Roles: offices, Scope: ScopeBodyAccounts}, h.placeHold)
	get("/holds/:id", Policy{Roles: readers, Scope: ScopeHold}, h.getHold)
	write("/holds/:id/void", Policy{Roles: offices, Scope: ScopeHold}, h.voidHold)
	write("/holds/:id/lend", Policy{Roles: offices, Scope: ScopeHold}, h.lendHold)

	write("/incumbents", Policy{Roles: hirers, Scope: ScopeBodyAccounts}, h.hire)
	write("/incumbents/batch", Policy{Roles: hirers, Scope: ScopeBodyAccounts}, h.batchHires, batch)
	get("/incumbents/:idNumber", Policy{Roles: readers, Scope: ScopePerson}, h.getIncumbent)
	write("/incumbents/:idNumber/exit", Policy{Roles: hirers, Scope: ScopePerson}, h.exit)

	write("/plans", Policy{Roles: hirers, Scope: ScopeBodyAccounts}, h.filePlan)
	get("/plans/:id", Policy{Roles: readers, Scope: ScopePlan}, h.getPlan)
	write("/plans/:id/decision", Policy{Roles: offices, Scope: ScopePlan}, h.decidePlan)

	write("/cases", Policy{Roles: offices, Scope: ScopeCaseSubject}, h.openCase)
	get("/cases/:id", Policy{Roles: officeReaders, Scope: ScopeCase}, h.getCase)
	write("/cases/:id/close", Policy{Roles: offices, Scope: ScopeCase}, h.closeCase)
	// "May this unit file a staffing request now?": offices, auditors and services by the unit's
	// accounts; a unit HR officer for their own units.
	get("/units/:unit/case-check", Policy{Roles: readers, Scope: ScopeUnit}, h.caseCheck) // ?department=

	get("/reports/roll-forward", Policy{Roles: officeReaders, Scope: ScopeCallerRegion}, h.rollForward) // ?region=&year=
	get("/reports/level-moves", Policy{Roles: officeReaders, Scope: ScopeCallerRegion}, h.levelMoves)
	get("/reports/flows", Policy{Roles: officeReaders, Scope: ScopeCallerRegion}, h.flows)
	get("/reports/recovered", Policy{Roles: officeReaders, Scope: ScopeCallerRegion}, h.recovered)

	get("/checks/ledger", Policy{Roles: cityReaders, Scope: ScopeLedger}, h.checkLedger)
	return r.Routes()
}

// Table returns the API table without serving it, for tests and documentation.
func Table() []Route {
	return Routes(gin.New(), nil, Deps{})
}

type handlers struct {
	d      Deps
	scopes sync.Map // ledger.AccountID → ledger.Account (holder, type, region)
}

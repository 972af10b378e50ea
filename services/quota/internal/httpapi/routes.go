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

var (
	offices = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleService}
	hirers  = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleUnitHR, auth.RoleService}
)

// Routes mounts the API. Every /v1 route requires a valid token; roles are
// checked here, region and unit scope in the handlers (they depend on the
// accounts a request touches). Every write (every POST) requires an
// Idempotency-Key and claims it before it has any effect (idempotency.go):
// the role check runs first, so a refused caller claims nothing.
func Routes(e *gin.Engine, verifier *auth.Verifier, d Deps) {
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
	v1 := e.Group("/v1", auth.Middleware(verifier))
	v1.GET("/whoami", auth.WhoAmI(d.Service))
	// write mounts a write route: role check, then the idempotency claim;
	// before, limits such as a batch route's larger body limit.
	write := func(path string, roles []auth.Role, handler gin.HandlerFunc, before ...gin.HandlerFunc) {
		hs := append([]gin.HandlerFunc{auth.Require(roles...)}, before...)
		v1.POST(path, append(hs, idem, handler)...)
	}

	write("/accounts", offices, h.openAccount)
	write("/accounts/batch", offices, h.openAccounts, httpserver.BodyLimit(httpserver.BatchMaxBodyBytes))
	v1.GET("/accounts/:id", h.getAccount) // ?asOf=YYYY-MM-DD
	v1.GET("/accounts/:id/journal", h.journal)
	v1.GET("/balances", h.balances) // ?region=&kind=&level=&type=&unit=
	write("/units/:unit/abolish", offices, h.abolishUnit)
	v1.GET("/units/:unit/incumbents", h.unitIncumbents)
	write("/units/:unit/incumbents/transfer", offices, h.moveIncumbents) // a merger: people move with their posts

	write("/transfers", offices, h.createTransfer)
	write("/transfers/batch", offices, h.batchTransfers, httpserver.BodyLimit(httpserver.BatchMaxBodyBytes))
	v1.GET("/transfers/:id", h.getTransfer)

	write("/holds", offices, h.placeHold)
	v1.GET("/holds/:id", h.getHold)
	write("/holds/:id/void", offices, h.voidHold)
	write("/holds/:id/lend", offices, h.lendHold)

	write("/incumbents", hirers, h.hire)
	write("/incumbents/batch", hirers, h.batchHires, httpserver.BodyLimit(httpserver.BatchMaxBodyBytes))
	v1.GET("/incumbents/:idNumber", h.getIncumbent)
	write("/incumbents/:idNumber/exit", hirers, h.exit)

	write("/plans", hirers, h.filePlan)
	v1.GET("/plans/:id", h.getPlan)
	write("/plans/:id/decision", offices, h.decidePlan)

	write("/cases", offices, h.openCase)
	v1.GET("/cases/:id", h.getCase)
	write("/cases/:id/close", offices, h.closeCase)
	v1.GET("/units/:unit/case-check", h.caseCheck) // ?department=

	v1.GET("/reports/roll-forward", h.rollForward) // ?region=&year=
	v1.GET("/reports/level-moves", h.levelMoves)
	v1.GET("/reports/flows", h.flows)
	v1.GET("/reports/recovered", h.recovered)

	v1.GET("/checks/ledger", auth.Require(auth.RoleCityAdmin, auth.RoleAuditor, auth.RoleService), h.checkLedger)
}

type handlers struct {
	d      Deps
	scopes sync.Map // ledger.AccountID → ledger.Account (holder, type, region)
}

// Package httpapi is the quota service's REST API. This file shows all of it.
package httpapi

import (
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
}

var (
	offices = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleService}
	hirers  = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleUnitHR, auth.RoleService}
)

// Routes mounts the API. Every /v1 route requires a valid token; roles are
// checked here, region and unit scope in the handlers (they depend on the
// accounts a request touches).
func Routes(e *gin.Engine, verifier *auth.Verifier, d Deps) {
	h := &handlers{d: d}
	v1 := e.Group("/v1", auth.Middleware(verifier))
	v1.GET("/whoami", auth.WhoAmI(d.Service))

	v1.POST("/accounts", auth.Require(offices...), h.openAccount)
	v1.POST("/accounts/batch", auth.Require(offices...), httpserver.BodyLimit(httpserver.BatchMaxBodyBytes), h.openAccounts)
	v1.GET("/accounts/:id", h.getAccount) // ?asOf=YYYY-MM-DD
	v1.GET("/accounts/:id/journal", h.journal)
	v1.GET("/balances", h.balances) // ?region=&kind=&level=&type=&unit=
	v1.POST("/units/:unit/abolish", auth.Require(offices...), h.abolishUnit)
	v1.GET("/units/:unit/incumbents", h.unitIncumbents)
	v1.POST("/units/:unit/incumbents/transfer", auth.Require(offices...), h.moveIncumbents) // a merger: people move with their posts

	v1.POST("/transfers", auth.Require(offices...), h.createTransfer)
	v1.POST("/transfers/batch", auth.Require(offices...), httpserver.BodyLimit(httpserver.BatchMaxBodyBytes), h.batchTransfers)
	v1.GET("/transfers/:id", h.getTransfer)

	v1.POST("/holds", auth.Require(offices...), h.placeHold)
	v1.GET("/holds/:id", h.getHold)
	v1.POST("/holds/:id/void", auth.Require(offices...), h.voidHold)
	v1.POST("/holds/:id/lend", auth.Require(offices...), h.lendHold)

	v1.POST("/incumbents", auth.Require(hirers...), h.hire)
	v1.POST("/incumbents/batch", auth.Require(hirers...), httpserver.BodyLimit(httpserver.BatchMaxBodyBytes), h.batchHires)
	v1.GET("/incumbents/:idNumber", h.getIncumbent)
	v1.POST("/incumbents/:idNumber/exit", auth.Require(hirers...), h.exit)

	v1.POST("/plans", auth.Require(hirers...), h.filePlan)
	v1.GET("/plans/:id", h.getPlan)
	v1.POST("/plans/:id/decision", auth.Require(offices...), h.decidePlan)

	v1.POST("/cases", auth.Require(offices...), h.openCase)
	v1.GET("/cases/:id", h.getCase)
	v1.POST("/cases/:id/close", auth.Require(offices...), h.closeCase)
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

// Package httpapi is the units service's REST API. This file shows all of it: every route with
// its policy (who may call it and where the scope of its object comes from) beside it.
package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/units/internal/service"
)

// Deps are what the handlers need.
type Deps struct {
	Service string
	Units   *service.Service
}

type handlers struct{ s *service.Service }

// Routes mounts the API and returns its table. Every /v1 route requires a valid token and
// declares a Policy: the roles are checked before the handler runs, the scope inside it, where
// the object (and so its owner's region) is known. The table is what TestEveryRouteHasAPolicy
// and the component matrix test read.
func Routes(e *gin.Engine, verifier *auth.Verifier, d Deps) []Route {
	h := handlers{s: d.Units}
	r := &router{g: e.Group("/v1", auth.Middleware(verifier)), prefix: "/v1"}

	r.handle("GET", "/whoami", Policy{readers, ScopeSelf}, auth.WhoAmI(d.Service))

	r.handle("GET", "/regions", Policy{readers, ScopeReference}, h.regionTree)
	r.handle("PUT", "/regions", Policy{city, ScopeBodyRegions}, h.putRegions)

	r.handle("GET", "/units", Policy{readers, ScopeCallerUnits}, h.listUnits)
	r.handle("GET", "/units/:id", Policy{readers, ScopeUnit}, h.getUnit)
	r.handle("GET", "/units/:id/history", Policy{readers, ScopeUnit}, h.unitHistory)
	r.handle("PUT", "/units/:id/sections", Policy{offices, ScopeUnit}, h.putSections)

	r.handle("GET", "/units/:id/charters", Policy{readers, ScopeUnit}, h.listCharters)
	r.handle("GET", "/units/:id/charters/current", Policy{readers, ScopeUnit}, h.currentCharter)
	r.handle("GET", "/units/:id/charters/diff", Policy{readers, ScopeUnit}, h.diffCharters)
	r.handle("GET", "/units/:id/charters/:version", Policy{readers, ScopeUnit}, h.getCharter)
	r.handle("POST", "/units/:id/charters", Policy{offices, ScopeUnit}, h.draftCharter)
	r.handle("POST", "/units/:id/charters/:version/approve", Policy{offices, ScopeUnit}, h.approveCharter)

	r.handle("POST", "/batch/units", Policy{city, ScopeBodyRegions}, httpserver.BodyLimit(httpserver.BatchMaxBodyBytes), h.importUnits)
	r.handle("POST", "/batch/charters", Policy{city, ScopeBodyUnits}, httpserver.BodyLimit(httpserver.BatchMaxBodyBytes), h.importCharters)

	r.handle("GET", "/proposals", Policy{officeReaders, ScopeCallerRegion}, h.listProposals)
	r.handle("GET", "/proposals/:id", Policy{officeReaders, ScopeProposal}, h.getProposal)
	r.handle("GET", "/proposals/:id/steps", Policy{officeReaders, ScopeProposal}, h.proposalSteps)
	r.handle("POST", "/proposals", Policy{offices, ScopeBodyUnits}, h.createProposal)
	r.handle("POST", "/proposals/simulate", Policy{offices, ScopeBodyUnits}, h.simulateDraft)
	r.handle("POST", "/proposals/:id/simulate", Policy{offices, ScopeProposal}, h.simulate)
	r.handle("POST", "/proposals/:id/transitions", Policy{offices, ScopeProposal}, h.transition)
	r.handle("POST", "/proposals/:id/execute", Policy{offices, ScopeProposal}, h.execute)

	r.handle("GET", "/reports/coverage", Policy{officeReaders, ScopeCallerRegion}, h.coverage)
	r.handle("GET", "/reports/reform", Policy{officeReaders, ScopeCallerRegion}, h.reformStats)
	return r.routes
}

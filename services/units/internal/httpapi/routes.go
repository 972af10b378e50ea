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
	r := auth.NewRouter(e.Group("/v1", auth.Middleware(verifier)), "/v1")

	r.Handle("GET", "/whoami", Policy{Roles: readers, Scope: ScopeSelf}, auth.WhoAmI(d.Service))

	r.Handle("GET", "/regions", Policy{Roles: readers, Scope: ScopeReference}, h.regionTree)
	r.Handle("PUT", "/regions", Policy{Roles: city, Scope: ScopeBodyRegions}, h.putRegions)

	r.Handle("GET", "/units", Policy{Roles: readers, Scope: ScopeCallerUnits}, h.listUnits)
	r.Handle("GET", "/units/:id", Policy{Roles: readers, Scope: ScopeUnit}, h.getUnit)
	r.Handle("GET", "/units/:id/history", Policy{Roles: readers, Scope: ScopeUnit}, h.unitHistory)
	r.Handle("PUT", "/units/:id/sections", Policy{Roles: offices, Scope: ScopeUnit}, h.putSections)

	r.Handle("GET", "/units/:id/charters", Policy{Roles: readers, Scope: ScopeUnit}, h.listCharters)
	r.Handle("GET", "/units/:id/charters/current", Policy{Roles: readers, Scope: ScopeUnit}, h.currentCharter)
	r.Handle("GET", "/units/:id/charters/diff", Policy{Roles: readers, Scope: ScopeUnit}, h.diffCharters)
	r.Handle("GET", "/units/:id/charters/:version", Policy{Roles: readers, Scope: ScopeUnit}, h.getCharter)
	r.Handle("POST", "/units/:id/charters", Policy{Roles: offices, Scope: ScopeUnit}, h.draftCharter)
	r.Handle("POST", "/units/:id/charters/:version/approve", Policy{Roles: offices, Scope: ScopeUnit}, h.approveCharter)

	r.Handle("POST", "/batch/units", Policy{Roles: city, Scope: ScopeBodyRegions}, httpserver.BodyLimit(httpserver.BatchMaxBodyBytes), h.importUnits)
	r.Handle("POST", "/batch/charters", Policy{Roles: city, Scope: ScopeBodyUnits}, httpserver.BodyLimit(httpserver.BatchMaxBodyBytes), h.importCharters)

	r.Handle("GET", "/proposals", Policy{Roles: officeReaders, Scope: ScopeCallerRegion}, h.listProposals)
	r.Handle("GET", "/proposals/:id", Policy{Roles: officeReaders, Scope: ScopeProposal}, h.getProposal)
	r.Handle("GET", "/proposals/:id/steps", Policy{Roles: officeReaders, Scope: ScopeProposal}, h.proposalSteps)
	r.Handle("POST", "/proposals", Policy{Roles: offices, Scope: ScopeBodyUnits}, h.createProposal)
	r.Handle("POST", "/proposals/simulate", Policy{Roles: offices, Scope: ScopeBodyUnits}, h.simulateDraft)
	r.Handle("POST", "/proposals/:id/simulate", Policy{Roles: offices, Scope: ScopeProposal}, h.simulate)
	r.Handle("POST", "/proposals/:id/transitions", Policy{Roles: offices, Scope: ScopeProposal}, h.transition)
	r.Handle("POST", "/proposals/:id/execute", Policy{Roles: offices, Scope: ScopeProposal}, h.execute)

	r.Handle("GET", "/reports/coverage", Policy{Roles: officeReaders, Scope: ScopeCallerRegion}, h.coverage)
	r.Handle("GET", "/reports/reform", Policy{Roles: officeReaders, Scope: ScopeCallerRegion}, h.reformStats)
	return r.Routes()
}

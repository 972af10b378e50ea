// Package httpapi is the units service's REST API. This file shows all of it.
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

// Routes mounts the API. Every /v1 route requires a valid token; roles are checked
// per route and region/unit scope inside the handlers, where the object is known.
func Routes(e *gin.Engine, verifier *auth.Verifier, d Deps) {
	h := handlers{s: d.Units}
	v1 := e.Group("/v1", auth.Middleware(verifier))
	v1.GET("/whoami", auth.WhoAmI(d.Service))

	read := v1.Group("", auth.Require(readers...))
	office := v1.Group("", auth.Require(offices...))
	cityOnly := v1.Group("", auth.Require(city...))

	read.GET("/regions", h.regionTree)
	cityOnly.PUT("/regions", h.putRegions)

	read.GET("/units", h.listUnits)
	read.GET("/units/:id", h.getUnit)
	read.GET("/units/:id/history", h.unitHistory)
	office.PUT("/units/:id/sections", h.putSections)

	read.GET("/units/:id/charters", h.listCharters)
	read.GET("/units/:id/charters/current", h.currentCharter)
	read.GET("/units/:id/charters/diff", h.diffCharters)
	read.GET("/units/:id/charters/:version", h.getCharter)
	office.POST("/units/:id/charters", h.draftCharter)
	office.POST("/units/:id/charters/:version/approve", h.approveCharter)

	cityOnly.POST("/batch/units", httpserver.BodyLimit(httpserver.BatchMaxBodyBytes), h.importUnits)
	cityOnly.POST("/batch/charters", httpserver.BodyLimit(httpserver.BatchMaxBodyBytes), h.importCharters)

	read.GET("/proposals", h.listProposals)
	read.GET("/proposals/:id", h.getProposal)
	read.GET("/proposals/:id/steps", h.proposalSteps)
	office.POST("/proposals", h.createProposal)
	office.POST("/proposals/simulate", h.simulateDraft)
	office.POST("/proposals/:id/simulate", h.simulate)
	office.POST("/proposals/:id/transitions", h.transition)
	office.POST("/proposals/:id/execute", h.execute)

	read.GET("/reports/coverage", h.coverage)
	read.GET("/reports/reform", h.reformStats)
}

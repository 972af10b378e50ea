// Package httpapi is the talent service's REST API. This file shows all of it.
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
	unitOrCity = []auth.Role{auth.RoleUnitHR, auth.RoleCityAdmin}
	cityOffice = []auth.Role{auth.RoleCityAdmin}
	readers    = []auth.Role{auth.RoleUnitHR, auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleService}
	jobCallers = []auth.Role{auth.RoleCityAdmin, auth.RoleService}
	reportRead = []auth.Role{auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleService}
)

// Routes mounts the API. Every /v1 route requires a valid token.
func Routes(e *gin.Engine, verifier *auth.Verifier, d Deps) {
	h := &handlers{cases: d.Cases, reports: d.Reports}
	v1 := e.Group("/v1", auth.Middleware(verifier))
	v1.GET("/whoami", auth.WhoAmI(d.Service))

	v1.POST("/cases", auth.Require(auth.RoleUnitHR), h.file)
	v1.GET("/cases", auth.Require(readers...), h.list)
	v1.GET("/cases/:id", auth.Require(readers...), h.get)
	v1.GET("/cases/:id/history", auth.Require(readers...), h.history)
	v1.PUT("/cases/:id/application", auth.Require(auth.RoleUnitHR), h.amend)
	v1.POST("/cases/:id/resubmit", auth.Require(auth.RoleUnitHR), h.act(recruit.EventResubmit))
	v1.POST("/cases/:id/accept", auth.Require(cityOffice...), h.act(recruit.EventAccept))
	v1.POST("/cases/:id/send-back", auth.Require(cityOffice...), h.act(recruit.EventSendBack))
	v1.POST("/cases/:id/reject", auth.Require(cityOffice...), h.act(recruit.EventReject))
	v1.POST("/cases/:id/withdraw", auth.Require(unitOrCity...), h.act(recruit.EventWithdraw))
	v1.POST("/cases/:id/hire", auth.Require(unitOrCity...), h.act(recruit.EventHire))

	v1.POST("/loans/return-due", auth.Require(jobCallers...), h.returnDue)
	v1.GET("/reports/pool", auth.Require(reportRead...), h.poolReport)
	v1.GET("/reports/overdue-loans", auth.Require(reportRead...), h.overdueReport)
}

package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/talent/client"
)

// scopeRegion is the region a report covers: the caller's, or all for a service.
func scopeRegion(cl *auth.Claims) string {
	if cl.Has(auth.RoleService) {
		return ""
	}
	return cl.Region
}

func (h *handlers) poolReport(c *gin.Context) {
	st, err := h.reports.Pool(c.Request.Context(), scopeRegion(auth.Caller(c)))
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, statementDTO(st))
}

func (h *handlers) overdueReport(c *gin.Context) {
	items, err := h.reports.Overdue(c.Request.Context(), scopeRegion(auth.Caller(c)))
	if err != nil {
		_ = c.Error(err)
		return
	}
	out := client.OverdueLoans{Count: len(items), Items: make([]client.OverdueLoan, len(items))}
	for i, o := range items {
		out.Items[i] = overdueDTO(o)
	}
	c.JSON(http.StatusOK, out)
}

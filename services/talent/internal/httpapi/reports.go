package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
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
	c.JSON(http.StatusOK, st)
}

func (h *handlers) overdueReport(c *gin.Context) {
	items, err := h.reports.Overdue(c.Request.Context(), scopeRegion(auth.Caller(c)))
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "count": len(items)})
}

package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/talent/client"
)

// scopeRegion is the region a report covers (ScopeCallerRegion): the caller's, or all for a
// service; the cases counted are those whose unit the units service places in it. Office staff
// without a region in their token see nothing rather than everything.
func scopeRegion(cl *auth.Claims) (string, error) {
	if cl.Has(auth.RoleService) {
		return "", nil
	}
	if !cl.RegionScoped() {
		return "", apperr.New(apperr.CodeForbidden, "登录凭证缺少所属地区", "the token has no region")
	}
	return cl.Region, nil
}

func (h *handlers) poolReport(c *gin.Context) {
	region, err := scopeRegion(auth.Caller(c))
	if err != nil {
		_ = c.Error(err)
		return
	}
	st, err := h.reports.Pool(c.Request.Context(), region)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, statementDTO(st))
}

func (h *handlers) overdueReport(c *gin.Context) {
	region, err := scopeRegion(auth.Caller(c))
	if err != nil {
		_ = c.Error(err)
		return
	}
	items, err := h.reports.Overdue(c.Request.Context(), region)
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

package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

func (h handlers) coverage(c *gin.Context) {
	prefix, err := listPrefix(c)
	if err != nil {
		fail(c, err)
		return
	}
	items, err := h.s.Coverage(c.Request.Context(), prefix)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"coverages": items})
}

func (h handlers) reformStats(c *gin.Context) {
	prefix, err := listPrefix(c)
	if err != nil {
		fail(c, err)
		return
	}
	from, err := parseDate(c.Query("from"), "from")
	if err != nil {
		fail(c, err)
		return
	}
	to, err := parseDate(c.Query("to"), "to")
	if err != nil {
		fail(c, err)
		return
	}
	if to.IsZero() {
		to = time.Now()
	}
	if to.Before(from) {
		fail(c, apperr.Invalid("to", "结束日期不能早于开始日期", "to must not be before from"))
		return
	}
	st, err := h.s.ReformStats(c.Request.Context(), prefix, from, to)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

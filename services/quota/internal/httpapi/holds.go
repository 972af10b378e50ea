package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

func (h *handlers) placeHold(c *gin.Context) {
	var in client.PlaceHold
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	id, err := ledger.ParseAccountID("account", in.Account)
	if err != nil {
		fail(c, err)
		return
	}
	if err := h.mayAccount(c, id); err != nil {
		fail(c, err)
		return
	}
	hd, err := h.d.Ledger.PlaceHold(c.Request.Context(), caller(c), c.GetHeader(idemKey),
		ledger.HoldRequest{Account: id, Amount: in.Amount, Purpose: in.Purpose, ExpiresAt: in.ExpiresAt}, auth.Caller(c).Subject, "")
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, holdDTO(hd))
}

// hold loads a hold the caller may see.
func (h *handlers) hold(c *gin.Context) (ledger.Hold, bool) {
	hd, err := h.d.Ledger.Hold(c.Request.Context(), c.Param("id"))
	if err == nil {
		err = h.mayAccount(c, hd.Account)
	}
	if err != nil {
		fail(c, err)
		return hd, false
	}
	return hd, true
}

func (h *handlers) getHold(c *gin.Context) {
	if hd, ok := h.hold(c); ok {
		c.JSON(http.StatusOK, holdDTO(hd))
	}
}

func (h *handlers) voidHold(c *gin.Context) {
	hd, ok := h.hold(c)
	if !ok {
		return
	}
	hd, err := h.d.Ledger.VoidHold(c.Request.Context(), hd.ID, auth.Caller(c).Subject)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, holdDTO(hd))
}

func (h *handlers) lendHold(c *gin.Context) {
	var in client.Lend
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	hd, ok := h.hold(c)
	if !ok {
		return
	}
	to, err := ledger.ParseAccountID("to", in.To)
	if err == nil {
		err = h.mayAccount(c, to)
	}
	if err != nil {
		fail(c, err)
		return
	}
	t, err := h.d.Ledger.LendFromHold(c.Request.Context(), hd.ID, to, auth.Caller(c).Subject)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, transferDTO(t))
}

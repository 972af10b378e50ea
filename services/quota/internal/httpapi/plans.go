package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// planIn files a usage plan.
type planIn struct {
	Unit    string `json:"unit" validate:"required"`
	Kind    string `json:"kind" validate:"required"`
	Count   int64  `json:"count"`
	Purpose string `json:"purpose"`
	Year    int    `json:"year"`
}

// decisionIn approves or rejects a plan.
type decisionIn struct {
	Approve bool   `json:"approve"`
	DocNo   string `json:"docNo"`
}

type planOut struct {
	ID      string `json:"id"`
	Unit    string `json:"unit"`
	Kind    string `json:"kind"`
	Count   int64  `json:"count"`
	Purpose string `json:"purpose"`
	Year    int    `json:"year"`
	State   string `json:"state"`
	HoldID  string `json:"holdId,omitempty"`
	DocNo   string `json:"docNo,omitempty"`
}

func planDTO(p ledger.UsagePlan) planOut {
	return planOut{ID: p.ID, Unit: p.Unit, Kind: string(p.Kind), Count: p.Count, Purpose: p.Purpose, Year: p.Year,
		State: string(p.State), HoldID: p.HoldID, DocNo: p.DocNo}
}

// mayUnit checks the caller's scope on a unit's account of a kind.
func (h *handlers) mayUnit(c *gin.Context, unit string, k ledger.Kind) error {
	id, err := ledger.ParseAccountID("unit", string(ledger.UnitAccount(unit, k)))
	if err != nil {
		return err
	}
	a, err := h.scope(c.Request.Context(), id)
	if err != nil {
		return withRowField(err, "")
	}
	return mayAccess(auth.Caller(c), a)
}

func (h *handlers) filePlan(c *gin.Context) {
	var in planIn
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	k, err := ledger.ParseKind("kind", in.Kind)
	if err == nil {
		err = h.mayUnit(c, in.Unit, k)
	}
	if err != nil {
		fail(c, err)
		return
	}
	p, err := h.d.Ledger.FilePlan(c.Request.Context(), caller(c), c.GetHeader(idemKey),
		ledger.PlanRequest{Unit: in.Unit, Kind: k, Count: in.Count, Purpose: in.Purpose, Year: in.Year}, auth.Caller(c).Subject)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, planDTO(p))
}

func (h *handlers) plan(c *gin.Context) (ledger.UsagePlan, bool) {
	p, err := h.d.Ledger.Plan(c.Request.Context(), c.Param("id"))
	if err == nil {
		err = h.mayUnit(c, p.Unit, p.Kind)
	}
	if err != nil {
		fail(c, err)
		return p, false
	}
	return p, true
}

func (h *handlers) getPlan(c *gin.Context) {
	if p, ok := h.plan(c); ok {
		c.JSON(http.StatusOK, planDTO(p))
	}
}

func (h *handlers) decidePlan(c *gin.Context) {
	var in decisionIn
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	p, ok := h.plan(c)
	if !ok {
		return
	}
	p, err := h.d.Ledger.DecidePlan(c.Request.Context(), p.ID, in.Approve, in.DocNo, auth.Caller(c).Subject)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, planDTO(p))
}

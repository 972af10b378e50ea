package httpapi

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

func hireRequest(in client.Hire) ledger.HireRequest {
	return ledger.HireRequest{IDNumber: in.IDNumber, Name: in.Name, Unit: in.Unit, Kind: ledger.Kind(in.Kind),
		Channel: ledger.EntryChannel(in.Channel), EntryDate: in.EntryDate, DocNo: in.DocNo, HoldID: in.HoldID}
}

// mayHire checks the caller's scope on the unit account a hire goes into.
func (h *handlers) mayHire(c *gin.Context, field string, in client.Hire) error {
	k, err := ledger.ParseKind(field+"kind", in.Kind)
	if err != nil {
		return err
	}
	id, err := ledger.ParseAccountID(field+"unit", string(ledger.UnitAccount(in.Unit, k)))
	if err != nil {
		return err
	}
	a, err := h.scope(c.Request.Context(), id)
	if err != nil {
		return withRowField(err, field)
	}
	return mayAccess(auth.Caller(c), a)
}

func (h *handlers) hire(c *gin.Context) {
	var in client.Hire
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	if err := h.mayHire(c, "", in); err != nil {
		fail(c, err)
		return
	}
	p, err := h.d.Ledger.Hire(c.Request.Context(), caller(c), c.GetHeader(idemKey), hireRequest(in))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, incumbentDTO(p))
}

// batchHires takes thousands of incumbents in one request (the demo loader
// and Excel import): validated all-or-nothing, applied by group commit.
func (h *handlers) batchHires(c *gin.Context) {
	var in client.BatchHires
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	rows := make([]ledger.HireRequest, len(in.Rows))
	checked := map[string]bool{}
	for i, r := range in.Rows {
		field := fmt.Sprintf("rows[%d].", i)
		if scope := r.Unit + "/" + r.Kind; !checked[scope] {
			if err := h.mayHire(c, field, r); err != nil {
				fail(c, err)
				return
			}
			checked[scope] = true
		}
		rows[i] = hireRequest(r)
	}
	_, errs, err := h.d.Ledger.HireBatch(c.Request.Context(), caller(c), c.GetHeader(idemKey), rows)
	if err != nil {
		fail(c, err)
		return
	}
	out := client.BatchResponse{Results: make([]client.BatchResult, len(rows))}
	for i := range rows {
		out.Results[i] = rowResult(i, "", errs[i])
	}
	tally(&out)
	c.JSON(http.StatusOK, out)
}

func (h *handlers) person(c *gin.Context) (ledger.IncumbentRecord, bool) {
	p, err := h.d.Ledger.Incumbent(c.Request.Context(), c.Param("idNumber"))
	if err == nil {
		err = h.mayAccount(c, p.Account)
	}
	if err != nil {
		fail(c, err)
		return p, false
	}
	return p, true
}

// unitIncumbents lists a unit's people on posts. Scope is checked on every account the people sit on
// (a unit's accounts share its region), so a caller outside the unit's scope sees nothing of it.
func (h *handlers) unitIncumbents(c *gin.Context) {
	ctx := c.Request.Context()
	people, err := h.d.Ledger.ActiveIncumbents(ctx, c.Param("unit"))
	if err != nil {
		fail(c, err)
		return
	}
	checked := map[ledger.AccountID]bool{}
	out := make([]client.Incumbent, 0, len(people))
	for _, p := range people {
		if !checked[p.Account] {
			if err := h.mayAccount(c, p.Account); err != nil {
				fail(c, err)
				return
			}
			checked[p.Account] = true
		}
		out = append(out, incumbentDTO(p))
	}
	c.JSON(http.StatusOK, gin.H{"unit": c.Param("unit"), "count": len(out), "incumbents": out})
}

func (h *handlers) getIncumbent(c *gin.Context) {
	if p, ok := h.person(c); ok {
		c.JSON(http.StatusOK, incumbentDTO(p))
	}
}

func (h *handlers) exit(c *gin.Context) {
	var in client.Exit
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	// The person's record is the scope; a retry of an exit already
	// finished finds it in the history under the caller's key.
	ctx, id := c.Request.Context(), c.Param("idNumber")
	p, err := h.d.Ledger.Incumbent(ctx, id)
	if ledger.CodeOf(err) == ledger.CodeNotFound {
		p, err = h.d.Ledger.ExitedRecord(ctx, caller(c), c.GetHeader(idemKey), id)
	}
	if err == nil {
		err = h.mayAccount(c, p.Account)
	}
	if err != nil {
		fail(c, err)
		return
	}
	p, err = h.d.Ledger.Exit(c.Request.Context(), caller(c), c.GetHeader(idemKey), c.Param("idNumber"),
		service.ExitRequest{Reason: ledger.ExitReason(in.Reason), Date: in.Date, DocNo: in.DocNo}, auth.Caller(c).Subject)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, incumbentDTO(p))
}

func (h *handlers) moveIncumbents(c *gin.Context) {
	var in client.MoveIncumbents
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	for _, unit := range []string{c.Param("unit"), in.To} {
		recs, err := h.d.Ledger.Store().Accounts(ctx, ledger.AccountFilter{Unit: unit})
		if err != nil {
			fail(c, err)
			return
		}
		for _, r := range recs {
			if err := mayAccess(auth.Caller(c), r.Account); err != nil {
				fail(c, err)
				return
			}
		}
	}
	n, err := h.d.Ledger.MoveIncumbents(ctx, caller(c), c.GetHeader(idemKey), c.Param("unit"), in.To, in.DocNo, auth.Caller(c).Subject)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, client.Moved{Moved: n})
}

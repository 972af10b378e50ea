package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

func (h *handlers) openCase(c *gin.Context) {
	var in client.OpenCase
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	if err := h.maySanction(c, in.Subject, in.Region); err != nil {
		fail(c, err)
		return
	}
	k, err := h.d.Ledger.OpenCase(c.Request.Context(), caller(c), c.GetHeader(idemKey), ledger.CaseRequest{
		Subject: in.Subject, Region: in.Region, Violation: ledger.Violation(in.Violation), Facts: in.Facts,
		Interview: in.Interview, PenaltyPosts: in.PenaltyPosts, OpenerRegion: openerRegion(auth.Caller(c))}, auth.Caller(c).Subject)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, caseDTO(k))
}

// maySanction checks that the caller may act on the case's region and on
// the subject's accounts, and that those lie in the case's region: a case
// blocks its subject, so naming one's own region must not reach a unit
// elsewhere. A department without accounts of its own is checked by region.
func (h *handlers) maySanction(c *gin.Context, subject, region string) error {
	cl := auth.Caller(c)
	if err := auth.RequireRegion(cl, region); err != nil {
		return err
	}
	recs, err := h.d.Ledger.Store().Accounts(c.Request.Context(), ledger.AccountFilter{Unit: subject})
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := mayAccess(cl, r.Account); err != nil {
			return err
		}
		if !ledger.InRegion(region, r.Region) {
			return ledger.Invalid("region", "被查单位不在该区划内", "the subject's accounts lie outside the case's region")
		}
	}
	return nil
}

// openerRegion is the scope a case opener acts for: the token's region.
func openerRegion(cl *auth.Claims) string { return cl.Region }

func (h *handlers) kase(c *gin.Context) (ledger.Case, bool) {
	k, err := h.d.Ledger.Case(c.Request.Context(), c.Param("id"))
	if err == nil {
		err = auth.RequireRegion(auth.Caller(c), k.Region)
	}
	if err != nil {
		fail(c, err)
		return k, false
	}
	return k, true
}

func (h *handlers) getCase(c *gin.Context) {
	if k, ok := h.kase(c); ok {
		c.JSON(http.StatusOK, caseDTO(k))
	}
}

func (h *handlers) closeCase(c *gin.Context) {
	var in client.CloseCase
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	k, ok := h.kase(c)
	if !ok {
		return
	}
	// Only the level that opened the case, or a level above it, closes it.
	if cl := auth.Caller(c); k.OpenerRegion != "" && !cl.Has(auth.RoleService) && !cl.InRegion(k.OpenerRegion) {
		fail(c, apperr.New(apperr.CodeForbidden, "该案件由上级编办立案，只能由立案单位或其上级结案", "the case was opened by a higher level"))
		return
	}
	k, err := h.d.Ledger.CloseCase(c.Request.Context(), k.ID, in.Rectification, auth.Caller(c).Subject)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, caseDTO(k))
}

// caseCheck answers the other services' question "may this unit file a
// staffing request now?" (整改与审批联动).
func (h *handlers) caseCheck(c *gin.Context) {
	unit, dept := c.Param("unit"), c.Query("department")
	cases, err := h.d.Ledger.Blocked(c.Request.Context(), unit, dept)
	if err != nil {
		fail(c, err)
		return
	}
	if cases == nil {
		cases = []string{}
	}
	c.JSON(http.StatusOK, client.CaseCheck{Unit: unit, Blocked: len(cases) > 0, Cases: cases})
}

func (h *handlers) checkLedger(c *gin.Context) {
	res, err := h.d.Ledger.Check(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := client.Check{OK: res.OK, Accounts: res.Accounts, Entries: res.Entries, InFlight: res.InFlight, People: res.People, Problems: []client.Problem{}}
	for _, p := range res.Problems {
		out.Problems = append(out.Problems, client.Problem{Rule: p.Rule, Subject: p.Subject, Detail: p.Detail})
	}
	for _, r := range res.Rules {
		out.Rules = append(out.Rules, client.RuleCount{Rule: r.Rule, Problems: r.Problems})
	}
	c.JSON(http.StatusOK, out)
}

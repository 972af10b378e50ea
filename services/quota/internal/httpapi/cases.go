package httpapi

import (
	"context"
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

// maySanction checks the case's reach, derived from the ledger (the owner of the data), never
// from the body: a case blocks its subject and every unit the subject supervises, so every
// account the subject holds and every account whose department is the subject must lie within
// the caller's scope and within the case's region (naming one's own region must not reach a
// unit elsewhere). A subject the ledger knows nothing of (no accounts, supervising none) is 404.
func (h *handlers) maySanction(c *gin.Context, subject, region string) error {
	cl := auth.Caller(c)
	if err := auth.RequireRegion(cl, region); err != nil {
		return err
	}
	recs, err := h.subjectAccounts(c.Request.Context(), subject)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := mayAccess(cl, r.Account); err != nil {
			return err
		}
		if !ledger.InRegion(region, r.Region) {
			return apperr.New(apperr.CodeForbidden, "被查单位或其所属单位不在该区划内", "the subject's or its supervised units' accounts lie outside the case's region").WithField("region")
		}
	}
	return nil
}

// subjectAccounts returns every account a unit or department reaches: those it holds and those
// of the units it supervises (their Department). None at all is 404: the ledger knows nothing
// of the subject.
func (h *handlers) subjectAccounts(ctx context.Context, subject string) ([]ledger.AccountRecord, error) {
	if subject == "" {
		return nil, ledger.Invalid("subject", "请填写被查单位", "subject is required")
	}
	own, err := h.d.Ledger.Store().Accounts(ctx, ledger.AccountFilter{Unit: subject})
	if err != nil {
		return nil, err
	}
	supervised, err := h.d.Ledger.Store().Accounts(ctx, ledger.AccountFilter{Department: subject})
	if err != nil {
		return nil, err
	}
	seen := map[ledger.AccountID]bool{}
	var out []ledger.AccountRecord
	for _, r := range append(own, supervised...) {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, ledger.NotFound("unit", subject)
	}
	return out, nil
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

// caseCheck answers the other services' question "may this unit file a staffing request now?"
// (整改与审批联动). Services ask about anything; offices and auditors about a unit (or
// department) whose accounts, and the accounts it supervises, lie in their region; a unit HR
// officer about their own units. A person's ?department= must be the unit itself or the
// department stored on its accounts.
func (h *handlers) caseCheck(c *gin.Context) {
	unit, dept := c.Param("unit"), c.Query("department")
	cl := auth.Caller(c)
	if !cl.Has(auth.RoleService) {
		recs, err := h.subjectAccounts(c.Request.Context(), unit)
		if err != nil {
			fail(c, err)
			return
		}
		departments := map[string]bool{"": true, unit: true}
		for _, r := range recs {
			if err := mayAccess(cl, r.Account); err != nil {
				fail(c, err)
				return
			}
			if r.Holder == unit {
				departments[r.Department] = true
			}
		}
		if !departments[dept] {
			fail(c, apperr.New(apperr.CodeForbidden, "所查主管部门不是该单位的主管部门", "department is not the unit's supervising department").WithField("department"))
			return
		}
	}
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

package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/talent/client"
	"github.com/bianzhi/bianzhi/services/talent/internal/recruit"
	"github.com/bianzhi/bianzhi/services/talent/internal/service"
)

type handlers struct {
	cases   *service.Cases
	reports *service.Reports
}

// file: a unit HR officer files a case for one of the units in their token. The case's region,
// unit name and the department the discipline check asks about are the units service's record of
// the unit, never the body's nor the token's.
func (h *handlers) file(c *gin.Context) {
	var req fileRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	cl := auth.Caller(c)
	if !cl.OwnsUnit(req.Unit) {
		_ = c.Error(apperr.New(apperr.CodeForbidden, "只能为本单位申报人才引进", "unit "+req.Unit+" is not the caller's").WithField("unit"))
		return
	}
	key := c.GetHeader("Idempotency-Key")
	if len(key) > 200 {
		_ = c.Error(apperr.Invalid("Idempotency-Key", "幂等键过长", "Idempotency-Key longer than 200 characters"))
		return
	}
	cs, err := h.cases.File(c.Request.Context(), req.Unit, key, req.application(), actor(cl))
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusCreated, toDTO(cs))
}

func (h *handlers) list(c *gin.Context) {
	cl := auth.Caller(c)
	f := recruit.Filter{Unit: c.Query("unit"), SubPool: recruit.SubPool(c.Query("subPool"))}
	if s := c.Query("status"); s != "" {
		if !recruit.Status(s).Valid() {
			_ = c.Error(apperr.Invalid("status", "未知的案件状态："+s, "unknown status "+s))
			return
		}
		f.Statuses = []recruit.Status{recruit.Status(s)}
	}
	switch {
	case cl.Has(auth.RoleService):
	case cl.RegionScoped(): // offices and auditors: by the region the units service records for each unit
		f.Region = cl.Region
	case cl.Has(auth.RoleUnitHR): // a unit HR officer sees their own units only
		if f.Unit != "" && !cl.OwnsUnit(f.Unit) {
			_ = c.Error(apperr.New(apperr.CodeForbidden, "只能查看本单位的人才引进案件", "unit filter outside the caller's units").WithField("unit"))
			return
		}
		f.Units = append([]string{}, cl.Units...)
	default:
		_ = c.Error(apperr.New(apperr.CodeForbidden, "登录凭证缺少所属地区", "the token has no region"))
		return
	}
	cs, err := h.cases.List(c.Request.Context(), f)
	if err != nil {
		_ = c.Error(err)
		return
	}
	out := client.Cases{Count: len(cs), Items: make([]client.Case, len(cs))}
	for i, x := range cs {
		out.Items[i] = toDTO(x)
	}
	c.JSON(http.StatusOK, out)
}

// load reads a case and checks the caller may see it (ScopeCase): the scope is the case's unit as
// the units service records it. A case outside the caller's scope is reported as missing, so IDs
// cannot be probed.
func (h *handlers) load(c *gin.Context) (recruit.Case, bool) {
	ctx := c.Request.Context()
	cs, err := h.cases.Get(ctx, c.Param("id"))
	if err == nil {
		var ok bool
		if ok, err = h.cases.InScope(ctx, auth.Caller(c), cs.Unit); err == nil && !ok {
			err = apperr.NotFound("人才引进案件", "case "+c.Param("id")+" not found")
		}
	}
	if err != nil {
		_ = c.Error(err)
		return recruit.Case{}, false
	}
	return cs, true
}

func (h *handlers) get(c *gin.Context) {
	if cs, ok := h.load(c); ok {
		c.JSON(http.StatusOK, toDTO(cs))
	}
}

func (h *handlers) history(c *gin.Context) {
	cs, ok := h.load(c)
	if !ok {
		return
	}
	steps, err := h.cases.History(c.Request.Context(), cs.ID)
	if err != nil {
		_ = c.Error(err)
		return
	}
	out := client.History{Items: make([]client.Step, len(steps))}
	for i, s := range steps {
		out.Items[i] = stepDTO(s)
	}
	c.JSON(http.StatusOK, out)
}

func (h *handlers) amend(c *gin.Context) {
	cs, ok := h.load(c)
	if !ok {
		return
	}
	var a recruit.Application
	if err := httpserver.BindJSON(c, &a); err != nil {
		_ = c.Error(err)
		return
	}
	cs, err := h.cases.Amend(c.Request.Context(), cs.ID, a)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, toDTO(cs))
}

// act runs one event. The case must be in the caller's scope: a unit HR officer acts on their own
// units' cases, the city office on every case in its region.
func (h *handlers) act(e recruit.Event) gin.HandlerFunc {
	return func(c *gin.Context) {
		cs, ok := h.load(c)
		if !ok {
			return
		}
		var req actRequest
		if c.Request.ContentLength != 0 {
			if err := httpserver.BindJSON(c, &req); err != nil {
				_ = c.Error(err)
				return
			}
		}
		cs, err := h.cases.Act(c.Request.Context(), cs.ID, service.Action{Event: e, Actor: actor(auth.Caller(c)),
			Note: req.Reason, EntryDate: req.EntryDate, DocNo: req.DocNo})
		if err != nil {
			_ = c.Error(err)
			return
		}
		c.JSON(http.StatusOK, toDTO(cs))
	}
}

func (h *handlers) returnDue(c *gin.Context) {
	rep, err := h.cases.ReturnDue(c.Request.Context())
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, client.DueReport(rep))
}

func actor(cl *auth.Claims) string {
	if cl.Name != "" {
		return cl.Subject + "（" + cl.Name + "）"
	}
	return cl.Subject
}

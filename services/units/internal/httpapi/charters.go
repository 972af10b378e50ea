package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/units/client"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

func version(c *gin.Context, s, field string) (int, bool) {
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		fail(c, apperr.Invalid(field, "版本号必须是正整数", field+" must be a positive integer"))
		return 0, false
	}
	return v, true
}

func charterFromDTO(d client.Charter) unit.Charter {
	c := unit.Charter{UnitID: d.UnitID, Version: d.Version, DocumentNo: d.DocumentNo, Sections: sections(d.Sections),
		Functions: []unit.Function{}, Quotas: []unit.QuotaLine{}, LeadershipPosts: []unit.PostLine{}}
	for _, f := range d.Functions {
		c.Functions = append(c.Functions, unit.Function{Text: f.Text, WorkSafety: f.WorkSafety})
	}
	for _, q := range d.Quotas {
		c.Quotas = append(c.Quotas, unit.QuotaLine{Kind: unit.QuotaKind(q.Kind), Count: q.Count})
	}
	for _, p := range d.LeadershipPosts {
		c.LeadershipPosts = append(c.LeadershipPosts, unit.PostLine{Rank: p.Rank, Count: p.Count})
	}
	return c
}

func (h handlers) listCharters(c *gin.Context) {
	u, ok := h.loadUnit(c)
	if !ok {
		return
	}
	cs, err := h.s.Charters(c.Request.Context(), u.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"unitId": u.ID, "charters": cs})
}

func (h handlers) currentCharter(c *gin.Context) {
	u, ok := h.loadUnit(c)
	if !ok {
		return
	}
	ch, err := h.s.Charter(c.Request.Context(), u.ID, 0)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ch)
}

func (h handlers) getCharter(c *gin.Context) {
	u, ok := h.loadUnit(c)
	if !ok {
		return
	}
	v, ok := version(c, c.Param("version"), "version")
	if !ok {
		return
	}
	ch, err := h.s.Charter(c.Request.Context(), u.ID, v)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ch)
}

func (h handlers) diffCharters(c *gin.Context) {
	u, ok := h.loadUnit(c)
	if !ok {
		return
	}
	from, ok := version(c, c.Query("from"), "from")
	if !ok {
		return
	}
	to, ok := version(c, c.Query("to"), "to")
	if !ok {
		return
	}
	d, err := h.s.DiffCharters(c.Request.Context(), u.ID, from, to)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

type draftCharterRequest struct {
	Functions       []client.Function  `json:"functions" validate:"max=500"`
	Sections        []client.Section   `json:"sections" validate:"max=200"`
	Quotas          []client.QuotaLine `json:"quotas" validate:"max=20"`
	LeadershipPosts []client.PostLine  `json:"leadershipPosts" validate:"max=20"`
}

func (h handlers) draftCharter(c *gin.Context) {
	u, ok := h.loadUnit(c)
	if !ok {
		return
	}
	if err := canChangeRegion(c, u.RegionCode); err != nil {
		fail(c, err)
		return
	}
	var req draftCharterRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	d := charterFromDTO(client.Charter{Functions: req.Functions, Sections: req.Sections, Quotas: req.Quotas, LeadershipPosts: req.LeadershipPosts})
	ch, err := h.s.DraftCharter(c.Request.Context(), u.ID, d, actor(c).String())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, ch)
}

type approveCharterRequest struct {
	DocumentNo    string `json:"documentNo" validate:"required,max=100"`
	EffectiveFrom string `json:"effectiveFrom" validate:"required"`
}

func (h handlers) approveCharter(c *gin.Context) {
	u, ok := h.loadUnit(c)
	if !ok {
		return
	}
	if err := canChangeRegion(c, u.RegionCode); err != nil {
		fail(c, err)
		return
	}
	v, ok := version(c, c.Param("version"), "version")
	if !ok {
		return
	}
	var req approveCharterRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	eff, err := parseDate(req.EffectiveFrom, "effectiveFrom")
	if err != nil {
		fail(c, err)
		return
	}
	ch, err := h.s.ApproveCharter(c.Request.Context(), u.ID, v, req.DocumentNo, eff, actor(c).String())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ch)
}

type importChartersRequest struct {
	Charters []client.Charter `json:"charters" validate:"required,min=1,max=5000"`
}

func (h handlers) importCharters(c *gin.Context) {
	var req importChartersRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	in := make([]unit.Charter, len(req.Charters))
	for i, d := range req.Charters {
		if err := h.requireStoredUnit(c, d.UnitID, "charters["+strconv.Itoa(i)+"].unitId"); err != nil {
			fail(c, err)
			return
		}
		in[i] = charterFromDTO(d)
		eff, err := parseDate(d.EffectiveFrom, "charters["+strconv.Itoa(i)+"].effectiveFrom")
		if err != nil {
			fail(c, err)
			return
		}
		in[i].EffectiveFrom = eff
	}
	n, err := h.s.ImportCharters(c.Request.Context(), in, actor(c).String())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, client.BatchResult{Received: len(in), Created: n})
}

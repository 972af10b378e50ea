package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/units/client"
	"github.com/bianzhi/bianzhi/services/units/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// loadUnit reads the unit named in the path (as of ?asOf when given) and checks the
// caller may see it.
func (h handlers) loadUnit(c *gin.Context) (unit.Unit, bool) {
	asOf, err := parseDate(c.Query("asOf"), "asOf")
	if err != nil {
		fail(c, err)
		return unit.Unit{}, false
	}
	u, err := h.s.Unit(c.Request.Context(), c.Param("id"), asOf)
	if err == nil {
		err = canSeeUnit(c, u)
	}
	if err != nil {
		fail(c, err)
		return unit.Unit{}, false
	}
	return u, true
}

func (h handlers) getUnit(c *gin.Context) {
	if u, ok := h.loadUnit(c); ok {
		c.JSON(http.StatusOK, u)
	}
}

func (h handlers) unitHistory(c *gin.Context) {
	u, ok := h.loadUnit(c)
	if !ok {
		return
	}
	hist, err := h.s.History(c.Request.Context(), u.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"unitId": u.ID, "versions": hist})
}

func (h handlers) listUnits(c *gin.Context) {
	prefix, err := listPrefix(c)
	if err != nil {
		fail(c, err)
		return
	}
	asOf, err := parseDate(c.Query("asOf"), "asOf")
	if err != nil {
		fail(c, err)
		return
	}
	f := mongostore.UnitFilter{RegionPrefix: prefix, Kind: unit.Kind(c.Query("kind")), Level: unit.Level(c.Query("level")),
		Status: unit.Status(c.Query("status"))}
	for name, dst := range map[string]*int64{"limit": &f.Limit, "offset": &f.Skip} {
		if v := c.Query(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				fail(c, apperr.Invalid(name, "分页参数必须是非负整数", name+" must be a non-negative integer"))
				return
			}
			*dst = n
		}
	}
	us, err := h.s.ListUnits(c.Request.Context(), f, asOf)
	if err != nil {
		fail(c, err)
		return
	}
	us = onlyOwnUnits(c, us)
	if us == nil {
		us = []unit.Unit{}
	}
	c.JSON(http.StatusOK, gin.H{"units": us, "count": len(us)})
}

type sectionsRequest struct {
	Sections      []client.Section `json:"sections" validate:"max=200"`
	EffectiveFrom string           `json:"effectiveFrom" validate:"required"`
	DocumentNo    string           `json:"documentNo" validate:"required"`
}

func (h handlers) putSections(c *gin.Context) {
	u, ok := h.loadUnit(c)
	if !ok {
		return
	}
	if err := canChangeRegion(c, u.RegionCode); err != nil {
		fail(c, err)
		return
	}
	var req sectionsRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	eff, err := parseDate(req.EffectiveFrom, "effectiveFrom")
	if err != nil {
		fail(c, err)
		return
	}
	next, err := h.s.UpdateSections(c.Request.Context(), u.ID, sections(req.Sections), eff, req.DocumentNo)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, next)
}

func sections(in []client.Section) []unit.Section {
	out := make([]unit.Section, len(in))
	for i, s := range in {
		out[i] = unit.Section{Name: s.Name, Large: s.Large}
	}
	return out
}

type importUnitsRequest struct {
	Units []client.Unit `json:"units" validate:"required,min=1,max=5000"`
}

func (h handlers) importUnits(c *gin.Context) {
	var req importUnitsRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	in := make([]unit.Unit, len(req.Units))
	for i, d := range req.Units {
		eff, err := parseDate(d.EffectiveFrom, "units["+strconv.Itoa(i)+"].effectiveFrom")
		if err != nil {
			fail(c, err)
			return
		}
		lvl, _ := unit.LevelOfCode(d.RegionCode)
		in[i] = unit.Unit{ID: d.ID, Name: d.Name, ShortName: d.ShortName, Kind: unit.Kind(d.Kind), Category: unit.Category(d.Category),
			Level: lvl, RegionCode: d.RegionCode, SupervisorID: d.SupervisorID, ManagingAuthorityID: d.ManagingAuthorityID,
			GuidingAuthorityID: d.GuidingAuthorityID, Rank: d.Rank, USCC: d.USCC, Sections: sections(d.Sections),
			CharterVersion: d.CharterVersion, EffectiveFrom: eff, DocumentNo: d.DocumentNo}
	}
	n, err := h.s.ImportUnits(c.Request.Context(), in, "")
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, client.BatchResult{Received: len(in), Created: n})
}

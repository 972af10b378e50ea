package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
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
	asOf, err := parseDate(c.Query("asOf"), "asOf")
	if err != nil {
		fail(c, err)
		return
	}
	f := mongostore.UnitFilter{Kind: unit.Kind(c.Query("kind")), Level: unit.Level(c.Query("level")),
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
	var us []unit.Unit
	if cl := auth.Caller(c); unitsOnly(cl) {
		us, err = h.ownUnitList(c, cl, f, asOf)
	} else if f.RegionPrefix, err = listPrefix(c); err == nil {
		us, err = h.s.ListUnits(c.Request.Context(), f, asOf)
	}
	if err != nil {
		fail(c, err)
		return
	}
	if us == nil {
		us = []unit.Unit{}
	}
	c.JSON(http.StatusOK, gin.H{"units": us, "count": len(us)})
}

// ownUnitList answers a unit HR officer's list from the units of the token, read by ID (the
// store's fast path), never from a region-wide scan; ?region= only narrows it.
func (h handlers) ownUnitList(c *gin.Context, cl *auth.Claims, f mongostore.UnitFilter, asOf time.Time) ([]unit.Unit, error) {
	prefix := ""
	if r := c.Query("region"); r != "" {
		if _, ok := unit.LevelOfCode(r); !ok {
			return nil, apperr.Invalid("region", "行政区划代码格式不正确", "region must be a division code")
		}
		prefix = auth.RegionPrefix(r)
	}
	ids := slices.Clone(cl.Units)
	slices.Sort(ids)
	out := []unit.Unit{}
	for _, id := range slices.Compact(ids) {
		u, err := h.s.Unit(c.Request.Context(), id, asOf)
		if e, ok := unit.AsError(err); ok && e.Kind == unit.KindNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(u.RegionCode, prefix) || (f.Kind != "" && u.Kind != f.Kind) ||
			(f.Level != "" && u.Level != f.Level) || (f.Status != "" && u.Status != f.Status) {
			continue
		}
		out = append(out, u)
	}
	out = ownUnits(cl, out)
	out = out[min(int(f.Skip), len(out)):]
	if f.Limit > 0 {
		out = out[:min(int(f.Limit), len(out))]
	}
	return out, nil
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
		if err := auth.RequireRegion(auth.Caller(c), d.RegionCode); err != nil {
			fail(c, withField(err, "units["+strconv.Itoa(i)+"].regionCode"))
			return
		}
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

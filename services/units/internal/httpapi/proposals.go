package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/units/client"
	"github.com/bianzhi/bianzhi/services/units/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

func quotaLines(in []client.QuotaLine) []unit.QuotaLine {
	out := make([]unit.QuotaLine, len(in))
	for i, q := range in {
		out[i] = unit.QuotaLine{Kind: unit.QuotaKind(q.Kind), Count: q.Count}
	}
	return out
}

func proposalFromDTO(d client.ProposalRequest) (unit.Proposal, error) {
	eff, err := parseDate(d.EffectiveFrom, "effectiveFrom")
	if err != nil {
		return unit.Proposal{}, err
	}
	p := unit.Proposal{ID: d.ID, Kind: unit.ProposalKind(d.Kind), Title: d.Title, RegionCode: d.RegionCode, FiledBy: d.FiledBy,
		EffectiveFrom: eff, UnitIDs: d.UnitIDs, TargetUnitID: d.TargetUnitID, QuotaCuts: quotaLines(d.QuotaCuts),
		NewName: d.NewName, NewShortName: d.NewShortName, NewManagingAuthorityID: d.NewManagingAuthorityID,
		NewGuidingAuthorityID: d.NewGuidingAuthorityID, NewCategory: unit.Category(d.NewCategory)}
	for _, s := range d.QuotaSources {
		p.QuotaSources = append(p.QuotaSources, unit.QuotaSource{FromUnitID: s.FromUnitID, Kind: unit.QuotaKind(s.Kind), Count: s.Count})
	}
	if n := d.NewUnit; n != nil {
		p.NewUnit = &unit.UnitSpec{ID: n.ID, Name: n.Name, ShortName: n.ShortName, Kind: unit.Kind(n.Kind), Category: unit.Category(n.Category),
			RegionCode: n.RegionCode, SupervisorID: n.SupervisorID, Rank: n.Rank, USCC: n.USCC, Sections: sections(n.Sections),
			Quotas: quotaLines(n.Quotas)}
		for _, pl := range n.LeadershipPosts {
			p.NewUnit.LeadershipPosts = append(p.NewUnit.LeadershipPosts, unit.PostLine{Rank: pl.Rank, Count: pl.Count})
		}
	}
	return p, nil
}

// bindProposal reads a proposal body and checks that the caller's office covers its region and
// the stored region of every unit it names: the body only names units, their regions come from
// this service, which owns them.
func (h handlers) bindProposal(c *gin.Context) (unit.Proposal, bool) {
	var req client.ProposalRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		fail(c, err)
		return unit.Proposal{}, false
	}
	p, err := proposalFromDTO(req)
	if err == nil && p.RegionCode != "" {
		err = canChangeRegion(c, p.RegionCode)
	}
	if err == nil {
		err = h.requireNamedUnits(c, p)
	}
	if err != nil {
		fail(c, err)
		return unit.Proposal{}, false
	}
	return p, true
}

// loadProposal reads the proposal in the path; reading needs its stored region in scope,
// changing it an office role there and every unit it names in scope too.
func (h handlers) loadProposal(c *gin.Context, change bool) (unit.Proposal, bool) {
	p, err := h.s.Proposal(c.Request.Context(), c.Param("id"))
	if err == nil {
		if change {
			if err = canChangeRegion(c, p.RegionCode); err == nil {
				err = h.requireNamedUnits(c, p)
			}
		} else {
			err = auth.RequireRegion(auth.Caller(c), p.RegionCode)
		}
	}
	if err != nil {
		fail(c, err)
		return unit.Proposal{}, false
	}
	return p, true
}

// requireNamedUnits checks every unit p names (filer, units acted on, merger target, new
// authorities, quota sources) against the caller's scope by the unit's stored region, and the
// region of a new unit. An unknown unit passes: it discloses nothing, and the rules report it.
func (h handlers) requireNamedUnits(c *gin.Context, p unit.Proposal) error {
	if auth.Caller(c).Has(auth.RoleService) {
		return nil
	}
	named := []struct{ id, field string }{{p.FiledBy, "filedBy"}, {p.TargetUnitID, "targetUnitId"},
		{p.NewManagingAuthorityID, "newManagingAuthorityId"}, {p.NewGuidingAuthorityID, "newGuidingAuthorityId"}}
	for i, id := range p.UnitIDs {
		named = append(named, struct{ id, field string }{id, "unitIds[" + strconv.Itoa(i) + "]"})
	}
	for i, s := range p.QuotaSources {
		named = append(named, struct{ id, field string }{s.FromUnitID, "quotaSources[" + strconv.Itoa(i) + "].fromUnitId"})
	}
	if n := p.NewUnit; n != nil {
		if err := auth.RequireRegion(auth.Caller(c), n.RegionCode); err != nil {
			return withField(err, "newUnit.regionCode")
		}
		named = append(named, struct{ id, field string }{n.SupervisorID, "newUnit.supervisorId"})
	}
	for _, n := range named {
		if err := h.requireStoredUnit(c, n.id, n.field); err != nil {
			return err
		}
	}
	return nil
}

func (h handlers) createProposal(c *gin.Context) {
	p, ok := h.bindProposal(c)
	if !ok {
		return
	}
	out, err := h.s.CreateProposal(c.Request.Context(), p, actor(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

func (h handlers) simulateDraft(c *gin.Context) {
	p, ok := h.bindProposal(c)
	if !ok {
		return
	}
	sim, err := h.s.SimulateDraft(c.Request.Context(), p, actor(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sim)
}

func (h handlers) simulate(c *gin.Context) {
	p, ok := h.loadProposal(c, true)
	if !ok {
		return
	}
	sim, err := h.s.Simulate(c.Request.Context(), p)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sim)
}

func (h handlers) getProposal(c *gin.Context) {
	if p, ok := h.loadProposal(c, false); ok {
		c.JSON(http.StatusOK, p)
	}
}

func (h handlers) proposalSteps(c *gin.Context) {
	p, ok := h.loadProposal(c, false)
	if !ok {
		return
	}
	steps, err := h.s.ExecutionSteps(c.Request.Context(), p)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"proposalId": p.ID, "state": p.State, "steps": steps})
}

func (h handlers) listProposals(c *gin.Context) {
	prefix, err := listPrefix(c)
	if err != nil {
		fail(c, err)
		return
	}
	ps, err := h.s.ListProposals(c.Request.Context(), mongostore.ProposalFilter{RegionPrefix: prefix,
		State: unit.State(c.Query("state")), Kind: unit.ProposalKind(c.Query("kind"))})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"proposals": ps, "count": len(ps)})
}

func (h handlers) transition(c *gin.Context) {
	p, ok := h.loadProposal(c, true)
	if !ok {
		return
	}
	var req client.TransitionRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	out, err := h.s.Transition(c.Request.Context(), p.ID, unit.Action(req.Action), actor(c),
		unit.TransitionArgs{DocumentNo: req.DocumentNo, Reason: req.Reason})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (h handlers) execute(c *gin.Context) {
	p, ok := h.loadProposal(c, true)
	if !ok {
		return
	}
	out, err := h.s.Execute(c.Request.Context(), p.ID, actor(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

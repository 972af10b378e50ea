package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

type putRegionsRequest struct {
	Regions []regionDTO `json:"regions" validate:"required,min=1,max=5000,dive"`
}

type regionDTO struct {
	Code   string `json:"code" validate:"required"`
	Name   string `json:"name" validate:"required"`
	Kind   string `json:"kind" validate:"required"`
	Level  string `json:"level"`
	Parent string `json:"parent"`
}

// regionTree answers the division tree: reference data (codes and names, public under GB/T
// 2260) that every reader may see, whatever root it asks for. Without ?root an office sees its
// own subtree.
func (h handlers) regionTree(c *gin.Context) {
	root := c.Query("root")
	if cl := auth.Caller(c); root == "" && cl.RegionScoped() {
		root = cl.Region
	}
	tree, err := h.s.RegionTree(c.Request.Context(), root)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"regions": tree})
}

func (h handlers) putRegions(c *gin.Context) {
	var req putRegionsRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	in := make([]unit.Region, len(req.Regions))
	for i, r := range req.Regions {
		if err := auth.RequireRegion(auth.Caller(c), r.Code); err != nil {
			fail(c, withField(err, "regions["+strconv.Itoa(i)+"].code"))
			return
		}
		in[i] = unit.Region{Code: r.Code, Name: r.Name, Kind: unit.RegionKind(r.Kind), Parent: r.Parent}
	}
	out, err := h.s.PutRegions(c.Request.Context(), in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"regions": out})
}

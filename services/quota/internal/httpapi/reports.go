package httpapi

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// reportScope reads ?region= (default: the caller's region) and ?year=
// (default: this year) and checks the caller's region scope.
func reportScope(c *gin.Context) (region string, from, to time.Time, ok bool) {
	cl := auth.Caller(c)
	region = c.DefaultQuery("region", cl.Region)
	if region == "" {
		region = "140100"
	}
	if !ledger.ValidRegion(region) {
		fail(c, ledger.Invalid("region", "区划代码不正确", "region must be a division code"))
		return
	}
	if err := auth.RequireRegion(cl, region); err != nil {
		fail(c, err)
		return
	}
	year := ledger.Year(time.Now())
	if s := c.Query("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1949 || y > 2200 {
			fail(c, ledger.Invalid("year", "年份不正确", "year must be a four-digit year"))
			return
		}
		year = y
	}
	return region, time.Date(year, 1, 1, 0, 0, 0, 0, ledger.China), ledger.YearEnd(year), true
}

// report runs a fold over the whole journal for the request's region and
// year and renders its result under key.
func (h *handlers) report(c *gin.Context, key string, fold func(accts map[ledger.AccountID]ledger.Account, entries []ledger.Entry, region string, from, to time.Time) any) {
	region, from, to, ok := reportScope(c)
	if !ok {
		return
	}
	accts, entries, err := h.d.Ledger.Journal(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"region": region, "year": from.Year(), key: fold(accts, entries, region, from, to)})
}

func (h *handlers) rollForward(c *gin.Context) {
	h.report(c, "lines", func(accts map[ledger.AccountID]ledger.Account, entries []ledger.Entry, region string, from, to time.Time) any {
		return ledger.RollForwards(accts, entries, region, from, to)
	})
}

func (h *handlers) levelMoves(c *gin.Context) {
	h.report(c, "moves", func(accts map[ledger.AccountID]ledger.Account, entries []ledger.Entry, region string, from, to time.Time) any {
		inScope := map[ledger.AccountID]ledger.Account{}
		for id, a := range accts {
			if ledger.InRegion(region, a.Region) {
				inScope[id] = a
			}
		}
		return ledger.LevelMoves(inScope, entries, from, to)
	})
}

func (h *handlers) flows(c *gin.Context) {
	h.report(c, "flows", func(accts map[ledger.AccountID]ledger.Account, entries []ledger.Entry, region string, from, to time.Time) any {
		return ledger.MonthlyFlows(accts, entries, region, from, to)
	})
}

// recoveredLine is one movement of the recovered-quota pool.
type recoveredLine struct {
	TransferID string              `json:"transferId"`
	Kind       ledger.TransferKind `json:"kind"`
	From       ledger.AccountID    `json:"from"`
	To         ledger.AccountID    `json:"to"`
	Posts      int64               `json:"posts"`
	At         time.Time           `json:"at"`
	DocNo      string              `json:"docNo,omitempty"`
}

// recovered reports quota recovered into the pools of the region and where
// it went (收回编制及其去向).
func (h *handlers) recovered(c *gin.Context) {
	h.report(c, "recovered", recoveredReport)
}

// recovered summarises the pools' intake and outflow in the region.
type recovered struct {
	Recovered   int64           `json:"recovered"`
	Reallocated int64           `json:"reallocated"`
	Lines       []recoveredLine `json:"lines"`
}

func recoveredReport(accts map[ledger.AccountID]ledger.Account, entries []ledger.Entry, region string, from, to time.Time) any {
	lines := map[string]*recoveredLine{}
	for _, e := range entries {
		if (e.Kind != ledger.TransferRecover && e.Kind != ledger.TransferReallocate) || e.At.Before(from) || !e.At.Before(to) {
			continue
		}
		l := lines[e.TransferID]
		if l == nil {
			l = &recoveredLine{TransferID: e.TransferID, Kind: e.Kind, At: e.At, DocNo: e.DocNo}
			lines[e.TransferID] = l
		}
		if e.Delta.Approved < 0 {
			l.From, l.Posts = e.Account, -e.Delta.Approved
		} else {
			l.To = e.Account
		}
	}
	out := recovered{Lines: []recoveredLine{}}
	for _, l := range lines {
		pool := l.To
		if l.Kind == ledger.TransferReallocate {
			pool = l.From
		}
		if a, ok := accts[pool]; !ok || !ledger.InRegion(region, a.Region) {
			continue
		}
		if l.Kind == ledger.TransferRecover {
			out.Recovered += l.Posts
		} else {
			out.Reallocated += l.Posts
		}
		out.Lines = append(out.Lines, *l)
	}
	sort.Slice(out.Lines, func(i, j int) bool { return out.Lines[i].At.Before(out.Lines[j].At) })
	return out
}

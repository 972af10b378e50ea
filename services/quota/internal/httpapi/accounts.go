package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/redisx"
	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

func (h *handlers) openAccount(c *gin.Context) {
	var in client.OpenAccount
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	a, err := ledger.NewAccount(ledger.AccountID(in.ID), in.Region, in.Department, in.Name, time.Now())
	if err != nil {
		fail(c, err)
		return
	}
	if err := mayOpen(auth.Caller(c), a); err != nil {
		fail(c, err)
		return
	}
	rec, fresh, err := h.d.Ledger.OpenAccount(c.Request.Context(), service.AccountRequest{ID: a.ID, Region: in.Region, Department: in.Department, Name: in.Name})
	if err != nil {
		fail(c, err)
		return
	}
	h.d.Balances.Invalidate(c.Request.Context(), string(rec.ID))
	created(c, fresh, accountDTO(rec, ledger.Entry{}))
}

// openAccounts opens many accounts: every row is validated (and scoped)
// first, then they are opened eight at a time. Opening is idempotent by
// account ID, so the batch needs no key of its own to be safe to retry.
func (h *handlers) openAccounts(c *gin.Context) {
	var in client.BatchAccounts
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	reqs := make([]service.AccountRequest, len(in.Rows))
	for i, r := range in.Rows {
		field := fmt.Sprintf("rows[%d].", i)
		a, err := ledger.NewAccount(ledger.AccountID(r.ID), r.Region, r.Department, r.Name, time.Now())
		if err != nil {
			fail(c, withRowField(err, field))
			return
		}
		if err := mayOpen(auth.Caller(c), a); err != nil {
			fail(c, err)
			return
		}
		reqs[i] = service.AccountRequest{ID: a.ID, Region: r.Region, Department: r.Department, Name: r.Name}
	}
	ctx := c.Request.Context()
	out := client.BatchResponse{Results: make([]client.BatchResult, len(reqs))}
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			_, _, err := h.d.Ledger.OpenAccount(ctx, r)
			out.Results[i] = rowResult(i, string(r.ID), err)
		}()
	}
	wg.Wait()
	tally(&out)
	c.JSON(http.StatusOK, out)
}

// account loads an account with its balance through the cache: the hot read
// of the whole platform (every hire screen and every service asking "is
// there a vacancy?").
func (h *handlers) account(ctx context.Context, id ledger.AccountID) (client.Account, error) {
	return redisx.GetOrLoad(ctx, h.d.Balances, string(id), func(ctx context.Context) (client.Account, error) {
		a, head, err := h.d.Ledger.Balance(ctx, id)
		if err != nil {
			return client.Account{}, err
		}
		return accountDTO(a, head), nil
	})
}

// accountJSON is account without the decode and re-encode: the cached
// bytes are what the client receives. Scope is checked from scopes, a
// process-local map of what never changes about an account (its holder,
// type and region), so the hot read decodes nothing.
func (h *handlers) accountJSON(ctx context.Context, id ledger.AccountID) (json.RawMessage, ledger.Account, error) {
	raw, err := redisx.GetOrLoad(ctx, h.d.Balances, string(id), func(ctx context.Context) (json.RawMessage, error) {
		a, head, err := h.d.Ledger.Balance(ctx, id)
		if err != nil {
			return nil, err
		}
		return json.Marshal(accountDTO(a, head))
	})
	if err != nil {
		return nil, ledger.Account{}, err
	}
	if s, ok := h.scopes.Load(id); ok {
		return raw, s.(ledger.Account), nil
	}
	var a client.Account
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, ledger.Account{}, err
	}
	s := scopeOf(a)
	h.scopes.Store(id, s)
	return raw, s, nil
}

// mayAccount reports whether the caller may see or act on account id: the scope of its holder's region
// and unit.
func (h *handlers) mayAccount(c *gin.Context, id ledger.AccountID) error {
	a, err := h.scope(c.Request.Context(), id)
	if err != nil {
		return err
	}
	return mayAccess(auth.Caller(c), a)
}

// scope returns what scope checks need of an account (holder, type,
// region), which never changes: from the process-local map, else from the
// cached account. Writes check scope on every request, and a hire's own
// batch invalidates the cached balance, so the map spares each of them a
// Redis round trip or a store read.
func (h *handlers) scope(ctx context.Context, id ledger.AccountID) (ledger.Account, error) {
	if s, ok := h.scopes.Load(id); ok {
		return s.(ledger.Account), nil
	}
	_, s, err := h.accountJSON(ctx, id)
	return s, err
}

func scopeOf(a client.Account) ledger.Account {
	return ledger.Account{ID: ledger.AccountID(a.ID), Type: ledger.HolderType(a.Type), Holder: a.Holder, Region: a.Region}
}

func (h *handlers) getAccount(c *gin.Context) {
	id, err := ledger.ParseAccountID("id", c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	s := c.Query("asOf")
	if s == "" {
		raw, scope, err := h.accountJSON(ctx, id)
		if err == nil {
			err = mayAccess(auth.Caller(c), scope)
		}
		if err != nil {
			fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", raw)
		return
	}
	a, err := h.account(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	if err := mayAccess(auth.Caller(c), scopeOf(a)); err != nil {
		fail(c, err)
		return
	}
	{
		day, err := time.ParseInLocation(time.DateOnly, s, ledger.China)
		if err != nil {
			fail(c, ledger.Invalid("asOf", "日期格式应为 YYYY-MM-DD", "asOf must be YYYY-MM-DD"))
			return
		}
		entries, err := h.d.Ledger.Store().Entries(ctx, id)
		if err != nil {
			fail(c, err)
			return
		}
		// "As of a date" means at the end of that day, Beijing time.
		end := day.AddDate(0, 0, 1)
		a.Balance, a.Seq, a.AsOf = balanceDTO(ledger.BalanceAt(entries, end)), 0, &end
		for _, e := range entries {
			if e.At.Before(end) {
				a.Seq = e.Seq
			}
		}
	}
	c.JSON(http.StatusOK, a)
}

func (h *handlers) journal(c *gin.Context) {
	id, err := ledger.ParseAccountID("id", c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	a, err := h.account(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	if err := mayAccess(auth.Caller(c), scopeOf(a)); err != nil {
		fail(c, err)
		return
	}
	entries, err := h.d.Ledger.Store().Entries(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]client.Entry, len(entries))
	for i, e := range entries {
		out[i] = client.Entry{Seq: e.Seq, TransferID: e.TransferID, Kind: string(e.Kind), Delta: deltaDTO(e.Delta),
			Balance: balanceDTO(e.Balance), At: e.At, Actor: e.Actor, DocNo: e.DocNo}
	}
	c.JSON(http.StatusOK, gin.H{"account": a.ID, "entries": out})
}

// balances lists accounts with balances, filtered by region subtree, kind,
// level, holder type or unit, with totals and the vacancy rate.
// manyAccounts is where a balances query switches from per-account (cached) reads to one read of the
// journal.
const manyAccounts = 64

func (h *handlers) balances(c *gin.Context) {
	cl := auth.Caller(c)
	f := ledger.AccountFilter{Region: c.Query("region"), Kind: ledger.Kind(c.Query("kind")), Level: ledger.Level(c.Query("level")),
		Type: ledger.HolderType(c.Query("type")), Unit: c.Query("unit")}
	if f.Region == "" {
		f.Region = cl.Region
	}
	if f.Kind != "" && !f.Kind.Valid() {
		fail(c, ledger.Invalid("kind", "未知的编制类型："+string(f.Kind), "unknown kind"))
		return
	}
	if f.Region != "" && !ledger.ValidRegion(f.Region) {
		fail(c, ledger.Invalid("region", "区划代码不正确", "region must be a division code"))
		return
	}
	if cl.Has(auth.RoleUnitHR) && !cl.Has(auth.RoleCityAdmin, auth.RoleCountyAdmin, auth.RoleAuditor, auth.RoleService) {
		if f.Unit == "" || !cl.CanUnit(f.Unit, "") {
			fail(c, auth.Forbidden("unit scope"))
			return
		}
	} else if err := auth.RequireRegion(cl, f.Region); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	recs, err := h.d.Ledger.Store().Accounts(ctx, f)
	if err != nil {
		fail(c, err)
		return
	}
	// As of a past date, every balance comes from one read of the journal.
	var history map[ledger.AccountID][]ledger.Entry
	var end time.Time
	asOf := c.Query("asOf")
	if asOf != "" {
		day, err := time.ParseInLocation(time.DateOnly, asOf, ledger.China)
		if err != nil {
			fail(c, ledger.Invalid("asOf", "日期格式应为 YYYY-MM-DD", "asOf must be YYYY-MM-DD"))
			return
		}
		end = day.AddDate(0, 0, 1)
	} else if len(recs) > manyAccounts {
		// A region's thousands of accounts: one read of the journal beats one (scanning) read per
		// account on the embedded store; the journal is the ledger's truth, so nothing is staler.
		end = time.Now().Add(24 * time.Hour)
	}
	if !end.IsZero() {
		_, entries, err := h.d.Ledger.Journal(ctx)
		if err != nil {
			fail(c, err)
			return
		}
		history = map[ledger.AccountID][]ledger.Entry{}
		for _, e := range entries {
			history[e.Account] = append(history[e.Account], e)
		}
	}
	out := make([]client.Account, 0, len(recs))
	var total client.Balance
	for _, r := range recs {
		if r.Type == ledger.HolderUnit && !cl.CanUnit(r.Holder, r.Region) {
			continue
		}
		var a client.Account
		if history != nil {
			es := history[r.ID]
			b := ledger.BalanceAt(es, end)
			seq := int64(0)
			for _, e := range es {
				if e.At.Before(end) {
					seq = e.Seq
				}
			}
			a = accountDTO(r, ledger.Entry{Seq: seq, Balance: b})
			if asOf != "" {
				a.AsOf = &end
			}
		} else if a, err = h.account(ctx, r.ID); err != nil {
			fail(c, err)
			return
		}
		out = append(out, a)
		total.Approved += a.Balance.Approved
		total.Held += a.Balance.Held
		total.Occupied += a.Balance.Occupied
		total.Vacant += a.Balance.Vacant
	}
	rate := 0.0
	if total.Approved > 0 {
		rate = float64(total.Vacant) / float64(total.Approved)
	}
	c.JSON(http.StatusOK, client.Balances{Accounts: out, Total: total, VacancyRate: rate})
}

func (h *handlers) abolishUnit(c *gin.Context) {
	unit := c.Param("unit")
	ctx := c.Request.Context()
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
	n, err := h.d.Ledger.SetAbolished(ctx, unit, true)
	if err != nil {
		fail(c, err)
		return
	}
	for _, r := range recs {
		h.d.Balances.Invalidate(ctx, string(r.ID))
	}
	c.JSON(http.StatusOK, gin.H{"unit": unit, "accounts": n, "abolished": true})
}

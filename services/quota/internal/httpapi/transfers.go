package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// moveRequest validates a transfer row's syntax and the caller's scope on
// both accounts; field prefixes the error fields of batch rows.
func (h *handlers) moveRequest(ctx context.Context, cl *auth.Claims, field string, in client.TransferRequest) (ledger.MoveRequest, error) {
	k := ledger.TransferKind(in.Kind)
	if !k.Valid() {
		return ledger.MoveRequest{}, ledger.Invalid(field+"kind", "未知的划转类型："+in.Kind, "unknown transfer kind")
	}
	from, err := ledger.ParseAccountID(field+"from", in.From)
	if err != nil {
		return ledger.MoveRequest{}, err
	}
	to, err := ledger.ParseAccountID(field+"to", in.To)
	if err != nil {
		return ledger.MoveRequest{}, err
	}
	if in.Amount <= 0 || in.Amount > ledger.MaxAmount {
		return ledger.MoveRequest{}, ledger.Invalid(field+"amount", "数量必须为1到1000000之间的正整数", "amount must be 1..1000000")
	}
	if k == ledger.TransferAdjustControl && !cl.Has(auth.RoleCityAdmin, auth.RoleService) {
		return ledger.MoveRequest{}, apperr.New(apperr.CodeForbidden, "控制数只能由上级调整", "only the level above adjusts control totals")
	}
	for _, id := range []ledger.AccountID{from, to} {
		a, err := h.scope(ctx, id)
		if err != nil {
			return ledger.MoveRequest{}, withRowField(err, field)
		}
		if err := mayAccess(cl, a); err != nil {
			return ledger.MoveRequest{}, err
		}
	}
	return ledger.MoveRequest{Kind: k, From: from, To: to, Amount: in.Amount, Reason: in.Reason, DocNo: in.DocNo, Actor: cl.Subject}, nil
}

func withRowField(err error, field string) error {
	if e, ok := err.(*ledger.Error); ok && field != "" {
		c := *e
		c.Field = field + c.Field
		return &c
	}
	return err
}

func (h *handlers) createTransfer(c *gin.Context) {
	var in client.TransferRequest
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	ctx := c.Request.Context()
	req, err := h.moveRequest(ctx, auth.Caller(c), "", in)
	if err != nil {
		fail(c, err)
		return
	}
	t, err := h.d.Ledger.Move(ctx, caller(c), c.GetHeader(idemKey), req)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, transferDTO(t))
}

func (h *handlers) getTransfer(c *gin.Context) {
	t, err := h.d.Ledger.Transfer(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	for _, l := range t.Legs {
		if err := h.mayAccount(c, l.Account); err != nil {
			fail(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, transferDTO(t))
}

// batchTransfers applies many transfers (e.g. a year's approvals, or the
// demo loader's). Every row is validated before any is applied; then rows
// run in parallel, each under the key <Idempotency-Key>#<row>, so a retry
// of the whole batch repeats nothing.
func (h *handlers) batchTransfers(c *gin.Context) {
	var in client.BatchTransfers
	if err := httpserver.BindJSON(c, &in); err != nil {
		httpserver.Fail(c, err)
		return
	}
	key := c.GetHeader(idemKey)
	if err := ledger.ValidIdempotencyKey(key); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	cl := auth.Caller(c)
	accs, err := h.loadScopes(ctx, in.Rows)
	if err != nil {
		fail(c, err)
		return
	}
	reqs := make([]ledger.MoveRequest, len(in.Rows))
	for i, row := range in.Rows {
		r, err := h.moveRequest(ctx, cl, fmt.Sprintf("rows[%d].", i), row)
		if err != nil {
			fail(c, err)
			return
		}
		reqs[i] = r
	}
	out := client.BatchResponse{Results: make([]client.BatchResult, len(reqs))}
	if in.Grouped {
		h.groupTransfers(ctx, caller(c), key, reqs, accs, &out)
		tally(&out)
		c.JSON(http.StatusOK, out)
		return
	}
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, r ledger.MoveRequest) {
			defer func() { <-sem; wg.Done() }()
			t, err := h.d.Ledger.Move(ctx, caller(c), fmt.Sprintf("%s#%d", key, i), r)
			out.Results[i] = rowResult(i, t.ID, err)
		}(i, r)
	}
	wg.Wait()
	tally(&out)
	c.JSON(http.StatusOK, out)
}

func rowResult(i int, id string, err error) client.BatchResult {
	if err == nil {
		return client.BatchResult{Row: i, ID: id, Status: http.StatusCreated}
	}
	e := apperr.From(toAppErr(err))
	title := e.Title
	if e.Code == apperr.CodeInternal {
		title = apperr.DefaultTitle(apperr.CodeInternal)
	}
	return client.BatchResult{Row: i, ID: id, Status: e.Status, Code: string(e.Code), Title: title}
}

func tally(out *client.BatchResponse) {
	for _, r := range out.Results {
		if r.Status < 300 {
			out.OK++
		} else {
			out.Failed++
		}
	}
}

// groupTransfers runs a grouped batch: rows sharing kind and source become
// one transfer keyed <Idempotency-Key>#g<first row of the group>, so a retry
// of the same batch meets its own groups. Groups run a few at a time: they
// touch different source accounts, and the embedded store has one writer.
func (h *handlers) groupTransfers(ctx context.Context, subject, key string, reqs []ledger.MoveRequest, accs map[ledger.AccountID]ledger.AccountRecord, out *client.BatchResponse) {
	type group struct {
		first int
		rows  []int
	}
	var groups []*group
	byKey := map[string]*group{}
	for i, r := range reqs {
		k := string(r.Kind) + " " + string(r.From)
		g, ok := byKey[k]
		if !ok {
			g = &group{first: i}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, i)
	}
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for _, g := range groups {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			rs := make([]ledger.MoveRequest, len(g.rows))
			for j, i := range g.rows {
				rs[j] = reqs[i]
			}
			t, err := h.d.Ledger.MoveGroup(ctx, subject, fmt.Sprintf("%s#g%d", key, g.first), rs, accs)
			for _, i := range g.rows {
				out.Results[i] = rowResult(i, t.ID, err)
			}
		}()
	}
	wg.Wait()
}

// loadScopes reads every account a batch names with one query, instead of
// one balance read per account (on the embedded store each read scans), and
// records their scope metadata (holder, type, region: it never changes).
// The records also serve a grouped batch's transfers.
func (h *handlers) loadScopes(ctx context.Context, rows []client.TransferRequest) (map[ledger.AccountID]ledger.AccountRecord, error) {
	var ids []ledger.AccountID
	seen := map[string]bool{}
	for _, r := range rows {
		for _, id := range []string{r.From, r.To} {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, ledger.AccountID(id))
			}
		}
	}
	accs, err := h.d.Ledger.Accounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, r := range accs {
		h.scopes.Store(id, ledger.Account{ID: r.ID, Type: r.Type, Holder: r.Holder, Region: r.Region})
	}
	return accs, nil
}

// Package quotaclient adapts the quota service's REST API to service.Quota, the port
// through which the units service moves posts and people (ADR 0203). It speaks the
// quota service's own wire types (services/quota/client). Writes carry a key derived
// from the caller's as Idempotency-Key, so svcclient may retry them and a resumed
// execution is answered with the first result.
package quotaclient

import (
	"context"
	"net/http"
	"net/url"

	"github.com/bianzhi/bianzhi/pkg/svcclient"

	qc "github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/units/internal/service"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// Adapter calls the quota service.
type Adapter struct {
	c *svcclient.Client
}

var _ service.Quota = (*Adapter)(nil)

// New returns an adapter over a client for the quota service.
func New(c *svcclient.Client) *Adapter { return &Adapter{c: c} }

type accountsReply struct {
	Accounts []qc.Account `json:"accounts"`
}

func (a *Adapter) accounts(ctx context.Context, q url.Values) ([]qc.Account, error) {
	var res accountsReply
	err := a.c.Do(ctx, http.MethodGet, "/v1/balances", nil, &res, svcclient.WithQuery(q))
	return res.Accounts, err
}

func toBalance(acc qc.Account) unit.Balance {
	return unit.Balance{Kind: unit.QuotaKind(acc.Kind), Approved: acc.Balance.Approved, Occupied: acc.Balance.Occupied + acc.Balance.Held,
		Vacant: acc.Balance.Vacant}
}

// Balances reads GET /v1/balances?unit= for each unit. Held posts count as occupied:
// a merger or cut must not take posts a recruitment has reserved.
func (a *Adapter) Balances(ctx context.Context, ids []string) (map[string][]unit.Balance, error) {
	out := map[string][]unit.Balance{}
	for _, id := range ids {
		accs, err := a.accounts(ctx, url.Values{"unit": {id}})
		if err != nil {
			return nil, err
		}
		bs := []unit.Balance{}
		for _, acc := range accs {
			if acc.Type == "unit" && acc.Holder == id {
				bs = append(bs, toBalance(acc))
			}
		}
		out[id] = bs
	}
	return out, nil
}

// PoolBalances reads the region's recovered-pool accounts (GET /v1/balances?type=recovered).
func (a *Adapter) PoolBalances(ctx context.Context, region string) ([]unit.Balance, error) {
	accs, err := a.accounts(ctx, url.Values{"region": {region}, "type": {"recovered"}})
	bs := []unit.Balance{}
	for _, acc := range accs {
		if acc.Holder == region {
			bs = append(bs, toBalance(acc))
		}
	}
	return bs, err
}

func account(holder, region string, k unit.QuotaKind) string {
	if holder == "" {
		return "pool:recovered:" + region + ":" + string(k)
	}
	return "unit:" + holder + ":" + string(k)
}

// open makes sure an account exists (POST /v1/accounts is idempotent by ID), under the units
// service's own identity: quota lets only a service open a unit's account, since the unit's
// region is the units service's to know (the owner of the data), not a person's to claim.
// The key names the whole body: quota refuses a key reused with another body
// (422 idempotency_key_reused), and the demo loader opens the same accounts
// under "open:<id>" with a name and department.
func (a *Adapter) open(ctx context.Context, id, region string) error {
	return a.c.Do(ctx, http.MethodPost, "/v1/accounts", qc.OpenAccount{ID: id, Region: region}, nil,
		svcclient.WithIdempotencyKey("open:"+id+"@"+region), svcclient.AsService())
}

func (a *Adapter) transfer(ctx context.Context, key string, t qc.TransferRequest) error {
	return a.c.Do(ctx, http.MethodPost, "/v1/transfers", t, nil, svcclient.WithIdempotencyKey(key))
}

// SetApproved makes the unit's approved posts equal lines: an approve transfer from the
// region's control total for an increase, a recover transfer to the region's pool for a
// decrease. The delta is what is missing now, so a retry after a success sends nothing,
// and a retry after a failure sends the same request with the same key.
func (a *Adapter) SetApproved(ctx context.Context, key, unitID, region string, lines []unit.QuotaLine, docNo string) error {
	cur, err := a.Balances(ctx, []string{unitID})
	if err != nil {
		return err
	}
	have := map[unit.QuotaKind]int64{}
	for _, b := range cur[unitID] {
		have[b.Kind] = b.Approved
	}
	for _, l := range lines {
		delta := l.Count - have[l.Kind]
		if delta == 0 {
			continue
		}
		acc := account(unitID, region, l.Kind)
		if err := a.open(ctx, acc, region); err != nil {
			return err
		}
		t := qc.TransferRequest{Kind: "approve", From: "pool:control:" + region + ":" + string(l.Kind), To: acc, Amount: delta,
			Reason: "三定规定核定编制", DocNo: docNo}
		if delta < 0 {
			t = qc.TransferRequest{Kind: "recover", From: acc, To: account("", region, l.Kind), Amount: -delta,
				Reason: "三定规定核减编制", DocNo: docNo}
		}
		if err := a.transfer(ctx, key+"#"+string(l.Kind), t); err != nil {
			return err
		}
	}
	return nil
}

// Move posts a transfer (POST /v1/transfers): unit to unit (move_unit), unit to the
// region's recovered pool (recover) or back (reallocate). The receiving account is
// opened first, since a unit created by a proposal has none yet.
func (a *Adapter) Move(ctx context.Context, key string, m service.Move) error {
	kind := "move_unit"
	switch {
	case m.To == "":
		kind = "recover"
	case m.From == "":
		kind = "reallocate"
	}
	to := account(m.To, m.Region, m.Kind)
	if err := a.open(ctx, to, m.Region); err != nil {
		return err
	}
	return a.transfer(ctx, key, qc.TransferRequest{Kind: kind, From: account(m.From, m.Region, m.Kind), To: to,
		Amount: m.Count, Reason: m.Reason, DocNo: m.DocNo})
}

// MoveIncumbents calls POST /v1/units/{from}/incumbents/transfer: every person of the
// unit moves with their post to the target unit. The quota service does not serve this
// route yet (see docs/units.md, "What units needs from quota").
func (a *Adapter) MoveIncumbents(ctx context.Context, key, from, to, docNo string) (int64, error) {
	// A unit without people needs no call; this also keeps mergers of empty units
	// working while the route is missing.
	bs, err := a.Balances(ctx, []string{from})
	if err != nil {
		return 0, err
	}
	var people int64
	for _, b := range bs[from] {
		people += b.Occupied
	}
	if people == 0 {
		return 0, nil
	}
	var res struct {
		Moved int64 `json:"moved"`
	}
	err = a.c.Do(ctx, http.MethodPost, "/v1/units/"+url.PathEscape(from)+"/incumbents/transfer",
		map[string]any{"to": to, "docNo": docNo}, &res, svcclient.WithIdempotencyKey(key))
	return res.Moved, err
}

// DisciplineOpen asks GET /v1/units/{department}/case-check whether the department's
// staffing requests are blocked by an open discipline case. It asks as the units service: a
// department may hold no quota account of its own, which a person may not ask about.
func (a *Adapter) DisciplineOpen(ctx context.Context, department string) (bool, error) {
	var res qc.CaseCheck
	err := a.c.Do(ctx, http.MethodGet, "/v1/units/"+url.PathEscape(department)+"/case-check", nil, &res,
		svcclient.WithQuery(url.Values{"department": {department}}), svcclient.AsService())
	return res.Blocked, err
}

// Package quotaclient adapts the quota service's REST API to service.Quota, the port
// through which the units service moves posts and people (ADR 0203). Each method names
// the quota endpoint it relies on; docs/units.md lists them as what units needs from
// quota. Writes carry the caller's key as Idempotency-Key, so svcclient may retry them.
package quotaclient

import (
	"context"
	"net/http"
	"net/url"

	"github.com/bianzhi/bianzhi/pkg/svcclient"

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

type balanceDTO struct {
	Kind     string `json:"kind"`
	Approved int64  `json:"approved"`
	Occupied int64  `json:"occupied"`
	Held     int64  `json:"held"`
	Vacant   int64  `json:"vacant"`
}

func toBalances(in []balanceDTO) []unit.Balance {
	out := make([]unit.Balance, len(in))
	for i, b := range in {
		out[i] = unit.Balance{Kind: unit.QuotaKind(b.Kind), Approved: b.Approved, Occupied: b.Occupied, Vacant: b.Vacant}
	}
	return out
}

// Balances reads GET /v1/units/{id}/balances for each unit.
func (a *Adapter) Balances(ctx context.Context, ids []string) (map[string][]unit.Balance, error) {
	out := map[string][]unit.Balance{}
	for _, id := range ids {
		var res struct {
			Balances []balanceDTO `json:"balances"`
		}
		if err := a.c.Do(ctx, http.MethodGet, "/v1/units/"+url.PathEscape(id)+"/balances", nil, &res); err != nil {
			return nil, err
		}
		out[id] = toBalances(res.Balances)
	}
	return out, nil
}

// PoolBalances reads GET /v1/pools/recovered/{region}/balances.
func (a *Adapter) PoolBalances(ctx context.Context, region string) ([]unit.Balance, error) {
	var res struct {
		Balances []balanceDTO `json:"balances"`
	}
	err := a.c.Do(ctx, http.MethodGet, "/v1/pools/recovered/"+url.PathEscape(region)+"/balances", nil, &res)
	return toBalances(res.Balances), err
}

// SetApproved calls PUT /v1/units/{id}/approved: the ledger approves from (or returns
// to) the region's control total whatever makes the unit's approved posts equal lines.
func (a *Adapter) SetApproved(ctx context.Context, key, unitID, region string, lines []unit.QuotaLine, docNo string) error {
	body := map[string]any{"region": region, "quotas": lines, "docNo": docNo}
	return a.c.Do(ctx, http.MethodPut, "/v1/units/"+url.PathEscape(unitID)+"/approved", body, nil, svcclient.WithIdempotencyKey(key))
}

func account(holder, region string, k unit.QuotaKind) string {
	if holder == "" {
		return "pool:recovered:" + region + ":" + string(k)
	}
	return "unit:" + holder + ":" + string(k)
}

// Move posts a transfer (POST /v1/transfers) between the ledger's accounts: unit to
// unit (move_unit), unit to the recovered pool (recover) or back (reallocate).
func (a *Adapter) Move(ctx context.Context, key string, m service.Move) error {
	kind := "move_unit"
	switch {
	case m.To == "":
		kind = "recover"
	case m.From == "":
		kind = "reallocate"
	}
	body := map[string]any{"kind": kind, "from": account(m.From, m.Region, m.Kind), "to": account(m.To, m.Region, m.Kind),
		"amount": m.Count, "reason": m.Reason, "docNo": m.DocNo}
	return a.c.Do(ctx, http.MethodPost, "/v1/transfers", body, nil, svcclient.WithIdempotencyKey(key))
}

// MoveIncumbents calls POST /v1/units/{from}/incumbents/transfer: every person of the
// unit moves with their post to the target unit.
func (a *Adapter) MoveIncumbents(ctx context.Context, key, from, to, docNo string) (int64, error) {
	var res struct {
		Moved int64 `json:"moved"`
	}
	err := a.c.Do(ctx, http.MethodPost, "/v1/units/"+url.PathEscape(from)+"/incumbents/transfer",
		map[string]any{"to": to, "docNo": docNo}, &res, svcclient.WithIdempotencyKey(key))
	return res.Moved, err
}

// DisciplineOpen reads GET /v1/blocks/{department}.
func (a *Adapter) DisciplineOpen(ctx context.Context, department string) (bool, error) {
	var res struct {
		Blocked bool `json:"blocked"`
	}
	err := a.c.Do(ctx, http.MethodGet, "/v1/blocks/"+url.PathEscape(department), nil, &res)
	return res.Blocked, err
}

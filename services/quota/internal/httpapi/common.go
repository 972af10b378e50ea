package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
)

// idemKey is the header every write carries.
const idemKey = "Idempotency-Key"

func fail(c *gin.Context, err error) {
	var e *ledger.Error
	if errors.As(err, &e) && e.RetryLater {
		// "Not now", not "no": the idempotency middleware keeps no such
		// answer, so the same request under the same key may run again.
		c.Header("Retry-After", "1")
	}
	httpserver.Fail(c, toAppErr(err))
}

// caller names the principal that scopes idempotency keys: the token's
// subject, so two people's identical keys never collide.
func caller(c *gin.Context) string { return auth.Caller(c).Subject }

// mayAccess enforces scope for an account: a unit's account by unit (unit
// HR officers only their own), a pool by region, the level above only for
// the city office, auditors and services.
func mayAccess(cl *auth.Claims, a ledger.Account) error {
	switch a.Type {
	case ledger.HolderUnit:
		return auth.RequireUnit(cl, a.Holder, a.Region)
	case ledger.HolderExternal:
		if !cl.Has(auth.RoleCityAdmin, auth.RoleAuditor, auth.RoleService) {
			return apperr.New(apperr.CodeForbidden, "只有市编办可以操作上级下达的控制数", "only the city office may touch the level above")
		}
		return nil
	}
	return auth.RequireRegion(cl, a.Region)
}

// mayOpen enforces who may open an account, from the holder its ID names (never from the body's
// region alone): a unit's account only a service (the units service, which owns units and knows
// their regions; an office naming a region in the body could otherwise open, and own, another
// region's unit), a region's control total or recovered pool an office of that region or above
// (the region is the ID's), a talent pool or the level above only the city office or a service.
func mayOpen(cl *auth.Claims, a ledger.Account) error {
	switch a.Type {
	case ledger.HolderUnit:
		if !cl.Has(auth.RoleService) {
			return apperr.New(apperr.CodeForbidden, "单位账户由机构编制服务开设", "a unit's account is opened by the units service only")
		}
		return nil
	case ledger.HolderControl, ledger.HolderRecovered:
		return auth.RequireRegion(cl, a.Region)
	}
	if !cl.Has(auth.RoleCityAdmin, auth.RoleService) {
		return apperr.New(apperr.CodeForbidden, "只有市编办可以开设该账户", "only the city office opens talent pools and the level above")
	}
	return nil
}

func accountDTO(a ledger.AccountRecord, head ledger.Entry) client.Account {
	b := head.Balance
	return client.Account{ID: string(a.ID), Type: string(a.Type), Holder: a.Holder, Kind: string(a.Kind), KindLabel: a.Kind.Label(),
		Region: a.Region, Level: string(a.Level), Department: a.Department, Name: a.Name, Abolished: a.Abolished,
		Balance: balanceDTO(b), Seq: head.Seq}
}

func balanceDTO(b ledger.Balance) client.Balance {
	return client.Balance{Approved: b.Approved, Held: b.Held, Occupied: b.Occupied, Vacant: b.Vacant()}
}

func deltaDTO(d ledger.Delta) client.Delta {
	return client.Delta{Approved: d.Approved, Held: d.Held, Occupied: d.Occupied}
}

func transferDTO(t ledger.Transfer) client.Transfer {
	legs := make([]client.Leg, len(t.Legs))
	for i, l := range t.Legs {
		legs[i] = client.Leg{Account: string(l.Account), Delta: deltaDTO(l.Delta)}
	}
	return client.Transfer{ID: t.ID, Kind: string(t.Kind), KindLabel: t.Kind.Label(), State: string(t.State), Legs: legs,
		Reason: t.Reason, DocNo: t.DocNo, Actor: t.Actor, CreatedAt: t.CreatedAt}
}

func incumbentDTO(p ledger.IncumbentRecord) client.Incumbent {
	out := client.Incumbent{IDNumber: p.IDNumber, Name: p.Name, Gender: string(p.Gender), BirthDate: date(p.BirthDate),
		Unit: p.Unit, Account: string(p.Account), Kind: string(p.Account.Kind()), Channel: string(p.Channel),
		EntryDate: date(p.EntryDate), DocNo: p.DocNo, State: string(p.State), ExitReason: string(p.ExitReason)}
	if !p.ExitDate.IsZero() {
		out.ExitDate = date(p.ExitDate)
	}
	return out
}

func holdDTO(h ledger.Hold) client.Hold {
	return client.Hold{ID: h.ID, Account: string(h.Account), Amount: h.Amount, Posted: h.Posted, Voided: h.Voided,
		State: string(h.State), Purpose: h.Purpose, PlanID: h.PlanID, ExpiresAt: h.ExpiresAt}
}

func caseDTO(k ledger.Case) client.Case {
	return client.Case{ID: k.ID, Subject: k.Subject, Region: k.Region, Violation: string(k.Violation), Facts: k.Facts,
		Interview: k.Interview, PenaltyPosts: k.PenaltyPosts, Deducted: k.Deducted, Rectification: k.Rectification, State: string(k.State),
		OpenedBy: k.OpenedBy, ClosedBy: k.ClosedBy, OpenedAt: timePtr(k.OpenedAt), ClosedAt: timePtr(k.ClosedAt)}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// created answers 201 for a write that made something, 200 for a retry.
func created(c *gin.Context, fresh bool, v any) {
	if fresh {
		c.JSON(http.StatusCreated, v)
		return
	}
	c.JSON(http.StatusOK, v)
}

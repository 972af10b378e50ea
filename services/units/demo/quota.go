package demo

import (
	"context"
	"net/http"
	"sort"

	"github.com/bianzhi/bianzhi/pkg/svcclient"

	qc "github.com/bianzhi/bianzhi/services/quota/client"
)

// Quota is what the loader needs from the quota service: opening accounts and its two
// batch endpoints. QuotaHTTP implements it over the quota service's REST API.
type Quota interface {
	OpenAccount(ctx context.Context, a qc.OpenAccount) error
	BatchTransfers(ctx context.Context, key string, rows []qc.TransferRequest) (qc.BatchResponse, error)
	BatchHires(ctx context.Context, key string, rows []qc.Hire) (qc.BatchResponse, error)
}

// QuotaHTTP calls the quota service through a svcclient.Client.
type QuotaHTTP struct{ C *svcclient.Client }

// OpenAccount calls POST /v1/accounts (idempotent by account ID).
func (q QuotaHTTP) OpenAccount(ctx context.Context, a qc.OpenAccount) error {
	return q.C.Do(ctx, http.MethodPost, "/v1/accounts", a, nil, svcclient.WithIdempotencyKey("open:"+a.ID))
}

// BatchTransfers calls POST /v1/transfers/batch with grouped rows: the rows that share a
// kind and a source account (a region's approvals out of its control total) are applied
// as one transfer, one debit for their sum and one credit per unit (ADR 0101).
func (q QuotaHTTP) BatchTransfers(ctx context.Context, key string, rows []qc.TransferRequest) (qc.BatchResponse, error) {
	var out qc.BatchResponse
	err := q.C.Do(ctx, http.MethodPost, "/v1/transfers/batch", qc.BatchTransfers{Rows: rows, Grouped: true}, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// BatchHires calls POST /v1/incumbents/batch.
func (q QuotaHTTP) BatchHires(ctx context.Context, key string, rows []qc.Hire) (qc.BatchResponse, error) {
	var out qc.BatchResponse
	err := q.C.Do(ctx, http.MethodPost, "/v1/incumbents/batch", qc.BatchHires{Rows: rows}, &out, svcclient.WithIdempotencyKey(key))
	return out, err
}

// Ledger is the quota side of the dataset: the accounts to open, the control totals
// each region receives from the province (what its units need plus a 5% reserve, the
// report's "reserve for later needs"), and the approvals into every unit.
type Ledger struct {
	Accounts  []qc.OpenAccount
	Controls  []qc.TransferRequest
	Approvals []qc.TransferRequest
}

// Ledger derives the quota side from the dataset.
func (d *Dataset) Ledger() Ledger {
	var l Ledger
	need := map[[2]string]int64{} // (region, kind) → posts
	kinds := map[string]bool{}
	for _, u := range d.Units {
		for _, p := range d.Quotas[u.ID] {
			acc := "unit:" + u.ID + ":" + p.Kind
			l.Accounts = append(l.Accounts, qc.OpenAccount{ID: acc, Region: u.RegionCode, Department: u.SupervisorID, Name: u.Name})
			l.Approvals = append(l.Approvals, qc.TransferRequest{Kind: "approve", From: "pool:control:" + u.RegionCode + ":" + p.Kind,
				To: acc, Amount: p.Approved, Reason: "三定规定核定编制", DocNo: u.DocumentNo})
			need[[2]string{u.RegionCode, p.Kind}] += p.Approved
			kinds[p.Kind] = true
		}
	}
	ks := make([]string, 0, len(kinds))
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	pools := make([][2]string, 0, len(need))
	for rk := range need {
		pools = append(pools, rk)
	}
	sort.Slice(pools, func(i, j int) bool {
		return pools[i][0] < pools[j][0] || pools[i][0] == pools[j][0] && pools[i][1] < pools[j][1]
	})
	var pre []qc.OpenAccount
	for _, k := range ks {
		pre = append(pre, qc.OpenAccount{ID: "ext:province:" + k})
	}
	for _, rk := range pools {
		region, k := rk[0], rk[1]
		ctl := "pool:control:" + region + ":" + k
		pre = append(pre, qc.OpenAccount{ID: ctl, Region: region})
		if len(region) == 6 {
			pre = append(pre, qc.OpenAccount{ID: "pool:recovered:" + region + ":" + k, Region: region})
		}
		l.Controls = append(l.Controls, qc.TransferRequest{Kind: "adjust_control", From: "ext:province:" + k, To: ctl,
			Amount: need[rk] + need[rk]*5/100, Reason: "省核定控制数", DocNo: "晋编〔2019〕12号"})
	}
	l.Accounts = append(pre, l.Accounts...)
	return l
}

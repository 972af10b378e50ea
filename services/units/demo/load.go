package demo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	qc "github.com/bianzhi/bianzhi/services/quota/client"
	"github.com/bianzhi/bianzhi/services/units/client"
)

// Report says what Load loaded and how long each part took.
type Report struct {
	Seed                                   uint64
	Regions, Units, Charters               int
	Accounts, Transfers, Incumbents        int
	UnitsTime, AccountsTime, TransfersTime time.Duration
	HiresTime, Total                       time.Duration
}

func (r Report) String() string {
	return fmt.Sprintf("seed %d: %d regions, %d units, %d charters (%v); %d accounts (%v), %d transfers (%v), %d incumbents (%v); total %v",
		r.Seed, r.Regions, r.Units, r.Charters, r.UnitsTime.Round(time.Millisecond), r.Accounts, r.AccountsTime.Round(time.Millisecond),
		r.Transfers, r.TransfersTime.Round(time.Millisecond), r.Incumbents, r.HiresTime.Round(time.Millisecond), r.Total.Round(time.Millisecond))
}

// Batch sizes: one request should take a few seconds on embedded FerretDB, well inside
// the per-attempt timeout the loader's clients need (ClientTimeout), because a timed-out
// batch retried under its key meets its own rows still in progress. Transfers go in
// grouped batches (one transfer per source account), hires grouped by account.
const (
	unitBatch     = 1000
	transferBatch = 1000
	hireBatch     = 2000
	openers       = 8
)

// ClientTimeout is the per-attempt timeout the svcclient.Options of the clients given to
// Load should have: batches take seconds, not the default 5 s budget of a single read.
const ClientTimeout = 60 * time.Second

// Load generates the dataset for seed and loads it through the units and quota
// services' APIs. Every call is idempotent (existing records are skipped, batches carry
// keys derived from the seed), so a load interrupted half-way is finished by running it again.
func Load(ctx context.Context, units *client.Client, quota Quota, seed uint64) (Report, error) {
	return LoadDataset(ctx, units, quota, seed, Generate(seed))
}

// LoadDataset loads d (generated from seed) as Load does.
func LoadDataset(ctx context.Context, units *client.Client, quota Quota, seed uint64, d *Dataset) (Report, error) {
	rep := Report{Seed: seed, Regions: len(d.Regions), Units: len(d.Units), Charters: len(d.Charters), Incumbents: len(d.Hires)}
	start := time.Now()
	key := fmt.Sprintf("demo-%d", seed)
	if err := units.PutRegions(ctx, d.Regions); err != nil {
		return rep, fmt.Errorf("put regions: %w", err)
	}
	for i := 0; i < len(d.Units); i += unitBatch {
		if _, err := units.ImportUnits(ctx, fmt.Sprintf("%s-units-%d", key, i), d.Units[i:min(i+unitBatch, len(d.Units))]); err != nil {
			return rep, fmt.Errorf("import units from %d: %w", i, err)
		}
	}
	for i := 0; i < len(d.Charters); i += unitBatch {
		if _, err := units.ImportCharters(ctx, fmt.Sprintf("%s-charters-%d", key, i), d.Charters[i:min(i+unitBatch, len(d.Charters))]); err != nil {
			return rep, fmt.Errorf("import charters from %d: %w", i, err)
		}
	}
	rep.UnitsTime = time.Since(start)

	t := time.Now()
	l := d.Ledger()
	rep.Accounts, rep.Transfers = len(l.Accounts), len(l.Controls)+len(l.Approvals)
	if err := openAll(ctx, quota, l.Accounts); err != nil {
		return rep, err
	}
	rep.AccountsTime = time.Since(t)

	t = time.Now()
	if err := transfers(ctx, quota, key+"-controls", l.Controls); err != nil {
		return rep, err
	}
	if err := transfers(ctx, quota, key+"-approvals", groupBy(l.Approvals, func(t qc.TransferRequest) string { return t.From })); err != nil {
		return rep, err
	}
	rep.TransfersTime = time.Since(t)

	t = time.Now()
	hires := groupBy(d.Hires, func(p Person) string { return p.Unit + ":" + p.Kind })
	for i := 0; i < len(hires); i += hireBatch {
		rows := make([]qc.Hire, 0, hireBatch)
		for _, p := range hires[i:min(i+hireBatch, len(hires))] {
			rows = append(rows, qc.Hire{IDNumber: p.IDNumber, Name: p.Name, Unit: p.Unit, Kind: p.Kind, Channel: p.Channel,
				EntryDate: p.EntryDate, DocNo: "人社〔2019〕1号"})
		}
		res, err := quota.BatchHires(ctx, fmt.Sprintf("%s-hires-%d", key, i), rows)
		if err != nil {
			return rep, fmt.Errorf("hire batch from %d: %w", i, err)
		}
		if err := batchFailed("hires", i, res); err != nil {
			return rep, err
		}
	}
	rep.HiresTime = time.Since(t)
	rep.Total = time.Since(start)
	return rep, nil
}

// openAll opens accounts with a few requests in flight: the quota service has no batch
// for it, and one at a time would dominate the load.
func openAll(ctx context.Context, q Quota, accs []qc.OpenAccount) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	work := make(chan qc.OpenAccount)
	for range openers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				if err := q.OpenAccount(ctx, a); err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("open account %s: %w", a.ID, err)
						cancel()
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, a := range accs {
		select {
		case work <- a:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	return first
}

func transfers(ctx context.Context, q Quota, key string, rows []qc.TransferRequest) error {
	for i := 0; i < len(rows); i += transferBatch {
		res, err := q.BatchTransfers(ctx, fmt.Sprintf("%s-%d", key, i), rows[i:min(i+transferBatch, len(rows))])
		if err != nil {
			return fmt.Errorf("%s batch from %d: %w", key, i, err)
		}
		if err := batchFailed(key, i, res); err != nil {
			return err
		}
	}
	return nil
}

// batchFailed turns failed rows into an error, naming the first; a row that failed
// only because it already existed from an earlier, interrupted load is not a failure.
func batchFailed(what string, offset int, res qc.BatchResponse) error {
	var errs []error
	for _, r := range res.Results {
		if r.Status >= 300 && r.Code != "duplicate" {
			errs = append(errs, fmt.Errorf("%s row %d: %d %s %s", what, offset+r.Row, r.Status, r.Code, r.Title))
		}
	}
	if len(errs) > 3 {
		errs = append(errs[:3], fmt.Errorf("and %d more", len(errs)-3))
	}
	return errors.Join(errs...)
}

// groupBy orders rows so that the rows of one account are adjacent (in the order the
// accounts first appear). The quota service applies a grouped transfer batch as one
// transfer per source account, and group-commits the hires waiting for one account as
// one journal entry: rows of one account in one request make one write, where rows
// spread round-robin make one write each.
func groupBy[T any](rows []T, account func(T) string) []T {
	var order []string
	groups := map[string][]T{}
	for _, r := range rows {
		a := account(r)
		if _, ok := groups[a]; !ok {
			order = append(order, a)
		}
		groups[a] = append(groups[a], r)
	}
	out := make([]T, 0, len(rows))
	for _, a := range order {
		out = append(out, groups[a]...)
	}
	return out
}

// Package app wires the quota service: platform (store, cache, server, tokens), then the ledger,
// its metrics and background jobs, then its routes. Read it top to bottom.
package app

import (
	"context"
	"fmt"
	"time"

	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/redisx"

	"github.com/bianzhi/bianzhi/services/quota/internal/config"
	"github.com/bianzhi/bianzhi/services/quota/internal/httpapi"
	"github.com/bianzhi/bianzhi/services/quota/internal/ledger"
	"github.com/bianzhi/bianzhi/services/quota/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/quota/internal/service"
)

// App is a running quota service.
type App struct {
	*platform.Base
	cfg    config.Config
	Ledger *service.Ledger
	stop   context.CancelFunc
	done   chan struct{}
}

// New connects the service's dependencies and mounts its routes; the listener is open on return,
// so Addr is known (port 0 in tests). It runs recovery once before serving, so work a crash
// interrupted is settled before new work arrives.
func New(ctx context.Context, cfg config.Config, opts platform.Options) (*App, error) {
	opts.Indexes = append(opts.Indexes, mongostore.Indexes...)
	base, err := platform.Start(ctx, cfg.Common, opts)
	if err != nil {
		return nil, err
	}
	reg := base.Server.Registry()
	m := newMetrics(reg)
	balances, err := redisx.NewCache(base.Redis, "quota_balances", cfg.BalanceTTL, reg, redisx.WithLogger(base.Log))
	if err != nil {
		_ = base.Close(ctx)
		return nil, err
	}
	store := mongostore.New(base.DB)
	l := service.New(store, service.Hooks{
		Transfer: m.transfer,
		Redline:  m.redline,
		Checked: func(ok bool) {
			if ok {
				m.checkOK.Set(1)
			} else {
				m.checkOK.Set(0)
			}
		},
		Changed: func(ctx context.Context, ids ...ledger.AccountID) {
			keys := make([]string, len(ids))
			for i, id := range ids {
				keys[i] = string(id)
			}
			balances.Invalidate(ctx, keys...)
		},
	})
	l.RecoveryGrace, l.StaleAfter = cfg.RecoveryGrace, cfg.StaleAfter
	if rep, err := l.Recover(ctx); err != nil {
		base.Log.Warn("recovery at start left work for the next run", "error", err, "report", rep)
	}
	httpapi.Routes(base.Server.Engine(), base.Verifier, httpapi.Deps{Service: cfg.Service, Ledger: l, Balances: balances, Log: base.Log})

	jobCtx, stop := context.WithCancel(context.Background())
	a := &App{Base: base, cfg: cfg, Ledger: l, stop: stop, done: make(chan struct{})}
	go a.jobs(jobCtx, m)
	return a, nil
}

// jobs runs the periodic work in-process: expiring holds, recovering
// interrupted work, checking the invariants and refreshing the gauges. The CronJobs run the
// same code through the CLI subcommands; running both is harmless, since
// every step is idempotent.
func (a *App) jobs(ctx context.Context, m *metrics) {
	defer close(a.done)
	tick := time.NewTicker(a.cfg.JobInterval)
	defer tick.Stop()
	lastCheck := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if a.cfg.CheckInterval > 0 && time.Since(lastCheck) >= a.cfg.CheckInterval {
			lastCheck = time.Now()
			if res, err := a.Ledger.Check(ctx); err != nil {
				a.Log.Warn("check ledger", "error", err)
			} else if !res.OK {
				a.Log.Error("ledger invariants broken", "problems", res.Problems)
			}
		}
		if _, err := a.Ledger.ExpireHolds(ctx); err != nil {
			a.Log.Warn("expire holds", "error", err)
		}
		if _, err := a.Ledger.Recover(ctx); err != nil {
			a.Log.Warn("recover", "error", err)
		}
		if n, err := a.Ledger.OpenHoldCount(ctx); err == nil {
			m.holdsPending.Set(float64(n))
		}
	}
}

// Close stops the jobs, then the platform.
func (a *App) Close(ctx context.Context) error {
	a.stop()
	<-a.done
	return a.Base.Close(ctx)
}

// Commands are the subcommands of the quota binary, the shape Kubernetes
// CronJobs call: each connects, runs once and exits non-zero on failure.
func Commands(load func() (config.Config, error)) []platform.Command {
	run := func(name string, f func(ctx context.Context, l *service.Ledger) error) func(ctx context.Context, _ []string) error {
		return func(ctx context.Context, _ []string) error {
			cfg, err := load()
			if err != nil {
				return err
			}
			cfg.HTTPAddr = "127.0.0.1:0" // a job serves nothing
			a, err := New(ctx, cfg, platform.Options{})
			if err != nil {
				return err
			}
			defer func() { _ = a.Close(context.Background()) }()
			return f(ctx, a.Ledger)
		}
	}
	return []platform.Command{
		{Name: "expire-holds", Help: "void holds whose expiry has passed", Run: run("expire-holds", func(ctx context.Context, l *service.Ledger) error {
			n, err := l.ExpireHolds(ctx)
			fmt.Printf("expired %d holds\n", n)
			return err
		})},
		{Name: "recover", Help: "finish or undo work a crash interrupted", Run: run("recover", func(ctx context.Context, l *service.Ledger) error {
			rep, err := l.Recover(ctx)
			fmt.Printf("%+v\n", rep)
			return err
		})},
		{Name: "check-ledger", Help: "prove the ledger's invariants; exit 1 if any is broken", Run: run("check-ledger", func(ctx context.Context, l *service.Ledger) error {
			res, err := l.Check(ctx)
			if err != nil {
				return err
			}
			fmt.Printf("accounts %d, entries %d, in flight %d, problems %d\n", res.Accounts, res.Entries, res.InFlight, len(res.Problems))
			for _, p := range res.Problems {
				fmt.Printf("  %s %s: %s\n", p.Rule, p.Subject, p.Detail)
			}
			if !res.OK {
				return fmt.Errorf("%d invariant violations", len(res.Problems))
			}
			return nil
		})},
	}
}

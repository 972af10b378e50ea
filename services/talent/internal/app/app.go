// Package app wires the talent service: platform (store, cache, server, tokens), the quota ledger
// adapter, the units directory, the use cases, then its routes.
package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/redisx"
	"github.com/bianzhi/bianzhi/pkg/svcclient"
	gateway "github.com/bianzhi/bianzhi/services/gateway/client"

	"github.com/bianzhi/bianzhi/services/talent/internal/config"
	"github.com/bianzhi/bianzhi/services/talent/internal/httpapi"
	"github.com/bianzhi/bianzhi/services/talent/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/talent/internal/quotaledger"
	"github.com/bianzhi/bianzhi/services/talent/internal/service"
	"github.com/bianzhi/bianzhi/services/talent/internal/unitdir"
)

// App is a running talent service.
type App struct {
	*platform.Base
	cfg   config.Config
	Cases *service.Cases
}

// New connects the service's dependencies and mounts its routes; the listener is open on return,
// so Addr is known (port 0 in tests).
func New(ctx context.Context, cfg config.Config, opts platform.Options) (*App, error) {
	opts.Indexes = append(append([]mongox.Index{}, opts.Indexes...), mongostore.Indexes...)
	base, err := platform.Start(ctx, cfg.Common, opts)
	if err != nil {
		return nil, err
	}
	ledger, dir, err := peers(cfg, base.Redis, base.Server.Registry(), redisx.WithLogger(base.Log))
	if err != nil {
		_ = base.Close(ctx)
		return nil, err
	}
	m := newMetrics(base.Server.Registry())
	cases := service.New(mongostore.New(base.DB), ledger, dir, Policy(cfg), m.hooks())
	httpapi.Routes(base.Server.Engine(), base.Verifier, httpapi.Deps{Service: cfg.Service, Cases: cases,
		Reports: service.NewReports(cases)})
	return &App{Base: base, cfg: cfg, Cases: cases}, nil
}

// Policy is the pool's terms as configured.
func Policy(cfg config.Config) service.Policy {
	return service.Policy{HoldTTL: cfg.HoldTTL, LoanTerm: cfg.LoanTerm, StaleAfter: cfg.StepStaleAfter,
		Baseline: cfg.RecruitedBaseline}
}

// peers are the services talent calls, both under its own identity: quota (the ledger) and units
// (the directory of units, cached in rdb unless it is nil).
func peers(cfg config.Config, rdb *redis.Client, reg prometheus.Registerer, opts ...redisx.CacheOption) (*quotaledger.Ledger, *unitdir.Directory, error) {
	token, err := tokenSource(cfg)
	if err != nil {
		return nil, nil, err
	}
	ledger, err := quotaledger.New(cfg.QuotaURL, token)
	if err != nil {
		return nil, nil, fmt.Errorf("quota client: %w", err)
	}
	dir, err := unitdir.New(cfg.UnitsURL, token, rdb, cfg.UnitsCacheTTL, reg, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("units client: %w", err)
	}
	return ledger, dir, nil
}

// tokenSource gives the talent service's own token, under which it calls quota and units (ADR 0501):
// SERVICE_TOKEN as is, else the gateway's service-token grant with SERVICE_SECRET. Without either,
// calls to quota and units fail with a clear error (the service still starts, so its health
// routes work).
func tokenSource(cfg config.Config) (func(context.Context) (string, error), error) {
	switch {
	case cfg.ServiceToken != "":
		return func(context.Context) (string, error) { return cfg.ServiceToken, nil }, nil
	case cfg.ServiceSecret != "":
		gw, err := gateway.New(svcclient.Options{BaseURL: cfg.GatewayURL, Caller: "talent"})
		if err != nil {
			return nil, fmt.Errorf("gateway client: %w", err)
		}
		return gw.TokenSource("talent", cfg.ServiceSecret), nil
	}
	return func(context.Context) (string, error) {
		return "", errors.New("neither SERVICE_TOKEN nor SERVICE_SECRET is set: the talent service has no identity towards quota and units")
	}, nil
}

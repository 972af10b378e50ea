// Package app wires the units service: platform (store, cache, server, tokens), then the
// store, caches, quota client, use cases and routes, top to bottom.
package app

import (
	"context"
	"fmt"
	"time"

	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/redisx"
	"github.com/bianzhi/bianzhi/pkg/svcclient"

	gateway "github.com/bianzhi/bianzhi/services/gateway/client"
	"github.com/bianzhi/bianzhi/services/units/internal/config"
	"github.com/bianzhi/bianzhi/services/units/internal/httpapi"
	"github.com/bianzhi/bianzhi/services/units/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/units/internal/quotaclient"
	"github.com/bianzhi/bianzhi/services/units/internal/service"
	"github.com/bianzhi/bianzhi/services/units/internal/unit"
)

// tokenSource gives the units service's own identity towards quota: SERVICE_TOKEN as is, else the
// gateway's service-token grant with SERVICE_SECRET; nil without either (quota then sees the
// person only, and refuses to open a unit's account).
func tokenSource(cfg config.Config) (func(context.Context) (string, error), error) {
	switch {
	case cfg.ServiceToken != "":
		return func(context.Context) (string, error) { return cfg.ServiceToken, nil }, nil
	case cfg.ServiceSecret != "":
		gw, err := gateway.New(svcclient.Options{BaseURL: cfg.GatewayURL, Caller: cfg.Service})
		if err != nil {
			return nil, fmt.Errorf("gateway client: %w", err)
		}
		return gw.TokenSource(cfg.Service, cfg.ServiceSecret), nil
	}
	return nil, nil
}

// App is a running units service.
type App struct {
	*platform.Base
	cfg     config.Config
	Service *service.Service
}

// Option changes how New wires the service.
type Option func(*wiring)

type wiring struct{ quota service.Quota }

// WithQuota replaces the quota service client, as component tests do to make the quota
// service fail half-way through an execution.
func WithQuota(q service.Quota) Option { return func(w *wiring) { w.quota = q } }

// New connects the service's dependencies and mounts its routes; the listener is open on return,
// so Addr is known (port 0 in tests).
func New(ctx context.Context, cfg config.Config, opts platform.Options, more ...Option) (*App, error) {
	var w wiring
	for _, o := range more {
		o(&w)
	}
	opts.Indexes = append(opts.Indexes, mongostore.Indexes...)
	base, err := platform.Start(ctx, cfg.Common, opts)
	if err != nil {
		return nil, err
	}
	store := mongostore.New(base.DB)
	if err := store.PutRegions(ctx, unit.TaiyuanRegions()); err != nil {
		_ = base.Close(ctx)
		return nil, fmt.Errorf("seed Taiyuan regions: %w", err)
	}
	reg := base.Server.Registry()
	regions, err := redisx.NewCache(base.Redis, "units-regions", 5*time.Minute, reg, redisx.WithLogger(base.Log))
	if err != nil {
		_ = base.Close(ctx)
		return nil, err
	}
	units, err := redisx.NewCache(base.Redis, "units-unit", 2*time.Minute, reg, redisx.WithLogger(base.Log))
	if err != nil {
		_ = base.Close(ctx)
		return nil, err
	}
	quota := w.quota
	if quota == nil {
		token, err := tokenSource(cfg)
		if err != nil {
			_ = base.Close(ctx)
			return nil, err
		}
		qc, err := svcclient.New(svcclient.Options{BaseURL: cfg.QuotaURL, Service: "quota", Caller: cfg.Service,
			TokenSource: token, TracerProvider: base.Tracer, Logger: base.Log})
		if err != nil {
			_ = base.Close(ctx)
			return nil, err
		}
		quota = quotaclient.New(qc)
	}
	svc := service.New(store, quota, regions, units, cfg.MongoDatabase, service.NewMetrics(reg), base.Log)
	httpapi.Routes(base.Server.Engine(), base.Verifier, httpapi.Deps{Service: cfg.Service, Units: svc})
	return &App{Base: base, cfg: cfg, Service: svc}, nil
}

// Package app wires the talent service: platform (store, cache, server, tokens), the quota ledger
// adapter, the use cases, then its routes.
package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/bianzhi/bianzhi/pkg/mongox"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/talent/internal/config"
	"github.com/bianzhi/bianzhi/services/talent/internal/httpapi"
	"github.com/bianzhi/bianzhi/services/talent/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/talent/internal/quotaledger"
	"github.com/bianzhi/bianzhi/services/talent/internal/service"
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
	ledger, err := newLedger(cfg)
	if err != nil {
		_ = base.Close(ctx)
		return nil, err
	}
	m := newMetrics(base.Server.Registry())
	cases := service.New(mongostore.New(base.DB), ledger, Policy(cfg), m.hooks())
	httpapi.Routes(base.Server.Engine(), base.Verifier, httpapi.Deps{Service: cfg.Service, Cases: cases,
		Reports: service.NewReports(cases)})
	return &App{Base: base, cfg: cfg, Cases: cases}, nil
}

// Policy is the pool's terms as configured.
func Policy(cfg config.Config) service.Policy {
	return service.Policy{HoldTTL: cfg.HoldTTL, LoanTerm: cfg.LoanTerm, StaleAfter: cfg.StepStaleAfter,
		Baseline: cfg.RecruitedBaseline}
}

func newLedger(cfg config.Config) (*quotaledger.Ledger, error) {
	token := func(context.Context) (string, error) {
		if cfg.ServiceToken == "" {
			return "", errors.New("SERVICE_TOKEN is not set: the talent service has no identity towards quota")
		}
		return cfg.ServiceToken, nil
	}
	l, err := quotaledger.New(cfg.QuotaURL, token)
	if err != nil {
		return nil, fmt.Errorf("quota client: %w", err)
	}
	return l, nil
}

// Package app wires the gateway: its signing key, the platform (store, cache, server), accounts,
// the audit writer, the proxies to each service and the routes.
package app

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/gateway/internal/auditlog"
	"github.com/bianzhi/bianzhi/services/gateway/internal/config"
	"github.com/bianzhi/bianzhi/services/gateway/internal/httpapi"
	"github.com/bianzhi/bianzhi/services/gateway/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/gateway/internal/proxy"
	"github.com/bianzhi/bianzhi/services/gateway/internal/ratelimit"
)

// App is a running gateway.
type App struct {
	*platform.Base
	cfg   config.Config
	audit *auditlog.Writer
}

// New loads the signing key, connects the gateway's dependencies and mounts its routes; the listener
// is open on return, so Addr is known (port 0 in tests). Unless opts brings one, the gateway verifies
// tokens with its own public key, never by fetching its own JWKS over HTTP.
func New(ctx context.Context, cfg config.Config, opts platform.Options) (*App, error) {
	key, err := auth.LoadOrCreateKeyFile(cfg.SigningKeyFile, cfg.CreateKey)
	if err != nil {
		return nil, fmt.Errorf("GATEWAY_SIGNING_KEY_FILE: %w", err)
	}
	signer := auth.NewSigner(key)
	if opts.Verifier == nil {
		if opts.Verifier, err = auth.NewStaticVerifier(signer.JWK()); err != nil {
			return nil, err
		}
	}
	secrets, err := cfg.Secrets()
	if err != nil {
		return nil, err
	}
	trusted, err := cfg.Proxies()
	if err != nil {
		return nil, err
	}

	base, err := platform.Start(ctx, cfg.Common, opts)
	if err != nil {
		return nil, err
	}
	a := &App{Base: base, cfg: cfg}
	ok := false
	defer func() {
		if !ok {
			_ = a.Close(context.Background())
		}
	}()

	e := base.Server.Engine()
	if err := e.SetTrustedProxies(trusted); err != nil {
		return nil, fmt.Errorf("GATEWAY_TRUSTED_PROXIES: %w", err)
	}
	accounts := mongostore.NewAccounts(base.DB)
	if cfg.SeedAccounts {
		n, err := mongostore.SeedDemo(ctx, accounts, cfg.DemoUnit)
		if err != nil {
			return nil, fmt.Errorf("seed demo accounts: %w", err)
		}
		base.Log.Info("demo accounts ready", "created", n)
	}
	store := mongostore.NewAudit(base.DB)
	a.audit = auditlog.NewWriter(store, base.Server.Registry(), base.Log, auditlog.DefaultQueue)

	transport := proxy.NewTransport(base.Tracer)
	upstreams := cfg.Upstreams()
	names := make([]string, 0, len(upstreams))
	for name := range upstreams {
		names = append(names, name)
	}
	sort.Strings(names)
	proxies := make([]*proxy.Proxy, 0, len(names))
	for _, name := range names {
		p, err := proxy.New(name, upstreams[name], transport)
		if err != nil {
			return nil, err
		}
		proxies = append(proxies, p)
	}

	httpapi.Routes(e, httpapi.Deps{
		Signer:         signer,
		Verifier:       base.Verifier,
		TokenTTL:       cfg.TokenTTL,
		Accounts:       accounts,
		Audit:          store,
		AuditLog:       a.audit,
		Limiter:        ratelimit.New(base.Redis, cfg.MongoDatabase+":", cfg.LoginRate, base.Log),
		ServiceSecrets: secrets,
		Proxies:        proxies,
		Log:            base.Log,
	})
	ok = true
	return a, nil
}

// Close stores the audit records still queued, then releases the platform. Run has returned by now,
// so no request adds records behind the drain.
func (a *App) Close(ctx context.Context) error {
	var errs []error
	if a.audit != nil {
		if err := a.audit.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("drain audit records: %w", err))
		}
	}
	errs = append(errs, a.Base.Close(ctx))
	return errors.Join(errs...)
}

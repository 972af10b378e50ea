// Package app wires the gateway: its signing key, the platform (store, cache, server), accounts,
// the audit writer, the proxies to each service and the routes.
package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"

	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/gateway/internal/account"
	"github.com/bianzhi/bianzhi/services/gateway/internal/auditlog"
	"github.com/bianzhi/bianzhi/services/gateway/internal/config"
	"github.com/bianzhi/bianzhi/services/gateway/internal/httpapi"
	"github.com/bianzhi/bianzhi/services/gateway/internal/mongostore"
	"github.com/bianzhi/bianzhi/services/gateway/internal/proxy"
	"github.com/bianzhi/bianzhi/services/gateway/internal/ratelimit"
	"github.com/bianzhi/bianzhi/services/gateway/internal/session"
)

// App is a running gateway.
type App struct {
	*platform.Base
	cfg      config.Config
	audit    *auditlog.Writer
	internal *httpserver.Server // the service-token grant, on GATEWAY_INTERNAL_ADDR
	inLn     net.Listener
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
	ops, err := cfg.Ops()
	if err != nil {
		return nil, err
	}
	account.Warm()

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

	sessions := session.NewPublisher(base.Redis, cfg.SessionKeyPrefix, base.Log)
	// Syncing every account's version at start repairs a Redis that lost them (a flush, a failover) or
	// holds a restored database's future ones; while it cannot, the services accept only young tokens
	// (auth.SessionOutageMaxAge).
	versions, err := accounts.SessionVersions(ctx)
	if err != nil {
		return nil, err
	}
	subjects := make([]string, 0, len(versions))
	for s := range versions {
		subjects = append(subjects, s)
	}
	if err := sessions.Sync(ctx, subjects, accounts.SessionVersions); err != nil {
		base.Log.Warn("session versions not published at start", "error", err)
	}

	prefix := cfg.MongoDatabase + ":"
	deps := httpapi.Deps{
		Signer:            signer,
		Verifier:          base.Verifier,
		TokenTTL:          cfg.TokenTTL,
		Accounts:          accounts,
		Audit:             store,
		AuditLog:          a.audit,
		Limiter:           ratelimit.New(base.Redis, prefix, cfg.LoginRate, base.Log),
		SourceLimiter:     ratelimit.New(base.Redis, prefix+"source:", cfg.LoginSourceRate, base.Log),
		Lockout:           ratelimit.NewLockout(base.Redis, prefix, base.Log),
		Sessions:          sessions,
		ServiceSecrets:    secrets,
		ServiceOps:        ops,
		Proxies:           proxies,
		ProxyMaxBody:      cfg.MaxBodyBytes,
		ProxyBatchMaxBody: cfg.BatchMaxBodyBytes,
		Log:               base.Log,
	}
	httpapi.Routes(e, deps)

	// The internal listener has its own engine and metrics registry; only the cluster reaches it.
	a.internal = httpserver.New(httpserver.Options{Service: cfg.Service, MaxBodyBytes: cfg.MaxBodyBytes,
		ShutdownTimeout: cfg.ShutdownTimeout, Logger: base.Log, TracerProvider: base.Tracer})
	if err := a.internal.Engine().SetTrustedProxies(nil); err != nil {
		return nil, err
	}
	httpapi.InternalRoutes(a.internal.Engine(), deps)
	if a.inLn, err = httpserver.Listen(cfg.InternalAddr); err != nil {
		return nil, fmt.Errorf("GATEWAY_INTERNAL_ADDR: %w", err)
	}
	ok = true
	return a, nil
}

// InternalAddr is the address of the internal listener (the service-token grant).
func (a *App) InternalAddr() string { return a.inLn.Addr().String() }

// Run serves the public and the internal listener until ctx is done.
func (a *App) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- a.internal.Serve(ctx, a.inLn) }()
	err := a.Base.Run(ctx)
	return errors.Join(err, <-errc)
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
	if a.inLn != nil {
		_ = a.inLn.Close() // already closed by Serve's shutdown in the usual case
	}
	errs = append(errs, a.Base.Close(ctx))
	return errors.Join(errs...)
}

// Package app wires the units service: platform (store, cache, server, tokens), then its routes.
package app

import (
	"context"

	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/units/internal/config"
	"github.com/bianzhi/bianzhi/services/units/internal/httpapi"
)

// App is a running units service.
type App struct {
	*platform.Base
	cfg config.Config
}

// New connects the service's dependencies and mounts its routes; the listener is open on return,
// so Addr is known (port 0 in tests).
func New(ctx context.Context, cfg config.Config, opts platform.Options) (*App, error) {
	base, err := platform.Start(ctx, cfg.Common, opts)
	if err != nil {
		return nil, err
	}
	httpapi.Routes(base.Server.Engine(), base.Verifier, httpapi.Deps{Service: cfg.Service})
	return &App{Base: base, cfg: cfg}, nil
}

// Package inproc runs the gateway inside another process: the local stack runs it on :8080 in front
// of the services, and the e2e tests start it on port 0.
package inproc

import (
	"context"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/gateway/internal/app"
	"github.com/bianzhi/bianzhi/services/gateway/internal/config"
)

// Start builds the gateway from env (the same variables as in Kubernetes) and opts.
func Start(ctx context.Context, env map[string]string, opts platform.Options) (httpserver.Runner, error) {
	cfg, err := config.Load(env)
	if err != nil {
		return nil, err
	}
	return app.New(ctx, cfg, opts)
}

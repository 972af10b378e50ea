// Package inproc runs the quota service inside another process: the local stack and the e2e tests
// start every service this way, each on its own loopback port, talking HTTP as in Kubernetes.
package inproc

import (
	"context"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/quota/internal/app"
	"github.com/bianzhi/bianzhi/services/quota/internal/config"
)

// Start builds the service from env (the same variables as in Kubernetes) and opts.
func Start(ctx context.Context, env map[string]string, opts platform.Options) (httpserver.Runner, error) {
	cfg, err := config.Load(env)
	if err != nil {
		return nil, err
	}
	return app.New(ctx, cfg, opts)
}

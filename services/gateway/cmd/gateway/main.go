// Command gateway runs the Bianzhi gateway: the internal web portal and the single entry for people
// (login, tokens, routing to the services, audit of every change).
package main

import (
	"context"
	"os"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/gateway/internal/app"
	"github.com/bianzhi/bianzhi/services/gateway/internal/config"
)

func main() {
	os.Exit(platform.Main("gateway", func(ctx context.Context) (httpserver.Runner, error) {
		cfg, err := config.Load(nil)
		if err != nil {
			return nil, err
		}
		return app.New(ctx, cfg, platform.Options{})
	}))
}

// Command quota runs the Bianzhi quota service: the quota ledger (编制台账): accounts, transfers, holds, incumbents, plans, discipline.
package main

import (
	"context"
	"os"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/quota/internal/app"
	"github.com/bianzhi/bianzhi/services/quota/internal/config"
)

func main() {
	os.Exit(platform.Main("quota", func(ctx context.Context) (httpserver.Runner, error) {
		cfg, err := config.Load(nil)
		if err != nil {
			return nil, err
		}
		return app.New(ctx, cfg, platform.Options{})
	}, app.Commands(func() (config.Config, error) { return config.Load(nil) })...))
}

// Command units runs the Bianzhi units service: the organisations of city, counties and townships, their 三定 charters and reform proposals.
package main

import (
	"context"
	"os"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/units/internal/app"
	"github.com/bianzhi/bianzhi/services/units/internal/config"
)

func main() {
	os.Exit(platform.Main("units", func(ctx context.Context) (httpserver.Runner, error) {
		cfg, err := config.Load(nil)
		if err != nil {
			return nil, err
		}
		return app.New(ctx, cfg, platform.Options{})
	}))
}

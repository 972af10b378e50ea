// Command talent runs the Bianzhi talent service: the revolving quota pool for recruiting high-level talent (人才引進編制周轉池).
package main

import (
	"context"
	"os"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/talent/internal/app"
	"github.com/bianzhi/bianzhi/services/talent/internal/config"
)

func main() {
	os.Exit(platform.Main("talent", func(ctx context.Context) (httpserver.Runner, error) {
		cfg, err := config.Load(nil)
		if err != nil {
			return nil, err
		}
		return app.New(ctx, cfg, platform.Options{})
	}))
}

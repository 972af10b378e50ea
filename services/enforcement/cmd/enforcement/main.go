// Command enforcement runs the Bianzhi enforcement service: the comprehensive administrative enforcement teams and their township dispatch.
package main

import (
	"context"
	"os"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/enforcement/internal/app"
	"github.com/bianzhi/bianzhi/services/enforcement/internal/config"
)

func main() {
	os.Exit(platform.Main("enforcement", func(ctx context.Context) (httpserver.Runner, error) {
		cfg, err := config.Load(nil)
		if err != nil {
			return nil, err
		}
		return app.New(ctx, cfg, platform.Options{})
	}))
}

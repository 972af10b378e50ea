// Command eduhealth runs the Bianzhi eduhealth service: teacher quotas by enrolment, county-managed school hiring and township GP posts.
package main

import (
	"context"
	"os"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/eduhealth/internal/app"
	"github.com/bianzhi/bianzhi/services/eduhealth/internal/config"
)

func main() {
	os.Exit(platform.Main("eduhealth", func(ctx context.Context) (httpserver.Runner, error) {
		cfg, err := config.Load(nil)
		if err != nil {
			return nil, err
		}
		return app.New(ctx, cfg, platform.Options{})
	}))
}

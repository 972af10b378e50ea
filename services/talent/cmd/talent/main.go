// Command talent runs the Bianzhi talent service: the revolving quota pool for recruiting high-level talent (人才引进编制周转池).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	"github.com/bianzhi/bianzhi/services/talent/internal/app"
	"github.com/bianzhi/bianzhi/services/talent/internal/config"
)

func main() {
	returnLoans := platform.Command{
		Name: "return-loans",
		Help: "return loans whose unit has a vacancy, void lapsed holds, mark overdue loans (CronJob)",
		Run: func(ctx context.Context, _ []string) error {
			cfg, err := config.Load(nil)
			if err != nil {
				return err
			}
			rep, err := app.ReturnDue(ctx, cfg)
			if err != nil {
				return err
			}
			if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
				return err
			}
			if len(rep.Failed) > 0 {
				return fmt.Errorf("%d cases left for the next run", len(rep.Failed))
			}
			return nil
		},
	}
	os.Exit(platform.Main("talent", func(ctx context.Context) (httpserver.Runner, error) {
		cfg, err := config.Load(nil)
		if err != nil {
			return nil, err
		}
		return app.New(ctx, cfg, platform.Options{})
	}, returnLoans))
}

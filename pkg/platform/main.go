package platform

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/bianzhi/bianzhi/pkg/buildinfo"
	"github.com/bianzhi/bianzhi/pkg/httpserver"
)

// Command is a subcommand of a service binary (e.g. `quota expire-holds`), run once and exit: the
// shape Kubernetes CronJobs call.
type Command struct {
	Name string
	Help string
	Run  func(ctx context.Context, args []string) error
}

// Main is the whole of every cmd/<name>/main.go: `<name>` serves, `<name> version` prints the build,
// `<name> <command>` runs a job. SIGTERM and SIGINT stop the server gracefully. It returns the exit code.
func Main(service string, serve func(ctx context.Context) (httpserver.Runner, error), commands ...Command) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	args := os.Args[1:]
	if len(args) > 0 && args[0] != "serve" {
		switch args[0] {
		case "version", "--version":
			fmt.Println(buildinfo.String(service))
			return 0
		case "help", "-h", "--help":
			fmt.Printf("usage: %s [serve|version", service)
			for _, c := range commands {
				fmt.Printf("|%s", c.Name)
			}
			fmt.Println("]")
			for _, c := range commands {
				fmt.Printf("  %-14s %s\n", c.Name, c.Help)
			}
			return 0
		}
		for _, c := range commands {
			if c.Name == args[0] {
				if err := c.Run(ctx, args[1:]); err != nil {
					fmt.Fprintf(os.Stderr, "%s %s: %v\n", service, c.Name, err)
					return 1
				}
				return 0
			}
		}
		fmt.Fprintf(os.Stderr, "%s: unknown command %q (try help)\n", service, args[0])
		return 2
	}
	app, err := serve(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", service, err)
		return 1
	}
	runErr := app.Run(ctx)
	cctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	closeErr := app.Close(cctx)
	if runErr != nil || closeErr != nil {
		fmt.Fprintf(os.Stderr, "%s: run: %v; close: %v\n", service, runErr, closeErr)
		return 1
	}
	return 0
}

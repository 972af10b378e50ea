// Package buildinfo holds the version and commit stamped into every binary with -ldflags -X.
package buildinfo

// Version and Commit are set at link time; "dev" and "unknown" mark a developer build.
var (
	Version = "dev"
	Commit  = "unknown"
)

// String is the one-line form printed by every binary's `version` subcommand.
func String(service string) string { return service + " " + Version + " (commit " + Commit + ")" }

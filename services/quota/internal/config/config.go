// Package config is the quota service's configuration, read from environment variables.
package config

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/bianzhi/bianzhi/pkg/config"
)

// batchBodyBytes is the body limit the quota service uses unless
// MAX_BODY_BYTES says otherwise: batch endpoints take thousands of rows.
const batchBodyBytes = 16 << 20

// Config is everything the quota service reads at start.
type Config struct {
	config.Common
	// BalanceTTL bounds how stale a cached balance can be if an invalidation is lost.
	BalanceTTL time.Duration `env:"QUOTA_BALANCE_TTL" envDefault:"30s"`
	// RecoveryGrace is how old pending work must be before recovery settles it.
	RecoveryGrace time.Duration `env:"QUOTA_RECOVERY_GRACE" envDefault:"30s"`
	// StaleAfter is how long work may stay unsettled before the checker
	// reports it (recovery should have settled it by then).
	StaleAfter time.Duration `env:"QUOTA_STALE_AFTER" envDefault:"5m"`
	// JobInterval is how often the in-process jobs (expire holds, recover) run.
	JobInterval time.Duration `env:"QUOTA_JOB_INTERVAL" envDefault:"1m"`
	// CheckInterval is how often the service runs the invariant checker (a
	// full read of the journal) to keep bianzhi_ledger_check_ok current; 0 never.
	CheckInterval time.Duration `env:"QUOTA_CHECK_INTERVAL" envDefault:"1h"`
}

// Validate refuses a configuration the service cannot run with, naming the variable at fault.
func (c *Config) Validate() error {
	errs := []error{c.Common.Validate()}
	if c.BalanceTTL < time.Second {
		errs = append(errs, fmt.Errorf("QUOTA_BALANCE_TTL=%s: want at least 1s", c.BalanceTTL))
	}
	if c.RecoveryGrace < 0 {
		errs = append(errs, fmt.Errorf("QUOTA_RECOVERY_GRACE=%s: must not be negative", c.RecoveryGrace))
	}
	if c.StaleAfter <= c.RecoveryGrace {
		errs = append(errs, fmt.Errorf("QUOTA_STALE_AFTER=%s: want more than QUOTA_RECOVERY_GRACE (%s)", c.StaleAfter, c.RecoveryGrace))
	}
	if c.JobInterval < time.Second {
		errs = append(errs, fmt.Errorf("QUOTA_JOB_INTERVAL=%s: want at least 1s", c.JobInterval))
	}
	if c.CheckInterval < 0 {
		errs = append(errs, fmt.Errorf("QUOTA_CHECK_INTERVAL=%s: must not be negative", c.CheckInterval))
	}
	return errors.Join(errs...)
}

// Load reads the configuration from env, or from the process environment when env is nil.
func Load(env map[string]string) (Config, error) {
	var c Config
	if err := config.Load("quota", env, &c); err != nil {
		return c, err
	}
	set := false
	if env != nil {
		_, set = env["MAX_BODY_BYTES"]
	} else {
		_, set = os.LookupEnv("MAX_BODY_BYTES")
	}
	if !set {
		c.MaxBodyBytes = batchBodyBytes
	}
	return c, nil
}

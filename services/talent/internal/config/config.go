// Package config is the talent service's configuration, read from environment variables.
package config

import (
	"errors"
	"fmt"
	"time"

	"github.com/bianzhi/bianzhi/pkg/config"
)

// Config is everything the talent service reads at start.
type Config struct {
	config.Common
	QuotaURL string `env:"QUOTA_URL" envDefault:"http://quota:8080"`
	UnitsURL string `env:"UNITS_URL" envDefault:"http://units:8080"`
	// UnitsCacheTTL is how long a unit's name, region and department read from units are cached: the
	// bound on how long a unit handed over to another region keeps its old scope here.
	UnitsCacheTTL time.Duration `env:"TALENT_UNITS_CACHE_TTL" envDefault:"1m"`
	// HoldTTL is how long an accepted case's hold on a pool post lasts before it lapses.
	HoldTTL time.Duration `env:"TALENT_HOLD_TTL" envDefault:"2160h"`
	// LoanTerm is how long a unit may keep a loaned post before the loan is overdue.
	LoanTerm time.Duration `env:"TALENT_LOAN_TERM" envDefault:"26280h"`
	// StepStaleAfter is how old an unfinished step must be before the job finishes it.
	StepStaleAfter time.Duration `env:"TALENT_STEP_STALE_AFTER" envDefault:"1m"`
	// RecruitedBaseline is the person-times recruited through the pool before this system (the
	// report the system replaces counted 2776); the cumulative report adds it.
	RecruitedBaseline int64 `env:"TALENT_RECRUITED_BASELINE" envDefault:"0"`
	// GatewayURL and ServiceSecret get the talent service its own identity: a service token from the
	// gateway's service-token grant, refreshed before it expires. Talent calls quota under it only.
	GatewayURL    string `env:"GATEWAY_URL" envDefault:"http://gateway:8081"` // the internal listener
	ServiceSecret string `env:"SERVICE_SECRET"`
	// ServiceToken, when set, is used as is instead of the grant (tests and one-off runs).
	ServiceToken string `env:"SERVICE_TOKEN"`
}

// Validate refuses a configuration the service cannot run with, naming the variable at fault.
func (c *Config) Validate() error {
	errs := []error{c.Common.Validate()}
	if err := config.CheckURL("QUOTA_URL", c.QuotaURL); err != nil {
		errs = append(errs, err)
	}
	if err := config.CheckURL("UNITS_URL", c.UnitsURL); err != nil {
		errs = append(errs, err)
	}
	if err := config.CheckURL("GATEWAY_URL", c.GatewayURL); err != nil {
		errs = append(errs, err)
	}
	if c.UnitsCacheTTL <= 0 || c.UnitsCacheTTL > time.Hour {
		errs = append(errs, fmt.Errorf("TALENT_UNITS_CACHE_TTL=%s: want a positive duration up to 1h", c.UnitsCacheTTL))
	}
	if c.HoldTTL < time.Hour || c.HoldTTL > 2*365*24*time.Hour {
		errs = append(errs, fmt.Errorf("TALENT_HOLD_TTL=%s: want 1h to two years", c.HoldTTL))
	}
	if c.LoanTerm < 24*time.Hour {
		errs = append(errs, fmt.Errorf("TALENT_LOAN_TERM=%s: want at least 24h", c.LoanTerm))
	}
	if c.StepStaleAfter <= 0 {
		errs = append(errs, fmt.Errorf("TALENT_STEP_STALE_AFTER=%s: want a positive duration", c.StepStaleAfter))
	}
	if c.RecruitedBaseline < 0 {
		errs = append(errs, fmt.Errorf("TALENT_RECRUITED_BASELINE=%d: want 0 or more", c.RecruitedBaseline))
	}
	return errors.Join(errs...)
}

// Load reads the configuration from env, or from the process environment when env is nil.
func Load(env map[string]string) (Config, error) {
	var c Config
	err := config.Load("talent", env, &c)
	return c, err
}

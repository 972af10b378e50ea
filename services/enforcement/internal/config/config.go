// Package config is the enforcement service's configuration, read from environment variables.
package config

import (
	"errors"

	"github.com/bianzhi/bianzhi/pkg/config"
)

// Config is everything the enforcement service reads at start.
type Config struct {
	config.Common
	UnitsURL string `env:"UNITS_URL" envDefault:"http://units:8080"`
	QuotaURL string `env:"QUOTA_URL" envDefault:"http://quota:8080"`
}

// Validate refuses a configuration the service cannot run with, naming the variable at fault.
func (c *Config) Validate() error {
	errs := []error{c.Common.Validate()}
	if err := config.CheckURL("UNITS_URL", c.UnitsURL); err != nil {
		errs = append(errs, err)
	}
	if err := config.CheckURL("QUOTA_URL", c.QuotaURL); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Load reads the configuration from env, or from the process environment when env is nil.
func Load(env map[string]string) (Config, error) {
	var c Config
	err := config.Load("enforcement", env, &c)
	return c, err
}

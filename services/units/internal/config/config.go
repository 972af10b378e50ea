// Package config is the units service's configuration, read from environment variables.
package config

import (
	"errors"

	"github.com/bianzhi/bianzhi/pkg/config"
)

// Config is everything the units service reads at start.
type Config struct {
	config.Common
	QuotaURL string `env:"QUOTA_URL" envDefault:"http://quota:8080"`
}

// Validate refuses a configuration the service cannot run with, naming the variable at fault.
func (c *Config) Validate() error {
	errs := []error{c.Common.Validate()}
	if err := config.CheckURL("QUOTA_URL", c.QuotaURL); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Load reads the configuration from env, or from the process environment when env is nil.
func Load(env map[string]string) (Config, error) {
	var c Config
	err := config.Load("units", env, &c)
	return c, err
}

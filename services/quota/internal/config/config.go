// Package config is the quota service's configuration, read from environment variables.
package config

import (
	"errors"

	"github.com/bianzhi/bianzhi/pkg/config"
)

// Config is everything the quota service reads at start.
type Config struct {
	config.Common
}

// Validate refuses a configuration the service cannot run with, naming the variable at fault.
func (c *Config) Validate() error {
	errs := []error{c.Common.Validate()}
	return errors.Join(errs...)
}

// Load reads the configuration from env, or from the process environment when env is nil.
func Load(env map[string]string) (Config, error) {
	var c Config
	err := config.Load("quota", env, &c)
	return c, err
}

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
	// GatewayURL and ServiceSecret get the units service its own identity (a service token from
	// the gateway's service-token grant), under which it opens its units' quota accounts and asks
	// quota whether a unit is blocked by a discipline case; everything else it asks quota as the
	// person it acts for. Without either, it calls quota as the person only.
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
	if err := config.CheckURL("GATEWAY_URL", c.GatewayURL); err != nil {
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

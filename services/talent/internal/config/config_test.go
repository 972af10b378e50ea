package config_test

import (
	"strings"
	"testing"

	"github.com/bianzhi/bianzhi/services/talent/internal/config"
)

func TestLoadNamesTheVariableAtFault(t *testing.T) {
	t.Parallel()
	base := map[string]string{"MONGO_DATABASE": "talent"}
	tests := []struct {
		name, key, value, want string
	}{
		{"defaults", "", "", ""},
		{"hold ttl too short", "TALENT_HOLD_TTL", "10m", "TALENT_HOLD_TTL"},
		{"hold ttl too long", "TALENT_HOLD_TTL", "20000h", "TALENT_HOLD_TTL"},
		{"loan term", "TALENT_LOAN_TERM", "1h", "TALENT_LOAN_TERM"},
		{"stale after", "TALENT_STEP_STALE_AFTER", "0s", "TALENT_STEP_STALE_AFTER"},
		{"baseline", "TALENT_RECRUITED_BASELINE", "-1", "TALENT_RECRUITED_BASELINE"},
		{"quota url", "QUOTA_URL", "quota:8080", "QUOTA_URL"},
		{"gateway url", "GATEWAY_URL", "gateway:8080", "GATEWAY_URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			for k, v := range base {
				env[k] = v
			}
			if tc.key != "" {
				env[tc.key] = tc.value
			}
			c, err := config.Load(env)
			if tc.want == "" {
				if err != nil || c.LoanTerm.Hours() != 26280 || c.HoldTTL.Hours() != 2160 {
					t.Fatalf("defaults: %+v %v", c, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error naming %s, got %v", tc.want, err)
			}
		})
	}
}

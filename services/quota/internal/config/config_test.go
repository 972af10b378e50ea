package config

import (
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		body    int64
		errName string // the variable the error must name
	}{
		{"defaults raise the body limit for batches", map[string]string{}, 16 << 20, ""},
		{"an explicit limit wins", map[string]string{"MAX_BODY_BYTES": "65536"}, 65536, ""},
		{"job interval too short", map[string]string{"QUOTA_JOB_INTERVAL": "10ms"}, 0, "QUOTA_JOB_INTERVAL"},
		{"negative grace", map[string]string{"QUOTA_RECOVERY_GRACE": "-1s"}, 0, "QUOTA_RECOVERY_GRACE"},
		{"negative check interval", map[string]string{"QUOTA_CHECK_INTERVAL": "-1h"}, 0, "QUOTA_CHECK_INTERVAL"},
		{"not a duration", map[string]string{"QUOTA_BALANCE_TTL": "soon"}, 0, "QUOTA_BALANCE_TTL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(tc.env)
			if tc.errName != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errName) {
					t.Fatalf("Load error = %v, want one naming %s", err, tc.errName)
				}
				return
			}
			if err != nil || c.MaxBodyBytes != tc.body || c.Service != "quota" {
				t.Fatalf("Load = %+v, %v", c.Common, err)
			}
		})
	}
}

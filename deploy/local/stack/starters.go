package stack

import (
	"context"
	"net/http"
	"time"

	"github.com/bianzhi/bianzhi/pkg/httpserver"
	"github.com/bianzhi/bianzhi/pkg/platform"

	eduhealth "github.com/bianzhi/bianzhi/services/eduhealth/inproc"
	enforcement "github.com/bianzhi/bianzhi/services/enforcement/inproc"
	gateway "github.com/bianzhi/bianzhi/services/gateway/inproc"
	quota "github.com/bianzhi/bianzhi/services/quota/inproc"
	talent "github.com/bianzhi/bianzhi/services/talent/inproc"
	units "github.com/bianzhi/bianzhi/services/units/inproc"
)

type starter func(ctx context.Context, env map[string]string, opts platform.Options) (httpserver.Runner, error)

var starters = map[string]starter{
	"gateway":     gateway.Start,
	"units":       units.Start,
	"quota":       quota.Start,
	"talent":      talent.Start,
	"enforcement": enforcement.Start,
	"eduhealth":   eduhealth.Start,
}

var probe = &http.Client{Timeout: 2 * time.Second}

func httpGet(url string) (int, error) {
	resp, err := probe.Get(url)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

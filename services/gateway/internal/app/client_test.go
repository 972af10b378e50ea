package app_test

import (
	"context"
	"testing"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/platform"
	"github.com/bianzhi/bianzhi/pkg/svcclient"

	"github.com/bianzhi/bianzhi/services/gateway/client"
)

func TestClient(t *testing.T) {
	url, internal := startGatewayInternal(t, map[string]string{"GATEWAY_SERVICE_SECRETS": "nightly:0123456789abcdef"}, platform.Options{})
	ctx := context.Background()
	gw, err := client.New(svcclient.Options{BaseURL: url, Caller: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gw.Login(ctx, "auditor", "wrong-password"); !apperr.Is(err, apperr.CodeUnauthenticated) {
		t.Fatalf("wrong password: %v", err)
	}
	s, err := gw.Login(ctx, "auditor", demoPassword)
	if err != nil || s.User.Roles[0] != auth.RoleAuditor {
		t.Fatalf("login: %+v %v", s, err)
	}
	as := svcclient.WithToken(ctx, s.Token)
	if me, err := gw.Me(as); err != nil || me.Username != "auditor" {
		t.Fatalf("me: %+v %v", me, err)
	}
	if set, err := gw.JWKS(ctx); err != nil || len(set.Keys) != 1 {
		t.Fatalf("jwks: %+v %v", set, err)
	}
	if _, err := gw.Audit(as, client.AuditQuery{Limit: 5}); err != nil {
		t.Fatalf("audit: %v", err)
	}

	// A job's client: no person in the context, so the service token goes out. The grant is served
	// on the internal listener only.
	if _, err := gw.ServiceToken(ctx, "nightly", "0123456789abcdef"); !apperr.Is(err, apperr.CodeNotFound) {
		t.Fatalf("service-token grant through the public door: %v", err)
	}
	in, err := client.New(svcclient.Options{BaseURL: internal, Caller: "nightly"})
	if err != nil {
		t.Fatal(err)
	}
	job, err := client.New(svcclient.Options{BaseURL: url, Caller: "nightly", TokenSource: in.TokenSource("nightly", "0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	me, err := job.Me(ctx)
	if err != nil || me.Username != "svc:nightly" || me.Roles[0] != auth.RoleService {
		t.Fatalf("job identity: %+v %v", me, err)
	}
	if _, err := job.Audit(ctx, client.AuditQuery{}); !apperr.Is(err, apperr.CodeForbidden) {
		t.Fatalf("a service reading the audit: %v", err)
	}
}

package httpapi_test

import (
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/units/internal/httpapi"
)

// TestEveryRouteHasAPolicy: every route the engine serves under /v1 appears in the table that
// Routes returns, with roles and a scope. A route mounted around the policy helper fails here.
func TestEveryRouteHasAPolicy(t *testing.T) {
	t.Parallel()
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	table := httpapi.Routes(e, nil, httpapi.Deps{Service: "units"})
	declared := map[string]httpapi.Policy{}
	for _, r := range table {
		declared[r.Method+" "+r.Path] = r.Policy
	}
	served := 0
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, "/v1/") {
			continue
		}
		served++
		p, ok := declared[r.Method+" "+r.Path]
		if !ok {
			t.Errorf("%s %s is served without a declared policy: register it with auth.Router.Handle in routes.go", r.Method, r.Path)
			continue
		}
		if len(p.Roles) == 0 || p.Scope == "" {
			t.Errorf("%s %s: empty policy %+v", r.Method, r.Path, p)
		}
		for _, role := range p.Roles {
			if !role.Valid() {
				t.Errorf("%s %s: unknown role %q", r.Method, r.Path, role)
			}
		}
		// Writes are never an auditor's, and a unit HR officer changes nothing here.
		if r.Method != "GET" {
			for _, role := range []auth.Role{auth.RoleAuditor, auth.RoleUnitHR} {
				for _, have := range p.Roles {
					if have == role {
						t.Errorf("%s %s: %s may write", r.Method, r.Path, role)
					}
				}
			}
		}
	}
	if served != len(table) || served < 25 {
		t.Fatalf("%d routes served, %d declared", served, len(table))
	}
}

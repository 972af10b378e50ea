package httpapi_test

import (
	"slices"
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
	for _, problem := range auth.Undeclared(e.Routes(), "/v1/", table) {
		t.Errorf("%s: register it with auth.Router.Handle in routes.go", problem)
	}
	served := 0
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, "/v1/") {
			continue
		}
		served++
	}
	// Writes are never an auditor's, and a unit HR officer changes nothing here.
	for _, r := range table {
		if r.Method == "GET" {
			continue
		}
		for _, role := range []auth.Role{auth.RoleAuditor, auth.RoleUnitHR} {
			if slices.Contains(r.Policy.Roles, role) {
				t.Errorf("%s %s: %s may write", r.Method, r.Path, role)
			}
		}
	}
	if served != len(table) || served < 25 {
		t.Fatalf("%d routes served, %d declared", served, len(table))
	}
}

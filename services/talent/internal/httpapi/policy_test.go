package httpapi_test

import (
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"

	"github.com/bianzhi/bianzhi/services/talent/internal/httpapi"
)

// TestEveryRouteHasAPolicy: every route the engine serves under /v1 appears in the table Routes
// returns, with roles and a scope; auditors and county offices change nothing.
func TestEveryRouteHasAPolicy(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	table := httpapi.Routes(e, nil, httpapi.Deps{Service: "talent"})
	for _, problem := range auth.Undeclared(e.Routes(), "/v1/", table) {
		t.Errorf("%s: register it with auth.Router.Handle in routes.go", problem)
	}
	if len(table) != 15 || len(e.Routes()) != len(table) {
		t.Fatalf("%d routes declared, %d served", len(table), len(e.Routes()))
	}
	for _, r := range table {
		if r.Method == "GET" {
			continue
		}
		for _, role := range r.Policy.Roles {
			if role == auth.RoleAuditor || role == auth.RoleCountyAdmin {
				t.Errorf("%s %s: %s may write", r.Method, r.Path, role)
			}
		}
	}
}

package httpapi

import (
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
)

// TestEveryRouteHasAPolicy: every route the engine serves under /v1 appears in the table that
// Routes returns, with roles and a scope. A route mounted around the policy router fails here.
func TestEveryRouteHasAPolicy(t *testing.T) {
	t.Parallel()
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	table := Routes(e, nil, Deps{Service: "quota"})
	declared := map[string]Policy{}
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
		// An auditor never writes; a unit HR officer writes only hires, exits and plans of their
		// own units; region-wide reports, cases and the checker are never a unit's.
		if r.Method != "GET" && slices.Contains(p.Roles, auth.RoleAuditor) {
			t.Errorf("%s %s: an auditor may write", r.Method, r.Path)
		}
		if slices.Contains(p.Roles, auth.RoleUnitHR) {
			unitWrite := p.Scope == ScopeBodyAccounts || p.Scope == ScopePerson
			if r.Method != "GET" && (!unitWrite || !strings.Contains(r.Path, "/incumbents") && !strings.HasSuffix(r.Path, "/plans")) {
				t.Errorf("%s %s: a unit HR officer may write", r.Method, r.Path)
			}
			if strings.Contains(r.Path, "/reports/") || strings.Contains(r.Path, "/cases") || strings.Contains(r.Path, "/checks/") {
				t.Errorf("%s %s: a unit HR officer may read region-wide or discipline data", r.Method, r.Path)
			}
		}
	}
	if served != len(table) || served < 30 {
		t.Fatalf("%d routes served, %d declared", served, len(table))
	}
}

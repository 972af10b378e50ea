package auth_test

import (
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/auth"
)

func TestRouterDeclaresEveryRoute(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	r := auth.NewRouter(e.Group("/v1"), "/v1")
	r.Handle("GET", "/things/:id", auth.Policy{Roles: []auth.Role{auth.RoleCityAdmin}, Scope: "thing"}, func(*gin.Context) {})
	e.GET("/v1/sneaky", func(*gin.Context) {})
	e.GET("/healthz", func(*gin.Context) {})
	if got := r.Routes(); len(got) != 1 || got[0].Path != "/v1/things/:id" {
		t.Fatalf("table %+v", got)
	}
	if p := auth.Undeclared(e.Routes(), "/v1/", r.Routes()); len(p) != 1 || p[0] != "GET /v1/sneaky is served without a declared policy" {
		t.Fatalf("undeclared %q", p)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a route without a policy was registered")
		}
	}()
	r.Handle("GET", "/bare", auth.Policy{}, func(*gin.Context) {})
}

package httpapi

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestOpenAPIDescribesEveryRoute keeps the contract honest: every route
// mounted here is a path of api/openapi.yaml with that method, and every
// /v1 path there is mounted.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	Routes(e, nil, Deps{Service: "quota"})
	spec, err := os.ReadFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Paths are two-space indented keys; methods four-space indented under them.
	documented := map[string]bool{}
	path := ""
	for _, line := range strings.Split(string(spec), "\n") {
		if m := regexp.MustCompile(`^  (/\S+):$`).FindStringSubmatch(line); m != nil {
			path = m[1]
			continue
		}
		if m := regexp.MustCompile(`^    (get|post|put|patch|delete):`).FindStringSubmatch(line); m != nil && path != "" {
			documented[strings.ToUpper(m[1])+" "+path] = true
		}
		if strings.HasPrefix(line, "components:") {
			break
		}
	}
	param := regexp.MustCompile(`:(\w+)`)
	mounted := map[string]bool{}
	for _, r := range e.Routes() {
		key := r.Method + " " + param.ReplaceAllString(r.Path, "{$1}")
		mounted[key] = true
		if !documented[key] {
			t.Errorf("route %s is not in api/openapi.yaml", key)
		}
	}
	for key := range documented {
		if strings.Contains(key, " /v1/") && !mounted[key] {
			t.Errorf("api/openapi.yaml documents %s, which is not mounted", key)
		}
	}
}

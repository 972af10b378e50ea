package httpapi_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/services/units/internal/httpapi"
)

// TestEveryRouteIsInTheContract keeps api/openapi.yaml and routes.go in step: each
// mounted method and path must be documented, and each documented /v1 path mounted.
func TestEveryRouteIsInTheContract(t *testing.T) {
	t.Parallel()
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	httpapi.Routes(e, nil, httpapi.Deps{Service: "units"})
	spec, err := os.ReadFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]map[string]bool{}
	var current string
	pathRE := regexp.MustCompile(`^  (/\S+):\s*$`)
	methodRE := regexp.MustCompile(`^    (get|put|post|delete|patch):`)
	for _, line := range strings.Split(string(spec), "\n") {
		if m := pathRE.FindStringSubmatch(line); m != nil {
			current = m[1]
			documented[current] = map[string]bool{}
		} else if m := methodRE.FindStringSubmatch(line); m != nil && current != "" {
			documented[current][strings.ToUpper(m[1])] = true
		}
	}
	param := regexp.MustCompile(`:(\w+)`)
	mounted := map[string]bool{}
	for _, r := range e.Routes() {
		p := param.ReplaceAllString(r.Path, "{$1}")
		p = strings.ReplaceAll(p, "{unit}", "{id}")
		mounted[r.Method+" "+p] = true
		if !documented[p][r.Method] {
			t.Errorf("%s %s is mounted but not in api/openapi.yaml", r.Method, p)
		}
	}
	if len(mounted) < 25 || len(documented) < 20 {
		t.Fatalf("%d routes mounted, %d paths documented: the scan found too little", len(mounted), len(documented))
	}
	for p, methods := range documented {
		for m := range methods {
			if strings.HasPrefix(p, "/v1/") && !mounted[m+" "+p] {
				t.Errorf("%s %s is documented but not mounted", m, p)
			}
		}
	}
}

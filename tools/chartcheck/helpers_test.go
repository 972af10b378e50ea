package chartcheck

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// The platform's facts the checks compare the charts with (docs/dev/conventions.md).
var (
	services = []string{"gateway", "units", "quota", "talent", "enforcement", "eduhealth"}

	// callGraph: the business calls, plus every service fetching the gateway's JWKS.
	callGraph = CallGraph{
		"gateway":     {"units", "quota", "talent", "enforcement", "eduhealth"},
		"units":       {"quota", "gateway"},
		"quota":       {"gateway"},
		"talent":      {"quota", "units", "gateway"},
		"enforcement": {"units", "quota", "gateway"},
		"eduhealth":   {"units", "quota", "gateway"},
	}

	// cronJobs: the periodic jobs each service's image runs (`<service> <job>`).
	cronJobs = map[string][]string{
		"quota":  {"expire-holds", "recover", "check-ledger"},
		"talent": {"return-loans"},
	}

	egressPorts = []int32{53, 27017, 6379, 4318}
)

// repoRoot is two folders above this file: tools/chartcheck → the repository.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("cannot locate the test file")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

func chartDir(tb testing.TB, name string) string {
	tb.Helper()
	return filepath.Join(repoRoot(tb), "charts", name)
}

var (
	helmOnce sync.Once
	helmBin  Helm
	helmErr  error
)

// helm finds the binary and, once per test run, packages the file:// dependencies
// (library → services → umbrella), which are not committed.
func helm(tb testing.TB) Helm {
	tb.Helper()
	helmOnce.Do(func() {
		helmBin, helmErr = FindHelm()
		if helmErr != nil {
			return
		}
		for _, c := range append(append([]string(nil), services...), "bianzhi") {
			if helmErr = helmBin.DependencyUpdate(filepath.Join(repoRoot(tb), "charts", c)); helmErr != nil {
				return
			}
		}
	})
	if helmErr != nil {
		tb.Fatal(helmErr)
	}
	return helmBin
}

// render renders and strictly decodes; any decoding error fails the test.
func render(tb testing.TB, r Render) Set {
	tb.Helper()
	out, err := helm(tb).Template(r)
	if err != nil {
		tb.Fatal(err)
	}
	objs, err := Decode(out)
	if err != nil {
		tb.Fatalf("strict decoding of %s: %v", r.Chart, err)
	}
	return Set{Objects: objs}
}

func umbrella(tb testing.TB, env string, set ...string) Set {
	tb.Helper()
	r := Render{Chart: chartDir(tb, "bianzhi"), Release: "bianzhi", Namespace: "bianzhi", Set: set}
	if env != "" {
		r.ValuesFiles = []string{filepath.Join(repoRoot(tb), "deploy", "k8s", "values-"+env+".yaml")}
	}
	return render(tb, r)
}

func reportAll(tb testing.TB, what string, errs []error) {
	tb.Helper()
	for _, err := range errs {
		tb.Errorf("%s: %v", what, err)
	}
}

func writeFile(tb testing.TB, dir, name, text string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

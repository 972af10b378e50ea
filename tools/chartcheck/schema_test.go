package chartcheck

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestSchemaRejectsBadValues: a wrong value fails at install time, with a message
// that names the offending field, instead of rendering something else.
func TestSchemaRejectsBadValues(t *testing.T) {
	h := helm(t)
	cases := map[string]string{
		"bad-replicas.yaml":      "replicaCount",
		"bad-latest.yaml":        "tag",
		"bad-unknown-key.yaml":   "replicas",
		"bad-secret-in-env.yaml": "MONGO_URI",
		"bad-log-level.yaml":     "logLevel",
		"bad-cron.yaml":          "schedule",
		"bad-ratio.yaml":         "errorRatio",
	}
	for file, field := range cases {
		t.Run(file, func(t *testing.T) {
			_, err := h.Template(Render{
				Chart: chartDir(t, "bianzhi"), Release: "bianzhi", Namespace: "bianzhi",
				ValuesFiles: []string{filepath.Join("testdata", file)},
			})
			if err == nil {
				t.Fatalf("helm template accepted %s", file)
			}
			if !strings.Contains(err.Error(), "schema") || !strings.Contains(err.Error(), field) {
				t.Fatalf("error does not name the schema and %q:\n%v", field, err)
			}
		})
	}
}

// TestServiceSchemasInSync: the six service charts share one schema, kept in the
// library chart; a copy edited by hand would silently diverge.
func TestServiceSchemasInSync(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile(filepath.Join(chartDir(t, "bianzhi-lib"), "service-values.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range services {
		got, err := os.ReadFile(filepath.Join(chartDir(t, svc), "values.schema.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("charts/%s/values.schema.json differs from charts/bianzhi-lib/service-values.schema.json: run scripts/charts-test.sh sync-schemas", svc)
		}
	}
}

// TestGlobalDefaultsInSync: the umbrella's documented `global:` block and the library's
// fallback defaults must say the same, or a service installed alone would behave
// differently from the same service in the platform.
func TestGlobalDefaultsInSync(t *testing.T) {
	t.Parallel()
	tpl, err := os.ReadFile(filepath.Join(chartDir(t, "bianzhi-lib"), "templates", "_global.tpl"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)define "bianzhi-lib.globalDefaults" -\}\}\n(.*?)\{\{- end`).FindSubmatch(tpl)
	if m == nil {
		t.Fatal("globalDefaults block not found in _global.tpl")
	}
	var lib any
	if err := yaml.Unmarshal(m[1], &lib); err != nil {
		t.Fatal(err)
	}
	vals, err := os.ReadFile(filepath.Join(chartDir(t, "bianzhi"), "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var umbrella struct {
		Global any `json:"global"`
	}
	if err := yaml.Unmarshal(vals, &umbrella); err != nil {
		t.Fatal(err)
	}
	a, _ := yaml.Marshal(lib)
	b, _ := yaml.Marshal(umbrella.Global)
	if !bytes.Equal(a, b) {
		t.Fatalf("library defaults:\n%s\numbrella global:\n%s", a, b)
	}
}

package chartcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// renderNotes renders the umbrella's NOTES.txt. `helm template` never prints NOTES and
// `helm install --dry-run` wants a cluster, so the test copies the chart and wraps the
// notes in a ConfigMap that helm template does print.
func renderNotes(t *testing.T, set ...string) string {
	t.Helper()
	h := helm(t)
	dir := filepath.Join(t.TempDir(), "bianzhi")
	if err := os.CopyFS(dir, os.DirFS(chartDir(t, "bianzhi"))); err != nil {
		t.Fatal(err)
	}
	notes, err := os.ReadFile(filepath.Join(dir, "templates", "NOTES.txt"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "templates"), "_notes_under_test.tpl", `{{- define "notes-under-test" -}}`+string(notes)+`{{- end }}`)
	writeFile(t, filepath.Join(dir, "templates"), "notes-under-test.yaml",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes-under-test\ndata:\n  notes: {{ include \"notes-under-test\" . | toJson }}\n")
	out, err := h.Template(Render{Chart: dir, Release: "bianzhi", Namespace: "bianzhi", Set: set})
	if err != nil {
		t.Fatal(err)
	}
	objs, err := Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, cm := range Of[*corev1.ConfigMap](Set{Objects: objs}) {
		if cm.Name == "notes-under-test" {
			return cm.Data["notes"]
		}
	}
	t.Fatal("the notes ConfigMap was not rendered")
	return ""
}

func TestNotesTellHowToReachThePortal(t *testing.T) {
	cases := []struct {
		name string
		set  []string
		want []string
	}{
		{"port-forward without an ingress", nil, []string{
			"port-forward svc/bianzhi-gateway 8080:8080", "http://localhost:8080/",
			"bianzhi-mongodb (key uri)", "bianzhi-gateway-signing-key (key signing-key.pem)",
		}},
		{"the ingress host with TLS", []string{"gateway.ingress.enabled=true", "gateway.ingress.host=bianzhi.example.gov.cn", "gateway.ingress.tlsSecret=tls"},
			[]string{"https://bianzhi.example.gov.cn/"}},
		{"the redis secret when set", []string{"global.redis.existingSecret=bianzhi-redis"},
			[]string{"bianzhi-redis (key password)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			notes := renderNotes(t, tc.set...)
			for _, w := range tc.want {
				if !strings.Contains(notes, w) {
					t.Errorf("NOTES lack %q:\n%s", w, notes)
				}
			}
		})
	}
}

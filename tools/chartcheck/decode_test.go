package chartcheck

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
)

const goodDeployment = `# Source: x/templates/all.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: 2
  selector:
    matchLabels: {app: d}
  template:
    metadata:
      labels: {app: d}
    spec:
      containers:
        - name: c
          image: x:1
`

func TestDecodeAcceptsAValidStream(t *testing.T) {
	t.Parallel()
	stream := "---\n" + goodDeployment + "---\n# Source: empty.yaml\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {A: b}\n"
	objs, err := Decode([]byte(stream))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 {
		t.Fatalf("got %d objects, want 2 (the empty document is skipped)", len(objs))
	}
	d, ok := objs[0].Value.(*appsv1.Deployment)
	if !ok || *d.Spec.Replicas != 2 || objs[0].Source != "x/templates/all.yaml" {
		t.Fatalf("first object decoded as %#v from %q", objs[0].Value, objs[0].Source)
	}
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, doc, want string
	}{
		{"unknown field", strings.Replace(goodDeployment, "replicas: 2", "replicas: 2\n  replica: 2", 1), `unknown field "spec.replica"`},
		{"wrong type", strings.Replace(goodDeployment, "replicas: 2", `replicas: "two"`, 1), "replicas"},
		{"duplicate key", strings.Replace(goodDeployment, "replicas: 2", "replicas: 2\n  replicas: 3", 1), "replicas"},
		{"field of wrong case", strings.Replace(goodDeployment, "replicas: 2", "Replicas: 2", 1), "Replicas"},
		{"misplaced probe", strings.Replace(goodDeployment, "image: x:1", "image: x:1\n          probe: {}", 1), "probe"},
		{"unknown kind", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n", "not one the charts may render"},
		{"old api version", strings.Replace(goodDeployment, "apps/v1", "extensions/v1beta1", 1), "not one the charts may render"},
		{"no name", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n", "without metadata.name"},
		{"not yaml", "apiVersion: v1\nkind: [\n", "yaml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Decode([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Decode error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestCheckImage(t *testing.T) {
	t.Parallel()
	for image, want := range map[string]string{
		"bianzhi/quota:0.1.0":               "",
		"registry:5000/bianzhi/quota:1.2.3": "",
		"bianzhi/quota@sha256:abcd":         "",
		"bianzhi/quota":                     "has no tag",
		"registry:5000/bianzhi/quota":       "has no tag",
		"bianzhi/quota:latest":              `is tagged "latest"`,
	} {
		if got := checkImage(image); got != want {
			t.Errorf("checkImage(%q) = %q, want %q", image, got, want)
		}
	}
}

package chartcheck

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// Object is one rendered manifest decoded into its typed Go value.
type Object struct {
	GVK    schema.GroupVersionKind
	Name   string
	Source string // the template that produced it, from helm's "# Source:" comment
	Value  any    // a pointer to the typed object, e.g. *appsv1.Deployment
}

// String names the object the way findings do: Kind/name.
func (o Object) String() string { return o.GVK.Kind + "/" + o.Name }

// kinds lists every kind the charts may render. A kind missing here fails the
// decoding: a new kind has to be added deliberately, with its type.
var kinds = map[schema.GroupVersionKind]func() any{
	{Version: "v1", Kind: "ConfigMap"}:                                                    func() any { return &corev1.ConfigMap{} },
	{Version: "v1", Kind: "Service"}:                                                      func() any { return &corev1.Service{} },
	{Version: "v1", Kind: "ServiceAccount"}:                                               func() any { return &corev1.ServiceAccount{} },
	{Group: "apps", Version: "v1", Kind: "Deployment"}:                                    func() any { return &appsv1.Deployment{} },
	{Group: "batch", Version: "v1", Kind: "CronJob"}:                                      func() any { return &batchv1.CronJob{} },
	{Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler"}:                func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	{Group: "policy", Version: "v1", Kind: "PodDisruptionBudget"}:                         func() any { return &policyv1.PodDisruptionBudget{} },
	{Group: "networking.k8s.io", Version: "v1", Kind: "NetworkPolicy"}:                    func() any { return &networkingv1.NetworkPolicy{} },
	{Group: "networking.k8s.io", Version: "v1", Kind: "Ingress"}:                          func() any { return &networkingv1.Ingress{} },
	{Group: monitoringv1.SchemeGroupVersion.Group, Version: "v1", Kind: "ServiceMonitor"}: func() any { return &monitoringv1.ServiceMonitor{} },
	{Group: monitoringv1.SchemeGroupVersion.Group, Version: "v1", Kind: "PrometheusRule"}: func() any { return &monitoringv1.PrometheusRule{} },
}

// Decode splits helm's multi-document output and strictly decodes every document.
// It returns every error it finds, not only the first, so one run shows them all.
func Decode(manifests []byte) ([]Object, error) {
	var objs []Object
	var errs []error
	for i, doc := range splitDocuments(manifests) {
		obj, err := decodeOne(doc)
		if err != nil {
			errs = append(errs, fmt.Errorf("document %d (%s): %w", i+1, sourceOf(doc), err))
			continue
		}
		if obj.Value != nil {
			objs = append(objs, obj)
		}
	}
	return objs, errors.Join(errs...)
}

func decodeOne(doc []byte) (Object, error) {
	// YAMLToJSONStrict refuses duplicate keys, which plain YAML decoding silently merges.
	js, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return Object{}, fmt.Errorf("yaml: %w", err)
	}
	if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
		return Object{}, nil // a template that rendered nothing
	}
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(js, &head); err != nil {
		return Object{}, fmt.Errorf("read apiVersion and kind: %w", err)
	}
	gv, err := schema.ParseGroupVersion(head.APIVersion)
	if err != nil {
		return Object{}, fmt.Errorf("apiVersion %q: %w", head.APIVersion, err)
	}
	gvk := gv.WithKind(head.Kind)
	newObj, ok := kinds[gvk]
	if !ok {
		return Object{}, fmt.Errorf("kind %s is not one the charts may render", gvk)
	}
	v := newObj()
	// UnmarshalStrict is the API server's own strict mode: case-sensitive field
	// names, unknown fields and duplicate fields are errors, wrong types fail.
	strictErrs, err := sigsjson.UnmarshalStrict(js, v)
	if err != nil {
		return Object{}, fmt.Errorf("%s %s: %w", gvk.Kind, head.Metadata.Name, err)
	}
	if len(strictErrs) > 0 {
		return Object{}, fmt.Errorf("%s %s: %w", gvk.Kind, head.Metadata.Name, errors.Join(strictErrs...))
	}
	if head.Metadata.Name == "" {
		return Object{}, fmt.Errorf("%s without metadata.name", gvk.Kind)
	}
	return Object{GVK: gvk, Name: head.Metadata.Name, Source: sourceOf(doc), Value: v}, nil
}

// splitDocuments cuts a YAML stream at its "---" separator lines.
func splitDocuments(stream []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	flush := func() {
		if len(bytes.TrimSpace(cur.Bytes())) > 0 {
			docs = append(docs, append([]byte(nil), cur.Bytes()...))
		}
		cur.Reset()
	}
	for _, line := range bytes.SplitAfter(stream, []byte("\n")) {
		if t := bytes.TrimRight(line, " \r\n"); bytes.Equal(t, []byte("---")) {
			flush()
			continue
		}
		cur.Write(line)
	}
	flush()
	return docs
}

func sourceOf(doc []byte) string {
	for _, line := range strings.Split(string(doc), "\n") {
		if s, ok := strings.CutPrefix(line, "# Source: "); ok {
			return s
		}
	}
	return "unknown template"
}

package chartcheck

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// identitySet is a gateway and a talent Deployment, built by hand: the policy is shown to work
// without helm.
func identitySet(talentEnv string, gatewayURL string) Set {
	fromSecret := func(name, key string) corev1.EnvVar {
		return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: "bianzhi-service-identities"}, Key: key}}}
	}
	dep := func(name string, env corev1.EnvVar) Object {
		d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: name}}
		d.Spec.Template.Spec.Containers = []corev1.Container{{Name: "main", Env: []corev1.EnvVar{env},
			EnvFrom: []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: name}}}}}}
		return Object{GVK: schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}, Name: name, Value: d}
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "bianzhi-talent"}, Data: map[string]string{}}
	if gatewayURL != "" {
		cm.Data["GATEWAY_URL"] = gatewayURL
	}
	return Set{Objects: []Object{
		dep("bianzhi-gateway", fromSecret("GATEWAY_SERVICE_SECRETS", "gateway")),
		dep("bianzhi-talent", fromSecret(talentEnv, "talent")),
		{GVK: schema.GroupVersionKind{Version: "v1", Kind: "ConfigMap"}, Name: cm.Name, Value: cm},
	}}
}

func TestServiceIdentityPolicy(t *testing.T) {
	t.Parallel()
	if errs := CheckServiceIdentities(identitySet("SERVICE_SECRET", "http://bianzhi-gateway:8081")); len(errs) != 0 {
		t.Fatalf("sound wiring refused: %v", errs)
	}
	cases := []struct{ name, env, url, want string }{
		{"raw secret fed as a token", "SERVICE_TOKEN", "http://bianzhi-gateway:8081", "only SERVICE_SECRET"},
		{"grant through the public port", "SERVICE_SECRET", "http://bianzhi-gateway:8080", "internal listener"},
		{"no gateway URL", "SERVICE_SECRET", "", "internal listener"},
	}
	for _, tc := range cases {
		errs := CheckServiceIdentities(identitySet(tc.env, tc.url))
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.want) {
			t.Errorf("%s: %v, want one finding about %q", tc.name, errs, tc.want)
		}
	}
}

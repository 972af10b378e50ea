package chartcheck

import (
	"net/url"

	corev1 "k8s.io/api/core/v1"
)

// CheckServiceIdentities checks how services get their own identity. The Secret keys the
// gateway reads as GATEWAY_SERVICE_SECRETS hold client secrets; a service may read them
// only as SERVICE_SECRET (which it exchanges for a token), never as SERVICE_TOKEN (where a
// signed token is expected: a raw secret there cannot authenticate anything). A workload
// with SERVICE_SECRET needs GATEWAY_URL in its ConfigMap, pointing at the gateway's
// internal listener (port 8081), since the public port does not serve the grant.
func CheckServiceIdentities(s Set) []error {
	identities := map[string]bool{} // Secret names holding client secrets
	for _, w := range s.Workloads() {
		for _, c := range w.Pod.Spec.Containers {
			for _, e := range c.Env {
				if ref := secretRef(e); ref != nil && e.Name == "GATEWAY_SERVICE_SECRETS" {
					identities[ref.Name] = true
				}
			}
		}
	}
	cms := map[string]*corev1.ConfigMap{}
	for _, cm := range Of[*corev1.ConfigMap](s) {
		cms[cm.Name] = cm
	}
	var errs []error
	for _, w := range s.Workloads() {
		for _, c := range w.Pod.Spec.Containers {
			hasSecret := false
			for _, e := range c.Env {
				ref := secretRef(e)
				if ref == nil || !identities[ref.Name] || e.Name == "GATEWAY_SERVICE_SECRETS" {
					continue
				}
				if e.Name != "SERVICE_SECRET" {
					errs = append(errs, finding(w, "container %s reads the client secret %s/%s as %s; only SERVICE_SECRET takes a client secret",
						c.Name, ref.Name, ref.Key, e.Name))
					continue
				}
				hasSecret = true
			}
			if !hasSecret {
				continue
			}
			gw := ""
			for _, from := range c.EnvFrom {
				if from.ConfigMapRef != nil && cms[from.ConfigMapRef.Name] != nil {
					if v, ok := cms[from.ConfigMapRef.Name].Data["GATEWAY_URL"]; ok {
						gw = v
					}
				}
			}
			if u, err := url.Parse(gw); gw == "" || err != nil || u.Port() != "8081" {
				errs = append(errs, finding(w, "container %s has SERVICE_SECRET but GATEWAY_URL %q is not the gateway's internal listener (port 8081)",
					c.Name, gw))
			}
		}
	}
	return errs
}

func secretRef(e corev1.EnvVar) *corev1.SecretKeySelector {
	if e.ValueFrom == nil {
		return nil
	}
	return e.ValueFrom.SecretKeyRef
}

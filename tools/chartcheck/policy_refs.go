package chartcheck

import (
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// CheckReferences verifies that what points at something finds it: Deployment
// selectors their own pods, Services and PDBs some server pods, Service target ports
// a declared container port, HPAs a Deployment, ServiceMonitors a Service port, and
// pods the ConfigMaps and ServiceAccounts they name.
func CheckReferences(s Set) []error {
	var errs []error
	deps := Of[*appsv1.Deployment](s)
	objOf := func(v any) Object {
		for _, o := range s.Objects {
			if o.Value == v {
				return o
			}
		}
		return Object{}
	}

	for _, d := range deps {
		sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
		if err != nil || sel.Empty() {
			errs = append(errs, finding(objOf(d), "selector is empty or invalid: %v", err))
			continue
		}
		if !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
			errs = append(errs, finding(objOf(d), "selector %s does not match its pod labels %v", sel, d.Spec.Template.Labels))
		}
	}

	// podsMatching returns the Deployments whose pods a selector picks.
	podsMatching := func(sel labels.Selector) []*appsv1.Deployment {
		var out []*appsv1.Deployment
		for _, d := range deps {
			if sel.Matches(labels.Set(d.Spec.Template.Labels)) {
				out = append(out, d)
			}
		}
		return out
	}

	for _, svc := range Of[*corev1.Service](s) {
		if len(svc.Spec.Selector) == 0 {
			errs = append(errs, finding(objOf(svc), "has no selector"))
			continue
		}
		picked := podsMatching(labels.SelectorFromSet(svc.Spec.Selector))
		if len(picked) != 1 {
			errs = append(errs, finding(objOf(svc), "selector %v picks %d Deployments, want exactly 1", svc.Spec.Selector, len(picked)))
			continue
		}
		for _, p := range svc.Spec.Ports {
			if !podHasPort(picked[0].Spec.Template.Spec, p.TargetPort) {
				errs = append(errs, finding(objOf(svc), "port %s targets %s, which %s does not declare", p.Name, p.TargetPort.String(), picked[0].Name))
			}
		}
	}

	for _, pdb := range Of[*policyv1.PodDisruptionBudget](s) {
		sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
		if err != nil || sel.Empty() || len(podsMatching(sel)) != 1 {
			errs = append(errs, finding(objOf(pdb), "selector does not pick exactly one Deployment's pods"))
		}
	}

	deployByName := map[string]*appsv1.Deployment{}
	for _, d := range deps {
		deployByName[d.Name] = d
	}
	for _, hpa := range Of[*autoscalingv2.HorizontalPodAutoscaler](s) {
		ref := hpa.Spec.ScaleTargetRef
		d, ok := deployByName[ref.Name]
		if ref.Kind != "Deployment" || ref.APIVersion != "apps/v1" || !ok {
			errs = append(errs, finding(objOf(hpa), "scales %s %s/%s, which is not rendered", ref.APIVersion, ref.Kind, ref.Name))
			continue
		}
		if d.Spec.Replicas != nil {
			errs = append(errs, finding(objOf(hpa), "its Deployment also fixes replicas, so every upgrade would undo the autoscaler"))
		}
		if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas > hpa.Spec.MaxReplicas {
			errs = append(errs, finding(objOf(hpa), "minReplicas is unset or above maxReplicas"))
		}
	}

	services := Of[*corev1.Service](s)
	for _, sm := range Of[*monitoringv1.ServiceMonitor](s) {
		sel, err := metav1.LabelSelectorAsSelector(&sm.Spec.Selector)
		if err != nil || sel.Empty() {
			errs = append(errs, finding(objOf(sm), "selector is empty or invalid"))
			continue
		}
		var hit *corev1.Service
		for _, svc := range services {
			if sel.Matches(labels.Set(svc.Labels)) {
				if hit != nil {
					errs = append(errs, finding(objOf(sm), "selects more than one Service"))
				}
				hit = svc
			}
		}
		if hit == nil {
			errs = append(errs, finding(objOf(sm), "selects no Service"))
			continue
		}
		for _, ep := range sm.Spec.Endpoints {
			if !serviceHasPortName(hit, ep.Port) {
				errs = append(errs, finding(objOf(sm), "endpoint port %q is not a port of Service %s", ep.Port, hit.Name))
			}
		}
	}

	for _, w := range s.Workloads() {
		spec := w.Pod.Spec
		if spec.ServiceAccountName != "" && !s.Has("ServiceAccount", spec.ServiceAccountName) {
			errs = append(errs, finding(w, "uses ServiceAccount %s, which is not rendered", spec.ServiceAccountName))
		}
		for _, c := range spec.Containers {
			for _, ef := range c.EnvFrom {
				if ef.ConfigMapRef != nil && !s.Has("ConfigMap", ef.ConfigMapRef.Name) {
					errs = append(errs, finding(w, "reads ConfigMap %s, which is not rendered", ef.ConfigMapRef.Name))
				}
			}
		}
	}
	return errs
}

func podHasPort(spec corev1.PodSpec, port intstr.IntOrString) bool {
	for _, c := range spec.Containers {
		if containerHasPort(c, port) {
			return true
		}
	}
	return false
}

func serviceHasPortName(svc *corev1.Service, name string) bool {
	for _, p := range svc.Spec.Ports {
		if p.Name == name {
			return true
		}
	}
	return false
}

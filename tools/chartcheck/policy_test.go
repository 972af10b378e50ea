package chartcheck

import (
	"slices"
	"strings"
	"sync"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var (
	renderedOnce sync.Once
	rendered     []byte
)

// freshPlatform decodes a new copy of the default rendering, for a test to break.
func freshPlatform(t *testing.T) Set {
	t.Helper()
	h := helm(t)
	renderedOnce.Do(func() {
		out, err := h.Template(Render{Chart: chartDir(t, "bianzhi"), Release: "bianzhi", Namespace: "bianzhi"})
		if err != nil {
			t.Fatal(err)
		}
		rendered = out
	})
	objs, err := Decode(rendered)
	if err != nil {
		t.Fatal(err)
	}
	return Set{Objects: objs}
}

func deployment(s Set, svc string) *appsv1.Deployment {
	for _, d := range Of[*appsv1.Deployment](s) {
		if d.Name == "bianzhi-"+svc {
			return d
		}
	}
	return nil
}

func policyOf(s Set, svc string) *networkingv1.NetworkPolicy {
	for _, p := range Of[*networkingv1.NetworkPolicy](s) {
		if p.Name == "bianzhi-"+svc {
			return p
		}
	}
	return nil
}

// TestPoliciesCatchViolations breaks one rendered object at a time and expects the
// matching finding: each policy is shown to fail when it should.
func TestPoliciesCatchViolations(t *testing.T) {
	yes, no := true, false
	checks := map[string]func(Set) []error{
		"pods":       CheckPods,
		"references": CheckReferences,
		"network": func(s Set) []error {
			return CheckNetwork(s, "bianzhi", callGraph, Endpoint{Namespace: map[string]string{"kubernetes.io/metadata.name": "x"}, Pod: map[string]string{}}, []string{"gateway"}, egressPorts)
		},
	}
	cases := []struct {
		name, check, want string
		breakIt           func(Set)
	}{
		{"no readiness probe", "pods", "no readiness probe", func(s Set) {
			deployment(s, "quota").Spec.Template.Spec.Containers[0].ReadinessProbe = nil
		}},
		{"liveness on readyz", "pods", "liveness probe must call /healthz", func(s Set) {
			deployment(s, "units").Spec.Template.Spec.Containers[0].LivenessProbe.HTTPGet.Path = "/readyz"
		}},
		{"probe on an undeclared port", "pods", "does not declare", func(s Set) {
			deployment(s, "units").Spec.Template.Spec.Containers[0].StartupProbe.HTTPGet.Port = intstr.FromString("admin")
		}},
		{"writable root filesystem", "pods", "readOnlyRootFilesystem", func(s Set) {
			deployment(s, "talent").Spec.Template.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem = &no
		}},
		{"privilege escalation in a job", "pods", "allowPrivilegeEscalation", func(s Set) {
			Of[*batchv1.CronJob](s)[0].Spec.JobTemplate.Spec.Template.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation = &yes
		}},
		{"capability added", "pods", "capabilities add", func(s Set) {
			c := deployment(s, "gateway").Spec.Template.Spec.Containers[0].SecurityContext.Capabilities
			c.Add = []corev1.Capability{"NET_ADMIN"}
		}},
		{"root allowed", "pods", "runAsNonRoot", func(s Set) {
			deployment(s, "eduhealth").Spec.Template.Spec.SecurityContext.RunAsNonRoot = &no
		}},
		{"no seccomp", "pods", "seccompProfile", func(s Set) {
			deployment(s, "eduhealth").Spec.Template.Spec.SecurityContext.SeccompProfile = nil
		}},
		{"no memory limit", "pods", "limits must set memory", func(s Set) {
			delete(deployment(s, "enforcement").Spec.Template.Spec.Containers[0].Resources.Limits, corev1.ResourceMemory)
		}},
		{"latest tag", "pods", `tagged "latest"`, func(s Set) {
			deployment(s, "quota").Spec.Template.Spec.Containers[0].Image = "bianzhi/quota:latest"
		}},
		{"token mounted", "pods", "service account token", func(s Set) {
			deployment(s, "quota").Spec.Template.Spec.AutomountServiceAccountToken = nil
		}},
		{"selector misses the pods", "references", "does not match its pod labels", func(s Set) {
			deployment(s, "units").Spec.Selector.MatchLabels["app.kubernetes.io/component"] = "web"
		}},
		{"service targets a missing port", "references", "does not declare", func(s Set) {
			for _, svc := range Of[*corev1.Service](s) {
				svc.Spec.Ports[0].TargetPort = intstr.FromString("grpc")
			}
		}},
		{"HPA on a missing Deployment", "references", "not rendered", func(s Set) {
			Of[*autoscalingv2.HorizontalPodAutoscaler](s)[0].Spec.ScaleTargetRef.Name = "bianzhi-ghost"
		}},
		{"HPA and fixed replicas", "references", "undo the autoscaler", func(s Set) {
			n := int32(2)
			deployment(s, "gateway").Spec.Replicas = &n
		}},
		{"ServiceMonitor on a missing port", "references", "not a port of Service", func(s Set) {
			Of[*monitoringv1.ServiceMonitor](s)[0].Spec.Endpoints[0].Port = "metrics"
		}},
		{"missing ServiceAccount", "references", "ServiceAccount", func(s Set) {
			deployment(s, "talent").Spec.Template.Spec.ServiceAccountName = "default-ish"
		}},
		{"talent open to every source", "network", "another namespace -> talent allowed=true", func(s Set) {
			policyOf(s, "talent").Spec.Ingress[0].From = nil
		}},
		{"units loses its egress to quota", "network", "units -> quota allowed=false", func(s Set) {
			// Drop the rule that lets units reach its callees (quota), not its egress to the
			// gateway's internal listener (units has a service identity).
			p := policyOf(s, "units")
			var kept []networkingv1.NetworkPolicyEgressRule
			for _, r := range p.Spec.Egress {
				toQuota := false
				for _, peer := range r.To {
					if peer.PodSelector == nil {
						continue
					}
					for _, e := range peer.PodSelector.MatchExpressions {
						toQuota = toQuota || slices.Contains(e.Values, "quota")
					}
				}
				if !toQuota {
					kept = append(kept, r)
				}
			}
			p.Spec.Egress = kept
		}},
		{"egress to any port", "network", "opens every port", func(s Set) {
			p := policyOf(s, "quota")
			p.Spec.Egress = append(p.Spec.Egress, networkingv1.NetworkPolicyEgressRule{})
		}},
		{"egress to ssh", "network", "beyond the release", func(s Set) {
			port := intstr.FromInt32(22)
			p := policyOf(s, "quota")
			p.Spec.Egress = append(p.Spec.Egress, networkingv1.NetworkPolicyEgressRule{Ports: []networkingv1.NetworkPolicyPort{{Port: &port}}})
		}},
		{"a workload without policy", "network", "not covered by a NetworkPolicy", func(s Set) {
			Of[*batchv1.CronJob](s)[0].Spec.JobTemplate.Spec.Template.Labels = map[string]string{"app": "stray"}
		}},
		{"quota reachable from outside", "network", "another namespace -> quota allowed=true", func(s Set) {
			p := policyOf(s, "quota")
			p.Spec.Ingress = append(p.Spec.Ingress, networkingv1.NetworkPolicyIngressRule{})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := freshPlatform(t)
			if errs := checks[tc.check](s); len(errs) != 0 {
				t.Fatalf("the unbroken platform already fails %s: %v", tc.check, errs)
			}
			tc.breakIt(s)
			errs := checks[tc.check](s)
			for _, err := range errs {
				if strings.Contains(err.Error(), tc.want) {
					return
				}
			}
			t.Fatalf("no finding contains %q; got %v", tc.want, errs)
		})
	}
}

func TestMonitoringChecksCatchViolations(t *testing.T) {
	known := Metrics{"bianzhi_ledger_check_ok": true}
	if bad := known.unknownMetrics(`min(bianzhi_ledger_check_okay{service="bianzhi_x"}) + rate(bianzhi_ledger_check_ok[5m])`); len(bad) != 1 || bad[0] != "bianzhi_ledger_check_okay" {
		t.Fatalf("unknownMetrics = %v, want only the misspelt metric (quoted label values are not metrics)", bad)
	}

	s := freshPlatform(t)
	pr := Of[*monitoringv1.PrometheusRule](s)[0]
	r := &pr.Spec.Groups[0].Rules[0]
	r.Alert = "BianzhiNoSuchRunbook"
	r.Annotations["runbook_url"] = "https://example.invalid/BianzhiNoSuchRunbook.md"
	delete(r.Labels, "severity")
	errs := CheckAlerts(s, "../../docs/runbooks", Metrics{})
	for _, want := range []string{"runbook BianzhiNoSuchRunbook.md is missing", "severity", "queries metrics no service exports"} {
		found := false
		for _, err := range errs {
			found = found || strings.Contains(err.Error(), want)
		}
		if !found {
			t.Errorf("CheckAlerts missed %q: %v", want, errs)
		}
	}

	for _, cm := range Of[*corev1.ConfigMap](s) {
		if cm.Labels["grafana_dashboard"] != "" {
			cm.Data["broken.json"] = "{not json"
		}
	}
	if _, errs := CheckDashboards(s, "grafana_dashboard", Metrics{}); len(errs) < 2 {
		t.Errorf("CheckDashboards found %d problems in a broken dashboard and one with unknown metrics: %v", len(errs), errs)
	}
}

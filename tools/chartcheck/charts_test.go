package chartcheck

import (
	"path/filepath"
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

func TestChartsLintStrict(t *testing.T) {
	h := helm(t)
	for _, c := range append([]string{"bianzhi-lib", "bianzhi"}, services...) {
		t.Run(c, func(t *testing.T) {
			if out, err := h.Lint(chartDir(t, c)); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
	for _, env := range []string{"dev", "prod"} {
		t.Run("bianzhi with "+env, func(t *testing.T) {
			f := filepath.Join(repoRoot(t), "deploy", "k8s", "values-"+env+".yaml")
			if out, err := h.Lint(chartDir(t, "bianzhi"), f); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
		})
	}
}

// TestUmbrellaRendersValid is the main gate: the whole platform, with the default,
// dev and prod values, decodes strictly and passes every policy.
func TestUmbrellaRendersValid(t *testing.T) {
	known, err := MetricsFromConventions(filepath.Join(repoRoot(t), "docs", "dev", "conventions.md"))
	if err != nil {
		t.Fatal(err)
	}
	ingressController := Endpoint{
		Namespace: map[string]string{"kubernetes.io/metadata.name": "ingress-nginx"},
		Pod:       map[string]string{"app.kubernetes.io/name": "ingress-nginx"},
	}
	for _, env := range []string{"", "dev", "prod"} {
		name := env
		if name == "" {
			name = "defaults"
		}
		t.Run(name, func(t *testing.T) {
			s := umbrella(t, env)
			reportAll(t, "pods", CheckPods(s))
			reportAll(t, "references", CheckReferences(s))
			reportAll(t, "service identities", CheckServiceIdentities(s))
			reportAll(t, "network", CheckNetwork(s, "bianzhi", callGraph, ingressController, []string{"gateway"}, egressPorts))
			reportAll(t, "alerts", CheckAlerts(s, filepath.Join(repoRoot(t), "docs", "runbooks"), known))
			n, errs := CheckDashboards(s, "grafana_dashboard", known)
			reportAll(t, "dashboards", errs)

			wantEach := map[string]int{"Deployment": 6, "Service": 6, "ServiceAccount": 6, "NetworkPolicy": 6, "ServiceMonitor": 6, "PrometheusRule": 1, "CronJob": 4}
			// dev turns autoscaling and the PDBs off for its single replicas.
			wantEach["HorizontalPodAutoscaler"], wantEach["PodDisruptionBudget"] = 6, 6
			if env == "dev" {
				wantEach["HorizontalPodAutoscaler"], wantEach["PodDisruptionBudget"] = 0, 0
			}
			wantEach["Ingress"] = 0
			if env != "" {
				wantEach["Ingress"] = 1
			}
			for kind, want := range wantEach {
				if got := s.Count(kind); got != want {
					t.Errorf("%d %s rendered, want %d", got, kind, want)
				}
			}
			if n != 1 {
				t.Errorf("%d dashboards rendered, want 1", n)
			}
			checkPlatformWiring(t, s)
		})
	}
}

// checkPlatformWiring compares the rendered settings with the conventions: every
// service has its ConfigMap with the gateway's JWKS URL and a URL per callee, the
// gateway its signing key, and the periodic jobs run the right subcommands.
func checkPlatformWiring(t *testing.T, s Set) {
	t.Helper()
	cms := map[string]*corev1.ConfigMap{}
	for _, cm := range Of[*corev1.ConfigMap](s) {
		cms[cm.Name] = cm
	}
	for _, svc := range services {
		cm := cms["bianzhi-"+svc]
		if cm == nil {
			t.Errorf("no ConfigMap bianzhi-%s", svc)
			continue
		}
		if got := cm.Data["AUTH_JWKS_URL"]; got != "http://bianzhi-gateway:8080/api/v1/auth/jwks" {
			t.Errorf("%s AUTH_JWKS_URL = %q", svc, got)
		}
		if cm.Data["HTTP_ADDR"] != ":8080" || cm.Data["MONGO_DATABASE"] != svc {
			t.Errorf("%s HTTP_ADDR=%q MONGO_DATABASE=%q", svc, cm.Data["HTTP_ADDR"], cm.Data["MONGO_DATABASE"])
		}
		for _, callee := range callGraph[svc] {
			if callee == "gateway" {
				continue // reached through AUTH_JWKS_URL
			}
			key := map[string]string{"units": "UNITS_URL", "quota": "QUOTA_URL", "talent": "TALENT_URL", "enforcement": "ENFORCEMENT_URL", "eduhealth": "EDUHEALTH_URL"}[callee]
			if got := cm.Data[key]; got != "http://bianzhi-"+callee+":8080" {
				t.Errorf("%s %s = %q", svc, key, got)
			}
		}
		for k := range cm.Data {
			if k == "MONGO_URI" || k == "REDIS_PASSWORD" || k == "GATEWAY_SERVICE_SECRETS" || k == "SERVICE_TOKEN" {
				t.Errorf("%s ConfigMap carries the secret %s", svc, k)
			}
		}
	}
	for _, d := range Of[*appsv1.Deployment](s) {
		c := d.Spec.Template.Spec.Containers[0]
		if !hasSecretEnv(c, "MONGO_URI") {
			t.Errorf("%s does not read MONGO_URI from a Secret", d.Name)
		}
		if d.Name == "bianzhi-gateway" && !hasSecretEnv(c, "GATEWAY_SERVICE_SECRETS") {
			t.Errorf("the gateway does not read GATEWAY_SERVICE_SECRETS from a Secret")
		}
		hasKey := cms[d.Name].Data["GATEWAY_SIGNING_KEY_FILE"] != ""
		if hasKey != (d.Name == "bianzhi-gateway") {
			t.Errorf("%s GATEWAY_SIGNING_KEY_FILE set = %v", d.Name, hasKey)
		}
	}
	got := map[string][]string{}
	for _, cj := range Of[*batchv1.CronJob](s) {
		c := cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0]
		svc := cj.Spec.JobTemplate.Spec.Template.Labels["app.kubernetes.io/name"]
		if len(c.Args) != 1 || cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
			t.Errorf("CronJob %s: args %v, concurrency %s", cj.Name, c.Args, cj.Spec.ConcurrencyPolicy)
			continue
		}
		if c.Image != d0image(s, svc) {
			t.Errorf("CronJob %s runs %s, not its service's image", cj.Name, c.Image)
		}
		got[svc] = append(got[svc], c.Args[0])
	}
	for svc, want := range cronJobs {
		if !slices.Equal(got[svc], want) {
			t.Errorf("%s jobs = %v, want %v", svc, got[svc], want)
		}
	}
}

func d0image(s Set, svc string) string {
	for _, d := range Of[*appsv1.Deployment](s) {
		if d.Spec.Template.Labels["app.kubernetes.io/name"] == svc {
			return d.Spec.Template.Spec.Containers[0].Image
		}
	}
	return ""
}

func hasSecretEnv(c corev1.Container, name string) bool {
	for _, e := range c.Env {
		if e.Name == name && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			return true
		}
	}
	return false
}

// TestServiceChartsRenderAlone: each service chart installs by itself too (a trial of
// one service), relying on the library's global defaults.
func TestServiceChartsRenderAlone(t *testing.T) {
	for _, svc := range services {
		t.Run(svc, func(t *testing.T) {
			s := render(t, Render{Chart: chartDir(t, svc), Release: "trial", Namespace: "trial"})
			reportAll(t, "pods", CheckPods(s))
			reportAll(t, "references", CheckReferences(s))
			if s.Count("Deployment") != 1 || s.Count("NetworkPolicy") != 1 || s.Count("ServiceMonitor") != 1 {
				t.Errorf("rendered %d Deployments, %d NetworkPolicies, %d ServiceMonitors; want 1 each",
					s.Count("Deployment"), s.Count("NetworkPolicy"), s.Count("ServiceMonitor"))
			}
		})
	}
}

// TestWithoutPrometheusOperator: a cluster without the operator's API gets no
// ServiceMonitor or PrometheusRule, rather than a failed install.
func TestWithoutPrometheusOperator(t *testing.T) {
	s := render(t, Render{Chart: chartDir(t, "bianzhi"), Release: "bianzhi", Namespace: "bianzhi", NoMonitoring: true})
	if n := s.Count("ServiceMonitor") + s.Count("PrometheusRule"); n != 0 {
		t.Fatalf("%d monitoring objects rendered without the operator's API", n)
	}
	if s.Count("Deployment") != 6 {
		t.Fatalf("%d Deployments, want 6", s.Count("Deployment"))
	}
}

// TestSwitchesTurnThingsOff: the operator's off switches work through the library's
// global defaults (mergeOverwrite alone would ignore a false).
func TestSwitchesTurnThingsOff(t *testing.T) {
	s := umbrella(t, "", "global.networkPolicy.enabled=false", "global.serviceMonitor.enabled=false",
		"monitoring.rules.enabled=false", "monitoring.dashboards.enabled=false")
	for _, kind := range []string{"NetworkPolicy", "ServiceMonitor", "PrometheusRule"} {
		if n := s.Count(kind); n != 0 {
			t.Errorf("%d %s rendered after switching them off", n, kind)
		}
	}
	if s.Count("ConfigMap") != 6 {
		t.Errorf("%d ConfigMaps, want the 6 services' only (no dashboard)", s.Count("ConfigMap"))
	}
	// And the policy check notices that the workloads are now open.
	if errs := CheckNetwork(s, "bianzhi", callGraph, Endpoint{}, []string{"gateway"}, egressPorts); len(errs) == 0 {
		t.Error("CheckNetwork found nothing wrong with no NetworkPolicy at all")
	}
}

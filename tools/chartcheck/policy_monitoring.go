package chartcheck

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	corev1 "k8s.io/api/core/v1"
)

// Metrics is the set of metric names a dashboard or alert may query.
type Metrics map[string]bool

// externalMetrics are the names that come from outside the services: the Go and
// process collectors of client_golang, Prometheus itself and kube-state-metrics.
var externalMetrics = []string{
	"up", "go_goroutines", "go_memstats_heap_inuse_bytes", "go_gc_duration_seconds_sum",
	"go_gc_duration_seconds_count", "process_cpu_seconds_total", "process_resident_memory_bytes",
	"kube_deployment_spec_replicas", "kube_deployment_status_replicas_available", "kube_job_status_failed",
}

var bianzhiMetric = regexp.MustCompile(`\bbianzhi_[a-z0-9_]+`)

// MetricsFromConventions reads the metric names from docs/dev/conventions.md, the
// contract the services implement, so a dashboard cannot drift to a name no service
// exports. Histograms (…_seconds) also give their _bucket, _sum and _count series.
func MetricsFromConventions(conventionsPath string) (Metrics, error) {
	b, err := os.ReadFile(conventionsPath)
	if err != nil {
		return nil, fmt.Errorf("read conventions: %w", err)
	}
	m := Metrics{}
	for _, name := range externalMetrics {
		m[name] = true
	}
	for _, name := range bianzhiMetric.FindAllString(string(b), -1) {
		m[name] = true
		if strings.HasSuffix(name, "_seconds") {
			m[name+"_bucket"], m[name+"_sum"], m[name+"_count"] = true, true, true
		}
	}
	return m, nil
}

var promIdent = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)

// unknownMetrics lists the metric-like names of a PromQL expression that are not in
// the set. Label names, functions and keywords are not metric-like: only names with a
// known metric prefix are looked at.
func (m Metrics) unknownMetrics(expr string) []string {
	var bad []string
	for _, id := range promIdent.FindAllString(stripQuoted(expr), -1) {
		metricLike := id == "up" || strings.HasPrefix(id, "bianzhi_") || strings.HasPrefix(id, "go_") ||
			strings.HasPrefix(id, "process_") || strings.HasPrefix(id, "kube_")
		if metricLike && !m[id] && !slices.Contains(bad, id) {
			bad = append(bad, id)
		}
	}
	return bad
}

var quoted = regexp.MustCompile(`"[^"]*"`)

func stripQuoted(s string) string { return quoted.ReplaceAllString(s, `""`) }

// CheckAlerts verifies every alerting rule: known metrics only, a severity, a summary
// and a runbook_url whose file exists in runbookDir.
func CheckAlerts(s Set, runbookDir string, known Metrics) []error {
	var errs []error
	for _, o := range s.Objects {
		pr, ok := o.Value.(*monitoringv1.PrometheusRule)
		if !ok {
			continue
		}
		for _, g := range pr.Spec.Groups {
			for _, r := range g.Rules {
				if r.Alert == "" {
					continue
				}
				sub := stringer(o.String() + " alert " + r.Alert)
				if bad := known.unknownMetrics(r.Expr.String()); len(bad) > 0 {
					errs = append(errs, finding(sub, "queries metrics no service exports: %v", bad))
				}
				if r.Labels["severity"] != "critical" && r.Labels["severity"] != "warning" {
					errs = append(errs, finding(sub, "severity must be critical or warning"))
				}
				if r.Annotations["summary"] == "" {
					errs = append(errs, finding(sub, "no summary"))
				}
				url := r.Annotations["runbook_url"]
				if path.Base(url) != r.Alert+".md" {
					errs = append(errs, finding(sub, "runbook_url %q does not name %s.md", url, r.Alert))
				} else if _, err := os.Stat(filepath.Join(runbookDir, r.Alert+".md")); err != nil {
					errs = append(errs, finding(sub, "runbook %s.md is missing from %s", r.Alert, runbookDir))
				}
			}
		}
	}
	return errs
}

// CheckDashboards parses every ConfigMap carrying the Grafana sidecar label: each data
// entry must be dashboard JSON whose queries use known metrics only.
func CheckDashboards(s Set, sidecarLabel string, known Metrics) (dashboards int, errs []error) {
	for _, o := range s.Objects {
		cm, ok := o.Value.(*corev1.ConfigMap)
		if !ok || cm.Labels[sidecarLabel] == "" {
			continue
		}
		for key, text := range cm.Data {
			var d map[string]any
			if err := json.Unmarshal([]byte(text), &d); err != nil {
				errs = append(errs, finding(o, "%s is not JSON: %v", key, err))
				continue
			}
			dashboards++
			if d["uid"] == nil || d["title"] == nil {
				errs = append(errs, finding(o, "%s has no uid or title", key))
			}
			exprs := collectExprs(d)
			if len(exprs) == 0 {
				errs = append(errs, finding(o, "%s has no queries", key))
			}
			for _, e := range exprs {
				if bad := known.unknownMetrics(e); len(bad) > 0 {
					errs = append(errs, finding(o, "%s queries metrics no service exports: %v in %q", key, bad, e))
				}
			}
		}
	}
	return dashboards, errs
}

func collectExprs(v any) []string {
	var out []string
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if s, ok := x.(string); ok && (k == "expr" || k == "query") {
				out = append(out, s)
			} else {
				out = append(out, collectExprs(x)...)
			}
		}
	case []any:
		for _, x := range t {
			out = append(out, collectExprs(x)...)
		}
	}
	return out
}

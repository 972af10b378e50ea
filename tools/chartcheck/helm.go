package chartcheck

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// KubeVersion is the Kubernetes version the charts are rendered for. A `go install`ed
// helm has no version stamped in and would otherwise assume Kubernetes 1.20.
const KubeVersion = "1.34.0"

// MonitoringAPIs are announced to helm so that the Prometheus-operator objects render,
// as they would on a cluster with kube-prometheus-stack installed.
var MonitoringAPIs = []string{
	"monitoring.coreos.com/v1/ServiceMonitor",
	"monitoring.coreos.com/v1/PrometheusRule",
}

// Helm runs the helm binary.
type Helm struct{ Bin string }

// FindHelm looks for helm in $HELM, then $PATH, then the Go bin folder where
// `go install helm.sh/helm/v3/cmd/helm@v3.22.0` puts it.
func FindHelm() (Helm, error) {
	if p := os.Getenv("HELM"); p != "" {
		return Helm{Bin: p}, nil
	}
	if p, err := exec.LookPath("helm"); err == nil {
		return Helm{Bin: p}, nil
	}
	var dirs []string
	if gobin := os.Getenv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, p := range filepath.SplitList(strings.TrimSpace(string(out))) {
			dirs = append(dirs, filepath.Join(p, "bin"))
		}
	}
	for _, d := range dirs {
		p := filepath.Join(d, "helm")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return Helm{Bin: p}, nil
		}
	}
	return Helm{}, errors.New("helm not found in $HELM, $PATH or the Go bin folder: run scripts/helm.sh (make helm)")
}

func (h Helm) run(args ...string) ([]byte, error) {
	cmd := exec.Command(h.Bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("helm %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes(), nil
}

// DependencyUpdate packages a chart's file:// dependencies into its charts/ folder.
func (h Helm) DependencyUpdate(chartDir string) error {
	_, err := h.run("dependency", "update", "--skip-refresh", chartDir)
	return err
}

// Lint runs `helm lint --strict`, where a warning fails too.
func (h Helm) Lint(chartDir string, valuesFiles ...string) ([]byte, error) {
	args := []string{"lint", "--strict", "--kube-version", KubeVersion, chartDir}
	for _, f := range valuesFiles {
		args = append(args, "-f", f)
	}
	return h.run(args...)
}

// Render is one `helm template` call.
type Render struct {
	Chart        string
	Release      string
	Namespace    string
	ValuesFiles  []string
	Set          []string // --set key=value
	NoMonitoring bool     // render as on a cluster without the Prometheus operator
}

// Template renders the chart and returns helm's output stream.
func (h Helm) Template(r Render) ([]byte, error) {
	args := []string{"template", r.Release, r.Chart, "--namespace", r.Namespace, "--kube-version", KubeVersion}
	if !r.NoMonitoring {
		for _, api := range MonitoringAPIs {
			args = append(args, "--api-versions", api)
		}
	}
	for _, f := range r.ValuesFiles {
		args = append(args, "-f", f)
	}
	for _, s := range r.Set {
		args = append(args, "--set", s)
	}
	return h.run(args...)
}

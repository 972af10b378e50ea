package chartcheck

import (
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// CheckPods applies the pod-level policies to every workload: the restricted Pod
// Security Standard, resources, images pinned to a tag, and (for long-running
// servers) the three probes on ports that exist.
func CheckPods(s Set) []error {
	var errs []error
	for _, w := range s.Workloads() {
		_, server := w.Owner.Value.(*appsv1.Deployment)
		errs = append(errs, checkPodSecurity(w)...)
		for _, c := range w.Pod.Spec.Containers {
			errs = append(errs, checkContainer(w, c, server)...)
		}
		if len(w.Pod.Spec.InitContainers) > 0 {
			errs = append(errs, finding(w, "init containers are not expected; they escape the checks"))
		}
	}
	return errs
}

func checkPodSecurity(w Workload) []error {
	var errs []error
	spec := w.Pod.Spec
	psc := spec.SecurityContext
	if psc == nil {
		return []error{finding(w, "no pod securityContext")}
	}
	if psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		errs = append(errs, finding(w, "pod runAsNonRoot is not true"))
	}
	if psc.RunAsUser != nil && *psc.RunAsUser == 0 {
		errs = append(errs, finding(w, "pod runs as user 0"))
	}
	if psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		errs = append(errs, finding(w, "pod seccompProfile is not RuntimeDefault"))
	}
	if spec.HostNetwork || spec.HostPID || spec.HostIPC {
		errs = append(errs, finding(w, "pod shares a host namespace"))
	}
	for _, v := range spec.Volumes {
		if v.HostPath != nil {
			errs = append(errs, finding(w, "volume %s is a hostPath", v.Name))
		}
	}
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		errs = append(errs, finding(w, "the service account token is mounted; no service calls the Kubernetes API"))
	}
	return errs
}

func checkContainer(w Workload, c corev1.Container, server bool) []error {
	var errs []error
	sub := finding(w, "container %s", c.Name).Error()
	bad := func(format string, args ...any) { errs = append(errs, finding(stringer(sub), format, args...)) }

	csc := c.SecurityContext
	if csc == nil {
		bad("no securityContext")
	} else {
		if csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation {
			bad("allowPrivilegeEscalation is not false")
		}
		if csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem {
			bad("readOnlyRootFilesystem is not true")
		}
		if csc.Privileged != nil && *csc.Privileged {
			bad("privileged")
		}
		if csc.Capabilities == nil || !slices.Contains(csc.Capabilities.Drop, "ALL") {
			bad("capabilities do not drop ALL")
		} else if len(csc.Capabilities.Add) > 0 {
			bad("capabilities add %v", csc.Capabilities.Add)
		}
		if csc.RunAsUser != nil && *csc.RunAsUser == 0 {
			bad("runs as user 0")
		}
	}

	req, lim := c.Resources.Requests, c.Resources.Limits
	if req.Cpu().IsZero() || req.Memory().IsZero() {
		bad("resources.requests must set cpu and memory")
	}
	if lim.Memory().IsZero() {
		bad("resources.limits must set memory")
	}

	if err := checkImage(c.Image); err != "" {
		bad("image %q: %s", c.Image, err)
	}

	if !server {
		return errs
	}
	for name, p := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe, "startup": c.StartupProbe} {
		if p == nil {
			bad("no %s probe", name)
			continue
		}
		if p.HTTPGet == nil {
			bad("%s probe is not an HTTP probe", name)
			continue
		}
		if !containerHasPort(c, p.HTTPGet.Port) {
			bad("%s probe uses port %s that the container does not declare", name, p.HTTPGet.Port.String())
		}
	}
	if c.LivenessProbe != nil && c.LivenessProbe.HTTPGet != nil && c.LivenessProbe.HTTPGet.Path != "/healthz" {
		bad("liveness probe must call /healthz")
	}
	if c.ReadinessProbe != nil && c.ReadinessProbe.HTTPGet != nil && c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		bad("readiness probe must call /readyz")
	}
	return errs
}

// checkImage refuses an image without a tag or digest, or tagged latest: either
// makes a rollback impossible to reason about.
func checkImage(image string) string {
	if strings.Contains(image, "@sha256:") {
		return ""
	}
	slash := strings.LastIndex(image, "/")
	colon := strings.LastIndex(image, ":")
	if colon <= slash {
		return "has no tag"
	}
	if image[colon+1:] == "latest" {
		return `is tagged "latest"`
	}
	return ""
}

func containerHasPort(c corev1.Container, port intstr.IntOrString) bool {
	for _, p := range c.Ports {
		if (port.Type == intstr.String && p.Name == port.StrVal) || (port.Type == intstr.Int && p.ContainerPort == port.IntVal) {
			return true
		}
	}
	return false
}

type stringer string

func (s stringer) String() string { return string(s) }

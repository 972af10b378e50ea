package chartcheck

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// Workload is a pod template and who owns it: a Deployment or a CronJob.
type Workload struct {
	Owner Object
	Pod   *corev1.PodTemplateSpec
}

func (w Workload) String() string { return w.Owner.String() }

// Set is the rendered objects of one release.
type Set struct {
	Objects []Object
}

// Of returns every object of type T, in rendering order.
func Of[T any](s Set) []T {
	var out []T
	for _, o := range s.Objects {
		if v, ok := o.Value.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// Workloads returns every pod template of the release.
func (s Set) Workloads() []Workload {
	var out []Workload
	for _, o := range s.Objects {
		switch v := o.Value.(type) {
		case *appsv1.Deployment:
			out = append(out, Workload{Owner: o, Pod: &v.Spec.Template})
		case *batchv1.CronJob:
			out = append(out, Workload{Owner: o, Pod: &v.Spec.JobTemplate.Spec.Template})
		}
	}
	return out
}

// Count returns how many objects of a kind were rendered.
func (s Set) Count(kind string) int {
	n := 0
	for _, o := range s.Objects {
		if o.GVK.Kind == kind {
			n++
		}
	}
	return n
}

// Has reports whether an object of that kind and name was rendered.
func (s Set) Has(kind, name string) bool {
	for _, o := range s.Objects {
		if o.GVK.Kind == kind && o.Name == name {
			return true
		}
	}
	return false
}

func finding(subject fmt.Stringer, format string, args ...any) error {
	return fmt.Errorf("%s: %s", subject, fmt.Sprintf(format, args...))
}

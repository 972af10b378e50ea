package chartcheck

import (
	"fmt"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Endpoint is one side of a connection for the NetworkPolicy evaluator: a pod's labels
// and its namespace's labels. A nil Pod stands for an address outside the cluster.
type Endpoint struct {
	Namespace map[string]string
	Pod       map[string]string
	Spec      *corev1.PodSpec // the destination's containers, to resolve named ports
}

// InNamespace is a pod of the release's namespace.
func InNamespace(ns string, pod map[string]string, spec *corev1.PodSpec) Endpoint {
	return Endpoint{Namespace: map[string]string{"kubernetes.io/metadata.name": ns}, Pod: pod, Spec: spec}
}

// Allowed evaluates the release's NetworkPolicies as the Kubernetes semantics say: a
// pod that no policy selects for a direction is open in that direction; otherwise some
// rule of some selecting policy must admit the peer and the port. Both the source's
// egress and the destination's ingress must allow the connection.
// The policies are those of namespace ns; they select no pod of another namespace.
func Allowed(pols []*networkingv1.NetworkPolicy, ns string, from, to Endpoint, port int32, proto corev1.Protocol) bool {
	return direction(pols, ns, from, to, port, proto, networkingv1.PolicyTypeEgress) &&
		direction(pols, ns, to, from, port, proto, networkingv1.PolicyTypeIngress)
}

// direction checks the policies that select `self` for one direction; `peer` is the
// other end. For egress the port is resolved on the peer (the destination), for
// ingress on self.
func direction(pols []*networkingv1.NetworkPolicy, ns string, self, peer Endpoint, port int32, proto corev1.Protocol, dir networkingv1.PolicyType) bool {
	if self.Pod == nil || self.Namespace["kubernetes.io/metadata.name"] != ns {
		return true // outside the release's namespace: no policy of ours applies
	}
	dst := peer
	if dir == networkingv1.PolicyTypeIngress {
		dst = self
	}
	selected := false
	for _, p := range pols {
		if !slices.Contains(p.Spec.PolicyTypes, dir) || !selectorMatches(&p.Spec.PodSelector, self.Pod) {
			continue
		}
		selected = true
		if dir == networkingv1.PolicyTypeEgress {
			for _, r := range p.Spec.Egress {
				if peersMatch(r.To, self, peer) && portsMatch(r.Ports, dst, port, proto) {
					return true
				}
			}
		} else {
			for _, r := range p.Spec.Ingress {
				if peersMatch(r.From, self, peer) && portsMatch(r.Ports, dst, port, proto) {
					return true
				}
			}
		}
	}
	return !selected
}

func peersMatch(peers []networkingv1.NetworkPolicyPeer, self, other Endpoint) bool {
	if len(peers) == 0 {
		return true
	}
	for _, p := range peers {
		switch {
		case p.IPBlock != nil:
			// Pod addresses are not known offline; an ipBlock counts as "outside the cluster".
			if other.Pod == nil {
				return true
			}
		case p.NamespaceSelector != nil:
			if other.Pod != nil && selectorMatches(p.NamespaceSelector, other.Namespace) &&
				(p.PodSelector == nil || selectorMatches(p.PodSelector, other.Pod)) {
				return true
			}
		case p.PodSelector != nil:
			if other.Pod != nil && sameNamespace(self, other) && selectorMatches(p.PodSelector, other.Pod) {
				return true
			}
		}
	}
	return false
}

func sameNamespace(a, b Endpoint) bool {
	return a.Namespace["kubernetes.io/metadata.name"] == b.Namespace["kubernetes.io/metadata.name"]
}

func portsMatch(ports []networkingv1.NetworkPolicyPort, dst Endpoint, port int32, proto corev1.Protocol) bool {
	if len(ports) == 0 {
		return true
	}
	for _, p := range ports {
		pp := corev1.ProtocolTCP
		if p.Protocol != nil {
			pp = *p.Protocol
		}
		switch {
		case pp != proto:
		case p.Port == nil:
			return true // every port of that protocol
		case p.Port.Type == intstr.Int && p.Port.IntVal == port:
			return true
		case p.Port.Type == intstr.String && dst.Spec != nil && namedPort(*dst.Spec, p.Port.StrVal) == port:
			return true
		}
	}
	return false
}

func namedPort(spec corev1.PodSpec, name string) int32 {
	for _, c := range spec.Containers {
		for _, p := range c.Ports {
			if p.Name == name {
				return p.ContainerPort
			}
		}
	}
	return -1
}

func selectorMatches(sel *metav1.LabelSelector, set map[string]string) bool {
	s, err := metav1.LabelSelectorAsSelector(sel)
	return err == nil && s.Matches(labels.Set(set))
}

// CallGraph says which service may call which: key calls every value.
type CallGraph map[string][]string

// CheckNetwork verifies that every workload is isolated in both directions, that
// egress leaves only on the allowed ports, and that among the release's servers
// exactly the connections of the call graph are open; of the services, only those
// listed in external may be reached from the outside endpoint (a pod of another
// namespace, e.g. the ingress controller).
func CheckNetwork(s Set, ns string, graph CallGraph, outside Endpoint, external []string, egressPorts []int32) []error {
	var errs []error
	pols := Of[*networkingv1.NetworkPolicy](s)

	for _, w := range s.Workloads() {
		var in, out bool
		for _, p := range pols {
			if selectorMatches(&p.Spec.PodSelector, w.Pod.Labels) {
				in = in || slices.Contains(p.Spec.PolicyTypes, networkingv1.PolicyTypeIngress)
				out = out || slices.Contains(p.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
			}
		}
		if !in || !out {
			errs = append(errs, finding(w, "not covered by a NetworkPolicy for both ingress and egress"))
		}
	}

	for _, p := range pols {
		o := stringer("NetworkPolicy/" + p.Name)
		for i, r := range p.Spec.Egress {
			if len(r.Ports) == 0 {
				errs = append(errs, finding(o, "egress rule %d opens every port", i))
			}
			inCluster := len(r.To) > 0
			for _, peer := range r.To {
				inCluster = inCluster && peer.PodSelector != nil && peer.NamespaceSelector == nil && peer.IPBlock == nil
			}
			for _, port := range r.Ports {
				if port.Port == nil {
					errs = append(errs, finding(o, "egress rule %d opens a whole protocol", i))
					continue
				}
				if !inCluster && !slices.Contains(egressPorts, port.Port.IntVal) {
					errs = append(errs, finding(o, "egress rule %d opens port %s beyond the release", i, port.Port.String()))
				}
			}
		}
	}

	servers := map[string]*appsv1.Deployment{}
	for _, d := range Of[*appsv1.Deployment](s) {
		servers[d.Spec.Template.Labels["app.kubernetes.io/name"]] = d
	}
	for name, to := range servers {
		dst := InNamespace(ns, to.Spec.Template.Labels, &to.Spec.Template.Spec)
		for from, d := range servers {
			if from == name {
				continue
			}
			src := InNamespace(ns, d.Spec.Template.Labels, &d.Spec.Template.Spec)
			want := slices.Contains(graph[from], name)
			if got := Allowed(pols, ns, src, dst, 8080, corev1.ProtocolTCP); got != want {
				errs = append(errs, fmt.Errorf("network: %s -> %s allowed=%v, the call graph says %v", from, name, got, want))
			}
		}
		want := slices.Contains(external, name)
		if got := Allowed(pols, ns, outside, dst, 8080, corev1.ProtocolTCP); got != want {
			errs = append(errs, fmt.Errorf("network: another namespace -> %s allowed=%v, want %v", name, got, want))
		}
	}
	return errs
}

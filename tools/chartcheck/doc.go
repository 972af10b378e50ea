// Package chartcheck validates the rendered Helm charts of Bianzhi without a cluster.
//
// No API server can run on the build machines (kind, kwok and envtest all need a
// container engine or downloads) and kubeconform has no schemas offline, so the bar is:
// render every chart with the real helm binary, decode every object strictly into the
// k8s.io/api and prometheus-operator types (an unknown field, a wrong type or a
// duplicate key fails), then apply the policies that decoding cannot see: probes,
// resources, the restricted security context, selectors that match, ports and targets
// that exist, a NetworkPolicy for every workload and the call graph it allows.
package chartcheck

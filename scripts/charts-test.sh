#!/usr/bin/env bash
# Validates the Helm charts offline: helm lint --strict on every chart, helm template of
# the umbrella with the default, dev and prod values, strict decoding of every rendered
# object into the k8s.io/api and prometheus-operator types, the policy checks, and the
# schema's refusal of bad values. All of it is the Go test in tools/chartcheck (its own
# module, outside go.work, so that Kubernetes types stay out of the services' builds).
#
#   scripts/charts-test.sh                 run the validation
#   scripts/charts-test.sh sync-schemas    copy the shared service schema into each service chart
#   scripts/charts-test.sh deps            package the file:// dependencies (library → services →
#                                          umbrella) so that `helm install charts/bianzhi` works
#
# HELM names the helm binary (default: $PATH, then the Go bin folder); `make helm`
# installs it with go install helm.sh/helm/v3/cmd/helm@v3.22.0.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if [[ "${1:-}" == sync-schemas ]]; then
  for c in "$ROOT"/charts/*/; do
    c="$(basename "$c")"
    [[ "$c" == bianzhi || "$c" == bianzhi-lib ]] && continue
    cp "$ROOT/charts/bianzhi-lib/service-values.schema.json" "$ROOT/charts/$c/values.schema.json"
    echo "synced charts/$c/values.schema.json"
  done
  exit 0
fi

find_helm() {
  if [[ -n "${HELM:-}" ]]; then echo "$HELM"; return; fi
  if command -v helm >/dev/null; then command -v helm; return; fi
  if [[ -x "$(go env GOPATH)/bin/helm" ]]; then echo "$(go env GOPATH)/bin/helm"; return; fi
  echo "charts-test: helm not found; install it with: make helm" >&2
  exit 1
}

if [[ "${1:-}" == deps ]]; then
  h="$(find_helm)"
  for c in gateway units quota talent enforcement eduhealth bianzhi; do
    "$h" dependency update --skip-refresh "$ROOT/charts/$c" >/dev/null
    echo "packaged the dependencies of charts/$c"
  done
  exit 0
fi

HELM="$(find_helm)"
export HELM
start=$SECONDS
cd "$ROOT/tools"
GOWORK=off go test -count=1 "$@" ./chartcheck/...
echo "charts-test: passed in $((SECONDS - start))s"

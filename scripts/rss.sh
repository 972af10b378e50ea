#!/usr/bin/env bash
# Measures each service's resident memory as its own process (as in Kubernetes): idle, and after a
# load run of its authenticated /v1/whoami. The chart's resource requests follow from these numbers.
# Usage: scripts/rss.sh [seconds-of-load]   (needs `make build` first; ports 27017, 6380, 9080-9085)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
data=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
bin/bianzhi-local -stores-only -data "$data" > "$data/stores.out" &
pids+=($!)
for _ in $(seq 50); do grep -q REDIS_ADDR "$data/stores.out" 2>/dev/null && break; sleep 0.2; done
source <(sed 's/^/export /' "$data/stores.out")
declare -A port=([gateway]=9080 [units]=9081 [quota]=9082 [talent]=9083 [enforcement]=9084 [eduhealth]=9085)
export AUTH_JWKS_URL=http://127.0.0.1:9080/api/v1/auth/jwks GATEWAY_SIGNING_KEY_FILE=$data/key.pem \
  GATEWAY_CREATE_KEY=true GATEWAY_SEED_ACCOUNTS=true LOG_LEVEL=error
for s in "${!port[@]}"; do export "${s^^}_URL=http://127.0.0.1:${port[$s]}"; done
declare -A pid
for s in gateway units quota talent enforcement eduhealth; do
  HTTP_ADDR=127.0.0.1:${port[$s]} bin/$s 2>>"$data/$s.log" &
  pid[$s]=$!; pids+=($!)
done
for s in "${!port[@]}"; do
  for _ in $(seq 100); do curl -sf "127.0.0.1:${port[$s]}/healthz" >/dev/null && break; sleep 0.1; done
done
token=$(curl -s -X POST 127.0.0.1:9080/api/v1/auth/login -H 'Content-Type: application/json' \
  -d '{"username":"city_admin","password":"Bianzhi@2026"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
rss() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status"; }
echo "| service | RSS idle (MiB) | RSS after ${secs}s of load (MiB) | load |"
echo "|---|---:|---:|---|"
for s in gateway units quota talent enforcement eduhealth; do
  idle=$(rss "${pid[$s]}")
  url="http://127.0.0.1:${port[$s]}/v1/whoami"
  [ "$s" = gateway ] && url="http://127.0.0.1:9080/api/enforcement/v1/whoami"
  load=$(go run ./tests/e2e/loadgen -url "$url" -token "$token" -duration "${secs}s" -c 50 2>&1 | tail -1)
  echo "| $s | $idle | $(rss "${pid[$s]}") | ${load#*: } |"
done

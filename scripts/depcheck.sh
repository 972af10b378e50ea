#!/usr/bin/env bash
# The domain decides, adapters translate: a service's domain packages (internal/<noun>) must not import
# gin, the mongo driver, go-redis or net/http. Adapter folders are exempt by name.
set -euo pipefail
cd "$(dirname "$0")/.."
adapters='^(app|config|httpapi|mongostore|redisstore|service|portal|proxy|jobs|ratelimit|auditlog|quotaclient|quotaledger|quotafake|session|unitdir)$'
forbidden='github.com/gin-gonic/gin|go.mongodb.org/mongo-driver|github.com/redis/go-redis|^net/http$'
fail=0
for dir in services/*/internal/*/; do
  noun=$(basename "$dir")
  [[ $noun =~ $adapters ]] && continue
  [ -n "$(ls "$dir"/*.go 2>/dev/null)" ] || continue
  bad=$(cd "$(dirname "$(dirname "$dir")")" && go list -f '{{join .Imports "\n"}}' "./internal/$noun" 2>/dev/null | grep -E "$forbidden" || true)
  if [ -n "$bad" ]; then
    echo "domain package $dir imports infrastructure:"; echo "$bad" | sed 's/^/  /'; fail=1
  fi
done
[ $fail -eq 0 ] && echo "domain packages are free of gin, mongo, redis and net/http"
exit $fail

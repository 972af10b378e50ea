# Sourced by make: point tests at a real Redis on 127.0.0.1:6379 when one answers, starting the
# machine's redis-server if it is installed but not running. Without either, tests fall back to an
# in-process miniredis (pkg/testkit), so a fresh machine with only Go still passes.
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if [ -z "${REDIS_ADDR:-}" ]; then
  if ! redis_up && command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1 || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do redis_up && break; sleep 0.2; done
  fi
  if redis_up; then export REDIS_ADDR=127.0.0.1:6379; fi
fi
echo "tests use Redis at ${REDIS_ADDR:-in-process miniredis}"

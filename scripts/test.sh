#!/usr/bin/env bash
# Run every test: the Rust tests (SQLite always; PostgreSQL when reachable), the
# panel's type check and unit tests, and the browser tests in headless Chromium
# against the real server. A suite whose service is missing is SKIPPED, loudly;
# with --strict (or MAXLOYALTY_TEST_STRICT=1, as CI runs it) a skip is a failure.
#   TEST_DATABASE_ADMIN_URL  PostgreSQL superuser URL for test databases
#                            [postgres://postgres@127.0.0.1:5432/postgres]
# Redis: the event bus tests use 127.0.0.1:6379 (and start their own redis-server
# on a free port to kill it mid-test).
set -euo pipefail
cd "$(dirname "$0")/.."

strict=${MAXLOYALTY_TEST_STRICT:-0}
[ "${1:-}" = "--strict" ] && strict=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
export TEST_DATABASE_ADMIN_URL=${TEST_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
skipped=()

skip() {
  if [ "$strict" = 1 ]; then
    echo "test: FAILED: $1 cannot run (strict mode forbids skips): $2" >&2
    exit 1
  fi
  skipped+=("$1 — $2")
  printf '\n!!!!!!!!!! SKIPPING %s: %s !!!!!!!!!!\n\n' "$1" "$2" >&2
}

pg_reachable() {
  if command -v psql >/dev/null 2>&1; then
    psql "$TEST_DATABASE_ADMIN_URL" -Atqc 'select 1' >/dev/null 2>&1
  else
    local hostport=${TEST_DATABASE_ADMIN_URL#*@}; hostport=${hostport%%/*}
    timeout 3 bash -c "exec 3<>/dev/tcp/${hostport%%:*}/${hostport##*:}" 2>/dev/null
  fi
}

if pg_reachable; then
  export MAXLOYALTY_TEST_PG=require
  echo "test: PostgreSQL at ${TEST_DATABASE_ADMIN_URL%%@*}@… is reachable: Rust tests run on SQLite and PostgreSQL"
else
  export MAXLOYALTY_TEST_PG=off
  skip "PostgreSQL tests" "no PostgreSQL at $TEST_DATABASE_ADMIN_URL (start it, or set TEST_DATABASE_ADMIN_URL)"
fi

redis_reachable() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(timeout 3 redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]
  else
    timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/6379" 2>/dev/null
  fi
}

if redis_reachable; then
  export MAXLOYALTY_TEST_REDIS=require
  echo "test: Redis at 127.0.0.1:6379 is reachable: the event bus tests run against it"
else
  export MAXLOYALTY_TEST_REDIS=off
  skip "Redis tests" "no Redis at 127.0.0.1:6379 (start redis-server)"
fi

echo "== Rust tests"
cargo test --workspace --locked

echo "== Web panel: install, type check, unit tests, build"
( cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run typecheck && npm test && npm run build )

echo "== Browser tests (headless Chromium against the real server)"
if [ -x /usr/bin/chromium ]; then
  cargo build --locked --quiet -p api --bin maxloyalty
  ( cd web && MAXLOYALTY_BIN="$CARGO_TARGET_DIR/debug/maxloyalty" npm run e2e )
else
  skip "browser tests" "no /usr/bin/chromium (apt-get install chromium)"
fi

if [ ${#skipped[@]} -gt 0 ]; then
  printf '\n==================== SKIPPED ====================\n' >&2
  for s in "${skipped[@]}"; do printf '  - %s\n' "$s" >&2; done
  printf '=================================================\n' >&2
fi
echo "test: all suites passed"

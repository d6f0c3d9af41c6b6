#!/usr/bin/env bash
# Start MaxLoyalty on the embedded default: a SQLite file under ./data, no other
# service needed. Builds the web panel when it is missing or older than its
# sources, then builds and runs the server. Arguments go to the server:
#   ./scripts/start.sh --demo      seed a demo business and print its logins
#   ./scripts/start.sh --help      every setting
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1 || { echo "start: '$1' is required ($2)" >&2; exit 1; }; }
need cargo "install Rust 1.94+ with rustup"
need npm "install Node.js 20+"

if [ "${1:-}" != "--help" ] && [ "${1:-}" != "-h" ]; then
  stale=1
  if [ -f web/dist/index.html ]; then
    stale=$(find web/src web/index.html web/package.json web/codegen.ts schema.graphql -newer web/dist/index.html 2>/dev/null | head -n 1 | wc -l)
  fi
  if [ "$stale" != "0" ]; then
    echo "start: building the web panel…"
    ( cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build )
  fi
fi

exec cargo run --locked --quiet -p api --bin maxloyalty -- "$@"

#!/usr/bin/env bash
# Realtime fan-out benchmark (issue 5): N websocket subscribers of one tenant, a check every
# 100 ms, delivery latency from the commit to the last client, server RSS and CPU.
#
#   scripts/bench-fanout.sh [N=10000] [SECONDS=30]
#
# 1. builds the server and the load generator in release (`api/examples/fanout.rs`), or uses
#    BENCH_BIN (a release `maxloyalty`) and BENCH_FANOUT (a built `fanout`; default: built);
# 2. raises `ulimit -n` to 65536 (N+1024 if larger), or to the hard limit when that is lower
#    but still enough; stops with a message when it is not, or when the ephemeral port range
#    is too small for N client sockets;
# 3. for each mode in BENCH_MODES ("graphql socketio"), on a fresh server (embedded default:
#    SQLite file in a temp dir, in-process worker, production settings, RUST_LOG=warn,
#    MAXLOYALTY_MAX_LIVE_CONNECTIONS_PER_TENANT=N+100) on 127.0.0.1: the generator signs up a
#    business, opens N subscriptions (GraphQL `checkProcessed` over graphql-transport-ws, or
#    socket.io `watch`), sends `processCheck` every 100 ms for SECONDS and prints its figures;
# 4. stops the server and prints a summary (markdown rows for docs/BENCHMARKS.md).
#
# BENCH_DB=postgres runs each server on a fresh PostgreSQL database instead (PGHOST, PGPORT,
# PGUSER: an admin, default postgres@127.0.0.1:5432), migrated by its owner and served through a
# confined login role, as in production; databases and role are dropped at the end.
# The generator runs on the same machine: its CPU is printed next to the server's.
# Generator options go in BENCH_FANOUT_ARGS (e.g. "--ramp-batch 100"); BENCH_SERVER_ENV="K=V …"
# is added to the server's environment (what-ifs; the report says so).
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-10000}
secs=${2:-30}
case $n$secs in '' | *[!0-9]*) echo "usage: $0 [N=10000] [SECONDS=30]" >&2; exit 2 ;; esac
modes=${BENCH_MODES:-graphql socketio}

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

for tool in curl python3; do command -v $tool >/dev/null || die "$tool is needed"; done

# ---- limits -----------------------------------------------------------------------------
# Server and generator each hold one descriptor per connection (plus their own).
want=$(( n + 1024 )); [ "$want" -lt 65536 ] && want=65536
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
  if [ "$hard" -ge $(( n + 1024 )) ]; then
    want=$hard
  else
    die "the open-files hard limit is $hard; $n connections need $(( n + 1024 )). Raise it \
(root: 'ulimit -Hn $want'; or nofile in /etc/security/limits.conf, LimitNOFILE= for systemd)"
  fi
fi
ulimit -n "$want" 2>/dev/null || die "cannot raise the open-files limit to $want (hard limit $hard)"
read -r port_lo port_hi </proc/sys/net/ipv4/ip_local_port_range
[ $(( port_hi - port_lo )) -gt $(( n + 1000 )) ] \
  || die "the ephemeral port range $port_lo-$port_hi is too small for $n client sockets"

# ---- build ------------------------------------------------------------------------------
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
if [ -n "${BENCH_BIN:-}" ]; then
  bin=$BENCH_BIN
  [ -x "$bin" ] || die "BENCH_BIN=$bin is not an executable"
  built_from="given binary $bin"
  if [ -z "${BENCH_FANOUT:-}" ]; then
    log "building the load generator (release)"
    cargo build --release --locked --quiet -p api --example fanout
  fi
else
  log "building the server and the load generator (release; the first build takes minutes)"
  cargo build --release --locked --quiet -p api --bin maxloyalty --example fanout
  bin="$CARGO_TARGET_DIR/release/maxloyalty"
  built_from="release build of $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  [ -z "$(git --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ] \
    || built_from="$built_from + uncommitted changes"
fi
gen=${BENCH_FANOUT:-$CARGO_TARGET_DIR/release/examples/fanout}
[ -x "$gen" ] || die "no load generator at $gen"

# ---- server (one per mode) --------------------------------------------------------------
work=$(mktemp -d)
srv=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server
  drop_databases
  rm -rf "$work"
  exit "$rc"
}
db_kind=${BENCH_DB:-sqlite}
case $db_kind in sqlite | postgres) ;; *) die "BENCH_DB=$db_kind: sqlite or postgres" ;; esac
pg_role=maxloyalty_fanout_app
if [ "$db_kind" = postgres ]; then
  export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
  export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
  command -v psql >/dev/null || die "BENCH_DB=postgres needs psql"
fi
drop_databases() {
  [ "$db_kind" = postgres ] || return 0
  local m
  for m in $modes; do
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS maxloyalty_fanout_$m WITH (FORCE)" >/dev/null 2>&1 || true
  done
  psql -X -q -d postgres -c "DROP ROLE IF EXISTS $pg_role" >/dev/null 2>&1 || true
}
database_url() { # $1 = mode, $2 = dir; prints the server's DATABASE_URL
  if [ "$db_kind" = sqlite ]; then
    echo "sqlite://$2/app.db?mode=rwc"
    return
  fi
  local db="maxloyalty_fanout_$1"
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
    -c "CREATE DATABASE $db" >/dev/null || die "cannot create $db"
  DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db" RUST_LOG=warn "$bin" migrate >"$2/migrate.log" 2>&1 \
    || { cat "$2/migrate.log" >&2; die "migrations on $db"; }
  psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$pg_role') THEN
          CREATE ROLE $pg_role LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END \$\$" \
    -c "GRANT maxloyalty_app TO $pg_role" >/dev/null || die "cannot create the role $pg_role"
  echo "postgres://$pg_role@$PGHOST:$PGPORT/$db"
}
stop_server() {
  if [ -n "$srv" ] && kill -0 "$srv" 2>/dev/null; then
    kill -TERM "$srv"; wait "$srv" 2>/dev/null || true
  fi
  srv=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() { # $1 = mode; sets srv, base
  local dir="$work/$1"
  mkdir -p "$dir"
  local port
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  local url
  url=$(database_url "$1" "$dir") || die "no database for $1"
  MAXLOYALTY_ENV=production MAXLOYALTY_HOST=127.0.0.1 MAXLOYALTY_PORT=$port \
    DATABASE_URL="$url" \
    MAXLOYALTY_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
    MAXLOYALTY_SECRETS_KEY="$(head -c 32 /dev/urandom | base64 | tr -d '\n')" \
    MAXLOYALTY_WEB_DIR="$dir/no-panel" MAXLOYALTY_MAIL_DIR="$dir/mail" \
    MAXLOYALTY_SHUTDOWN_GRACE_SECS=2 MAXLOYALTY_MAX_LIVE_CONNECTIONS_PER_TENANT=$(( n + 100 )) \
    RUST_LOG=warn env ${BENCH_SERVER_ENV:-} "$bin" serve >"$dir/server.log" 2>&1 &
  srv=$!
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/ready" 2>/dev/null)" = 200 ] && break
    kill -0 "$srv" 2>/dev/null || { tail -n 20 "$dir/server.log" >&2; die "the server exited"; }
    sleep 0.1
  done
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/ready")" = 200 ] || die "the server is not ready"
  log "$1: server pid $srv on $base"
}

mem_gb=$(awk '/^MemTotal/{printf "%.0f", $2/1048576}' /proc/meminfo)
header="MaxLoyalty fan-out benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${mem_gb} GB RAM; server: $built_from; $n subscribers, a check every 100 ms for ${secs}s; $([ "$db_kind" = postgres ] && echo PostgreSQL || echo SQLite), generator on the same machine; ulimit -n $(ulimit -n)"
[ -n "${BENCH_SERVER_ENV:-}" ] && header="$header; WHAT-IF: server started with $BENCH_SERVER_ENV"

for mode in $modes; do
  flag=""
  case $mode in
    graphql) ;;
    socketio) flag=--socketio ;;
    *) die "unknown mode $mode (graphql, socketio)" ;;
  esac
  start_server "$mode"
  log "$mode: running the generator"
  # shellcheck disable=SC2086
  if "$gen" --url "$base" --server-pid "$srv" -n "$n" -d "$secs" $flag ${BENCH_FANOUT_ARGS:-} \
      | tee "$work/$mode.out"; then
    :
  else
    log "$mode: the generator failed (see above)"
    echo "{\"mode\":\"$mode\",\"error\":\"the generator failed\"}" >>"$work/$mode.out"
  fi
  lagged=$(grep -c 'fell behind' "$work/$mode/server.log" || true)
  echo "{\"mode\":\"$mode\",\"server_lagged_warnings\":$lagged,\"server_log_lines\":$(wc -l <"$work/$mode/server.log")}" >>"$work/$mode.extra"
  [ "$lagged" -gt 0 ] && log "$mode: the server logged $lagged 'fell behind' warnings (events skipped)"
  if grep -q 'ERROR\|"level":"ERROR"' "$work/$mode/server.log"; then
    log "$mode: the server logged $(grep -c 'ERROR' "$work/$mode/server.log") errors; the first 3:"
    awk '/ERROR/ && n++ < 3' "$work/$mode/server.log" | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-600 >&2
  fi
  stop_server
done

echo
echo "$header"
python3 - "$work" $modes <<'EOF'
import json, sys, os
work, modes = sys.argv[1], sys.argv[2:]
print("| mode | subscribed / failed / dropped | checks ok | missed deliveries | to the last client from processedAt, p50 / p95 / p99 / max ms | p99 from response | p99 from send | processCheck p50 ms | server RSS idle → connected → peak | per connection | CPU server / generator / other, cores |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for m in modes:
    path = os.path.join(work, m + ".out")
    rep = None
    if os.path.exists(path):
        for line in open(path):
            if line.startswith("{"):
                try:
                    rep = json.loads(line)
                except ValueError:
                    pass
    if not rep or "error" in rep:
        print(f"| {m} | the generator failed | | | | | | | | | |")
        continue
    def mb(k):
        return "-" if k is None else f"{k/1024:.0f} MB"
    def ms(x):
        return "-" if x is None else f"{x:.0f}"
    p = rep["latency_last_client_from_processed_at"] or {}
    d = rep["latency_last_client_from_response"] or {}
    s = rep["latency_last_client_from_send"] or {}
    q = rep["process_check_round_trip"] or {}
    r = rep["server_rss_kb"]
    c = rep["run_cpu"]
    w = c["wall_s"] or 1
    def cores(x):
        return "-" if x is None else f"{x/w:.2f}"
    kb = rep["server_kb_per_connection"]
    print(f"| {m} | {rep['subscribed']} / {rep['failed']} / {rep['dropped']} | {rep['checks_ok']} of {rep['checks_sent']} "
          f"| {rep['missed']} of {rep['deliveries_expected']} "
          f"| {ms(p.get('p50_ms'))} / {ms(p.get('p95_ms'))} / {ms(p.get('p99_ms'))} / {ms(p.get('max_ms'))} "
          f"| {ms(d.get('p99_ms'))} | {ms(s.get('p99_ms'))} | {ms(q.get('p50_ms'))} "
          f"| {mb(r['idle'])} → {mb(r['connected'])} → {mb(r['peak'])} | {'-' if kb is None else f'{kb:.0f} KB'} "
          f"| {cores(c['server_cpu_s'])} / {cores(c['generator_cpu_s'])} / {cores(c['other_cpu_s'])} |")
    t = rep["targets_met"]
    print(f"  {m}: targets — p99 < 250 ms: {'met' if t['p99_latency'] else 'MISSED'} from the response, {'met' if t['p99_latency_from_processed_at'] else 'MISSED'} from processedAt, RSS < 600 MB: {'met' if t['rss'] else 'MISSED'}, "
          f"no dropped connections: {'met' if t['connections'] else 'MISSED'}, no missed events: {'met' if t['no_missed_events'] else 'MISSED'}", file=sys.stderr)
    extra = os.path.join(work, m + ".extra")
    if os.path.exists(extra):
        e = json.loads(open(extra).read().splitlines()[-1])
        if e["server_lagged_warnings"]:
            print(f"  {m}: the server logged {e['server_lagged_warnings']} 'fell behind' warnings", file=sys.stderr)
EOF

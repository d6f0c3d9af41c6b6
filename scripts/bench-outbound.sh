#!/usr/bin/env bash
# Outbound webhook delivery benchmark (issue 4: "outbound deliveries >= 1 000/s to a local
# receiver"), on PostgreSQL, release build, everything on 127.0.0.1.
#
#   scripts/bench-outbound.sh [N=20000]
#
# 1. installs psql, curl and python3 with apt when missing; builds the server and the load tool
#    (`api/examples/outbound.rs`) in release, or uses BENCH_BIN (a release `maxloyalty`) and
#    BENCH_OUTBOUND (a built `outbound`; default: built here);
# 2. creates a fresh database (maxloyalty_bench_outbound), migrates it as the owner, creates a
#    login role in maxloyalty_app and starts the server as that role on a free port with its
#    job worker OFF (MAXLOYALTY_WORKER_ENABLED=false) and MAXLOYALTY_WEBHOOKS_ALLOW_PRIVATE=true;
# 3. the tool starts a receiver on 127.0.0.1 (answers 200, verifies every signature itself,
#    counts deliveries by webhook-id), signs up a business, creates a location, guests and a
#    webhook endpoint for check.processed pointing at the receiver, sends N processCheck
#    (the events' jobs pile up: nothing runs them) and prints READY;
# 4. split mode (the default): a first `maxloyalty worker` with MAXLOYALTY_WORKER_KINDS=events.fanout
#    turns every piled-up event into its delivery job and is stopped (its rate is printed), so
#    the measured worker finds deliveries only; BENCH_MIXED=1 skips that and one worker does both
#    (each first attempt is due at its event's time, so deliveries follow their fan-outs);
#    the script then starts `maxloyalty worker` (a separate process, same database, same
#    secrets key) and tells the tool (a file: start time and pid); the tool measures until the
#    N-th distinct delivery: deliveries/s from the worker's start and in the delivery phase,
#    duplicates, bad signatures, missing; CPU of the worker, of its PostgreSQL backends, of
#    the server and the tool; the worker's RSS;
# 5. prints the jobs and deliveries left in the database and a summary with the target, stops
#    the processes and drops the database and the role (also on failure).
#
# PostgreSQL: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres, a superuser; trust or
# ~/.pgpass). Nothing is sent anywhere but 127.0.0.1.
# BENCH_WORKER_CONCURRENCY=n sets MAXLOYALTY_WORKER_CONCURRENCY of the worker (default: the
# server's default, 16). BENCH_CONCURRENCY (16) is the tool's processCheck requests in flight.
# What-ifs: BENCH_WORKER_ENV="K=V …" (worker only), BENCH_SERVER_ENV="K=V …" (server only),
# BENCH_EXTRA_SQL=file.sql applied to the database after the migrations (e.g.
# scripts/bench/outbound_without_claim_index.sql); BENCH_OUTBOUND_ARGS passes more tool
# options (see `outbound --help`). The report says so.
# N = 20 000 takes 3–5 minutes here after the build (producing, then the worker's fan-out of
# every event, then the deliveries).
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-20000}
case $n in '' | *[!0-9]*) echo "usage: $0 [N=20000]" >&2; exit 2 ;; esac
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
db=maxloyalty_bench_outbound
role=maxloyalty_bench_outbound_app
conc=${BENCH_CONCURRENCY:-16}

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---- tools ------------------------------------------------------------------------------
missing=()
command -v psql >/dev/null || missing+=(postgresql-client)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  log "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# ---- build ------------------------------------------------------------------------------
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
if [ -n "${BENCH_BIN:-}" ]; then
  bin=$BENCH_BIN
  [ -x "$bin" ] || die "BENCH_BIN=$bin is not an executable"
  built_from="given binary $bin"
  if [ -z "${BENCH_OUTBOUND:-}" ]; then
    log "building the load tool (release)"
    cargo build --release --locked --quiet -p api --example outbound
  fi
else
  log "building the server and the load tool (release; the first build takes minutes)"
  cargo build --release --locked --quiet -p api --bin maxloyalty --example outbound
  bin="$CARGO_TARGET_DIR/release/maxloyalty"
  built_from="release build of $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  [ -z "$(git --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ] \
    || built_from="$built_from + uncommitted changes"
fi
gen=${BENCH_OUTBOUND:-$CARGO_TARGET_DIR/release/examples/outbound}
[ -x "$gen" ] || die "no load tool at $gen"

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
psql -X -qAt -d postgres -c 'SELECT 1' >/dev/null 2>&1 \
  || die "PostgreSQL is not reachable as $PGUSER@$PGHOST:$PGPORT"

# ---- clean-up (always) ------------------------------------------------------------------
work=$(mktemp -d)
srv="" wpid="" fpid="" tool="" sampler="" dbsampler=""
stop() { # pid: TERM, wait up to 10 s, then KILL
  local p=$1
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && { kill -KILL "$p" 2>/dev/null || true; }
  wait "$p" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for p in $sampler $dbsampler; do { kill "$p"; wait "$p"; } 2>/dev/null || true; done
  stop "$tool"; stop "$fpid"; stop "$wpid"; stop "$srv"
  if [ "$rc" -ne 0 ]; then
    for f in server worker; do
      [ -s "$work/$f.log" ] && { log "$f log (last 20 lines):"; tail -n 20 "$work/$f.log" >&2; }
    done
  fi
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP ROLE IF EXISTS $role" \
    >/dev/null 2>&1 || log "could not drop $db / $role"
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- database ---------------------------------------------------------------------------
log "creating database $db and role $role"
psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db" RUST_LOG=warn "$bin" migrate >"$work/migrate.log" 2>&1 \
  || { cat "$work/migrate.log" >&2; die "migrations"; }
psql_admin -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN
                 CREATE ROLE $role LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END \$\$" \
  -c "GRANT maxloyalty_app TO $role"
if [ -n "${BENCH_EXTRA_SQL:-}" ]; then
  log "WHAT-IF: applying $BENCH_EXTRA_SQL to $db (not part of the migrations)"
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$BENCH_EXTRA_SQL" || die "BENCH_EXTRA_SQL"
fi

# ---- server (no worker) -----------------------------------------------------------------
# The worker process needs the same database, JWT secret (production requires one) and,
# above all, the same secrets key: it unseals the endpoint's signing secret.
app_env=(
  MAXLOYALTY_ENV=production
  DATABASE_URL="postgres://$role@$PGHOST:$PGPORT/$db"
  MAXLOYALTY_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
  MAXLOYALTY_SECRETS_KEY="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  MAXLOYALTY_WEB_DIR="$work/no-panel" MAXLOYALTY_MAIL_DIR="$work/mail"
  MAXLOYALTY_WEBHOOKS_ALLOW_PRIVATE=true MAXLOYALTY_SHUTDOWN_GRACE_SECS=2 RUST_LOG=warn
)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
# shellcheck disable=SC2086
env "${app_env[@]}" MAXLOYALTY_HOST=127.0.0.1 MAXLOYALTY_PORT="$port" MAXLOYALTY_WORKER_ENABLED=false \
  ${BENCH_SERVER_ENV:-} "$bin" serve >"$work/server.log" 2>&1 &
srv=$!
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/ready" 2>/dev/null)" = 200 ] && break
  kill -0 "$srv" 2>/dev/null || die "the server exited"
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/ready")" = 200 ] || die "the server is not ready"
log "server pid $srv on $base (worker off)"

# ---- produce ----------------------------------------------------------------------------
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2086
"$gen" --url "$base" -n "$n" -c "$conc" --go-file "$work/go" --server-pid "$srv" --pg-match "$role" \
  ${BENCH_OUTBOUND_ARGS:-} >"$work/outbound.out" &
tool=$!
until grep -q '^READY' "$work/outbound.out" 2>/dev/null; do
  kill -0 "$tool" 2>/dev/null || { wait "$tool" || true; tool=""; cat "$work/outbound.out" >&2; die "the load tool exited before READY"; }
  sleep 0.2
done
log "jobs waiting before the worker starts:"
psql -X -q -d "$db" -c "SELECT kind, status, count(*) FROM jobs GROUP BY 1, 2 ORDER BY 1, 2" >&2
psql -X -q -d "$db" -c "CHECKPOINT" >/dev/null

# ---- deliver ----------------------------------------------------------------------------
hz=$(getconf CLK_TCK)
jobs_reads() { # rows read from jobs by scans, scans of jobs, jobs done
  psql -X -qAt -F' ' -d "$db" -c "SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0),
      coalesce(seq_scan, 0) + coalesce(idx_scan, 0), (SELECT count(*) FROM jobs WHERE status = 'done')
    FROM pg_stat_user_tables WHERE relname = 'jobs'"
}
worker_env=()
[ -n "${BENCH_WORKER_CONCURRENCY:-}" ] && worker_env+=(MAXLOYALTY_WORKER_CONCURRENCY="$BENCH_WORKER_CONCURRENCY")
fanout_report=""
if [ "${BENCH_MIXED:-0}" != 1 ]; then
  # Phase 1: a worker that claims only the fan-out jobs turns every piled-up event into its
  # delivery job, then stops; the measured worker below then finds deliveries only.
  left_fanout() { psql -X -qAt -d "$db" -c "SELECT count(*) FROM jobs WHERE kind = 'events.fanout' AND status <> 'done'"; }
  f_start=$(date +%s%N)
  # shellcheck disable=SC2086
  env "${app_env[@]}" "${worker_env[@]}" MAXLOYALTY_WORKER_KINDS=events.fanout ${BENCH_WORKER_ENV:-} \
    "$bin" worker >"$work/fanout-worker.log" 2>&1 &
  fpid=$!
  log "fan-out worker pid $fpid started (MAXLOYALTY_WORKER_KINDS=events.fanout)"
  fanned0=$(psql -X -qAt -d "$db" -c "SELECT count(*) FROM jobs WHERE kind = 'events.fanout'")
  while [ "$(left_fanout)" != 0 ]; do
    kill -0 "$fpid" 2>/dev/null || die "the fan-out worker exited"
    sleep 0.2
  done
  f_end=$(date +%s%N)
  stop "$fpid"; fpid=""
  fanout_report=$(awk -v n="$fanned0" -v a="$f_start" -v b="$f_end" \
    'BEGIN { s = (b - a) / 1e9; printf "fan-out phase (a worker claiming events.fanout only): %d fan-out jobs in %.1f s, %.0f/s (start-up included)", n, s, n / s }')
  log "$fanout_report"
  psql -X -q -d "$db" -c "SELECT kind, status, count(*) FROM jobs GROUP BY 1, 2 ORDER BY 1, 2" >&2
  psql -X -q -d "$db" -c "CHECKPOINT" >/dev/null
fi
sleep 1 # PostgreSQL publishes backends' statistics within a second of going idle
jobs0=$(jobs_reads)
t_start=$(date +%s%N)
# shellcheck disable=SC2086
env "${app_env[@]}" "${worker_env[@]}" ${BENCH_WORKER_ENV:-} "$bin" worker >"$work/worker.log" 2>&1 &
wpid=$!
echo "$t_start $wpid" >"$work/go.tmp" && mv "$work/go.tmp" "$work/go"
log "worker pid $wpid started"
(
  peak=0
  while kill -0 "$wpid" 2>/dev/null; do
    r=$(awk '/^VmRSS/{print $2}' "/proc/$wpid/status" 2>/dev/null || echo 0)
    if [ "${r:-0}" -gt "$peak" ]; then peak=$r; echo "$peak" >"$work/worker.rss"; fi
    sleep 0.1
  done
) &
sampler=$!
# Once a second: transactions of the bench database (pg_stat_database, published by each
# backend at most once a second), attempts recorded, fan-out jobs done.
(
  while kill -0 "$wpid" 2>/dev/null; do
    psql -X -qAt -F' ' -d "$db" -c "SELECT extract(epoch FROM clock_timestamp()),
        (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()),
        (SELECT count(*) FROM webhook_attempts),
        (SELECT count(*) FROM jobs WHERE kind = 'events.fanout' AND status = 'done')" \
      >>"$work/db.samples" 2>/dev/null || true
    sleep 1
  done
) &
dbsampler=$!
tool_rc=0
wait "$tool" || tool_rc=$?
tool=""
t_end=$(date +%s%N)
worker_ticks=$(awk '{print $14 + $15}' "/proc/$wpid/stat" 2>/dev/null || echo "")
worker_hwm=$(awk '/^VmHWM/{printf "%.0f", $2/1024}' "/proc/$wpid/status" 2>/dev/null || echo "?")
kill "$sampler" "$dbsampler" 2>/dev/null; wait "$sampler" "$dbsampler" 2>/dev/null || true
sampler="" dbsampler=""
worker_peak=$(awk '{printf "%.0f", $1/1024}' "$work/worker.rss" 2>/dev/null || echo "?")
worker_alive=yes; kill -0 "$wpid" 2>/dev/null || worker_alive=no
stop "$wpid"; wpid=""
sleep 1
jobs1=$(jobs_reads)

grep -v '^READY$' "$work/outbound.out" || true
[ "$tool_rc" -eq 0 ] || die "the load tool failed (exit $tool_rc)"
report=$(grep '^{' "$work/outbound.out" | tail -n1)

# ---- what the database says -------------------------------------------------------------
echo
echo "jobs after the run (by kind and status):"
psql -X -q -d "$db" -c "SELECT kind, status, count(*), max(attempts) AS max_attempts FROM jobs GROUP BY 1, 2 ORDER BY 1, 2"
echo "webhook deliveries and attempts:"
psql -X -q -d "$db" -c "SELECT d.status, count(*) AS deliveries, sum(d.attempt_count) AS attempts
  FROM webhook_deliveries d GROUP BY 1 ORDER BY 1"
failed_attempts=$(psql -X -qAt -d "$db" -c "SELECT count(*) FROM webhook_attempts WHERE status_code IS NULL OR status_code NOT BETWEEN 200 AND 299" 2>/dev/null || echo "?")
dead=$(psql -X -qAt -d "$db" -c "SELECT count(*) FROM jobs WHERE status = 'dead'")
if [ "$dead" != 0 ]; then
  echo "dead jobs, first errors:"
  psql -X -q -d "$db" -c "SELECT kind, left(last_error, 200) FROM jobs WHERE status = 'dead' LIMIT 3"
fi
if grep -q 'ERROR' "$work/worker.log"; then
  log "the worker logged $(grep -c 'ERROR' "$work/worker.log") errors; the first 3:"
  awk '/ERROR/ && n++ < 3' "$work/worker.log" | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-400 >&2
fi

# ---- summary ----------------------------------------------------------------------------
wall=$(awk "BEGIN{printf \"%.2f\", ($t_end - $t_start) / 1e9}")
worker_cores=$([ -n "$worker_ticks" ] && awk "BEGIN{printf \"%.2f\", $worker_ticks / $hz / $wall}" || echo "?")
mem_gb=$(awk '/^MemTotal/{printf "%.0f", $2/1048576}' /proc/meminfo)
echo
echo "MaxLoyalty outbound webhook benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${mem_gb} GB RAM, PostgreSQL $(psql -X -qAt -d postgres -c 'SHOW server_version' | cut -d' ' -f1)"
echo "server: $built_from; load average at the start: $load_start"
echo "worker: separate process, MAXLOYALTY_WORKER_CONCURRENCY=${BENCH_WORKER_CONCURRENCY:-default (16)}${BENCH_WORKER_ENV:+; WHAT-IF: $BENCH_WORKER_ENV}"
if [ -n "$fanout_report" ]; then
  echo "mode: split — $fanout_report; the measured worker then found only the delivery jobs"
else
  echo "mode: mixed (BENCH_MIXED=1) — one worker fans out the piled-up events and delivers them"
fi
[ -n "${BENCH_SERVER_ENV:-}" ] && echo "WHAT-IF: server started with $BENCH_SERVER_ENV"
[ -n "${BENCH_EXTRA_SQL:-}" ] && echo "WHAT-IF: $BENCH_EXTRA_SQL applied on top of the migrations"
echo "worker CPU (script's sample, start → the tool's end incl. its grace): $worker_cores cores over $wall s;" \
  "RSS peak (0.1 s samples) $worker_peak MB, VmHWM $worker_hwm MB; alive at the end: $worker_alive"
echo "failed delivery attempts recorded: $failed_attempts; dead jobs: $dead"
read -r jr0 js0 jd0 <<<"$jobs0"; read -r jr1 js1 jd1 <<<"$jobs1"
echo "table jobs while the worker ran: $((jd1 - jd0)) jobs done, $(awk "BEGIN{printf \"%.0f\", ($jr1 - $jr0) / ($jd1 - $jd0 > 0 ? $jd1 - $jd0 : 1)}") rows read" \
  "and $(awk "BEGIN{printf \"%.1f\", ($js1 - $js0) / ($jd1 - $jd0 > 0 ? $jd1 - $jd0 : 1)}") scans per job (pg_stat_user_tables)"
python3 - "$report" "$work/db.samples" <<'EOF'
import json, sys
r = json.loads(sys.argv[1])
# Transactions per fan-out job and per delivery, from the once-a-second samples (each sample
# is itself one transaction; phases overlap at their boundaries, so these are approximate).
try:
    rows = [tuple(float(x) for x in l.split()) for l in open(sys.argv[2]) if len(l.split()) == 4]
except OSError:
    rows = []
if len(rows) >= 3:
    final = rows[-1][2]
    fan = [x for x in rows if x[2] == 0]
    dlv_from = next((i for i, x in enumerate(rows) if x[2] > 0), None)
    dlv_to = next((i for i, x in enumerate(rows) if x[2] >= final), None)
    out = []
    if len(fan) >= 2 and fan[-1][3] > fan[0][3]:
        out.append(f"{(fan[-1][1] - fan[0][1] - (len(fan) - 1)) / (fan[-1][3] - fan[0][3]):.1f} per fan-out job "
                   f"({fan[-1][3] - fan[0][3]:.0f} jobs in {fan[-1][0] - fan[0][0]:.0f} s)")
    if dlv_from is not None and dlv_to is not None and dlv_to > dlv_from:
        a, b = rows[dlv_from], rows[dlv_to]
        if b[2] > a[2]:
            out.append(f"{(b[1] - a[1] - (dlv_to - dlv_from)) / (b[2] - a[2]):.1f} per delivery "
                       f"({b[2] - a[2]:.0f} deliveries in {b[0] - a[0]:.0f} s, {(b[1] - a[1]) / max(b[0] - a[0], 1e-9):.0f} tx/s)")
    if out:
        print("PostgreSQL transactions (pg_stat_database): " + "; ".join(out))
def f(x, fmt="{:.0f}"):
    return "-" if x is None else fmt.format(x)
ok = r["target_met_delivery_phase"]
print(f"deliveries/s: delivery phase {f(r['per_s_delivery_phase'])}, steady 10–90 % {f(r['per_s_steady_10_90'])}, "
      f"from the worker's start {f(r['per_s_overall'])} (start-up + fan-out {f(r['startup_and_fanout_s'], '{:.1f}')} s)")
print(f"delivered {r['delivered']} of {r['checks_ok']}, missing {r['missing']}, duplicates {r['duplicates']}, "
      f"bad signatures {r['bad_signatures']}, stale timestamps {r['stale_timestamps']}")
print(f"target: outbound deliveries >= {r['target_per_s']:.0f}/s to a local receiver: "
      f"{'met' if ok else 'MISSED'} in the delivery phase ({f(r['per_s_delivery_phase'])}/s), "
      f"{'met' if r['target_met_overall'] else 'MISSED'} from the worker's start ({f(r['per_s_overall'])}/s)")
if not r["complete_and_clean"]:
    print("THIS RUN WAS NOT COMPLETE AND CLEAN (missing, duplicate, badly signed or malformed deliveries): see above.")
EOF

#!/usr/bin/env bash
# Load benchmark on PostgreSQL (release build), with pgbench TPC-B as the same-run baseline.
#
#   scripts/bench-load.sh [seconds=20]
#
# 1. installs wrk (and pgbench) with apt when missing, builds the server in release;
# 2. creates a fresh database (maxloyalty_bench), migrates it as the owner, creates a login
#    role in maxloyalty_app for the server and starts it on a free port on 127.0.0.1;
# 3. signs up $BENCH_TENANTS businesses (10) through the API, inserts $BENCH_GUESTS (10 000)
#    guests per tenant with SQL (scripts/bench/seed.sql), gives $BENCH_HISTORY_GUESTS (10)
#    guests per tenant 20 checks each through the API;
# 4. measures, each for [seconds], at 32 connections (wrk -t2 -c32 --timeout 10s):
#    pgbench TPC-B (-M prepared -c 32 -j 2, scale 10, separate database, same server),
#    processCheck, guest search by a 4-digit phone ending, one guest with its last 20
#    ledger entries, and signed POS check webhooks (accepted-and-durable rate, then the
#    end-to-end time from receipt to the committed accrual, by the in-process worker); then
#    the same deliveries paced at $BENCH_POS_PACED_RATE (100) per second, a rate the worker
#    keeps up with, and their end-to-end time (0 skips it); the paced run starts once every
#    job the burst left is done, or with BENCH_PACED_AFTER=events as soon as the burst's POS
#    events are processed (its fan-out and notification jobs still queued: job priorities);
#    samples the server's RSS; prints a summary with the targets;
# 5. stops the server and drops the databases and the role (also on failure).
#
# PostgreSQL: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres, a superuser; trust or
# ~/.pgpass). Nothing is sent anywhere but 127.0.0.1.
# BENCH_BIN=path measures an already built server instead of building the working tree.
# Smaller runs: BENCH_TENANTS, BENCH_GUESTS (per tenant), BENCH_HISTORY_GUESTS (per tenant).
# What-if: BENCH_EXTRA_SQL=file.sql is applied to the database after the migrations (an index
# to try, say); BENCH_SERVER_ENV="K=V …" is added to the server's environment only (e.g.
# MALLOC_MMAP_THRESHOLD_=131072); the report says so.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

secs=${1:-20}
case $secs in '' | *[!0-9]*) echo "usage: $0 [seconds=20]" >&2; exit 2 ;; esac
tenants=${BENCH_TENANTS:-10}
per_tenant=${BENCH_GUESTS:-10000}
history_per_tenant=${BENCH_HISTORY_GUESTS:-10}
history_checks=20
conns=32
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
db=maxloyalty_bench
pgdb=maxloyalty_bench_pgbench
role=maxloyalty_bench_app
password='Bench-Load-Password-2026'
run_id=$(date +%s)

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---- tools --------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v pgbench >/dev/null || missing+=(postgresql-contrib)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  log "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -n "${BENCH_BIN:-}" ]; then
  bin=$BENCH_BIN
  [ -x "$bin" ] || die "BENCH_BIN=$bin is not an executable"
  built_from="given binary $bin"
else
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
  log "building the server (release; the first build takes minutes)"
  cargo build --release --locked --quiet -p api --bin maxloyalty
  bin="$CARGO_TARGET_DIR/release/maxloyalty"
  built_from="release build of $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  [ -z "$(git --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ] \
    || built_from="$built_from + uncommitted changes"
fi

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
psql -X -qAt -d postgres -c 'SELECT 1' >/dev/null 2>&1 \
  || die "PostgreSQL is not reachable as $PGUSER@$PGHOST:$PGPORT"

# ---- clean-up (always) ------------------------------------------------------------------
work=$(mktemp -d)
srv=""
sampler=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null && wait "$sampler" 2>/dev/null
  if [ -n "$srv" ] && kill -0 "$srv" 2>/dev/null; then
    kill -TERM "$srv"; wait "$srv" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -s "$work/server.log" ]; then
    log "server log (last 30 lines):"; tail -n 30 "$work/server.log" >&2
  fi
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
    -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 \
    || log "could not drop $db / $pgdb / $role"
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- databases --------------------------------------------------------------------------
log "creating databases $db and $pgdb"
psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" \
  -c "CREATE DATABASE $db" -c "CREATE DATABASE $pgdb"
owner_url="postgres://$PGUSER@$PGHOST:$PGPORT/$db"
DATABASE_URL=$owner_url RUST_LOG=warn "$bin" migrate >"$work/migrate.log" 2>&1 \
  || { cat "$work/migrate.log" >&2; die "migrations"; }
psql_admin -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN
                 CREATE ROLE $role LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END \$\$" \
  -c "GRANT maxloyalty_app TO $role"

if [ -n "${BENCH_EXTRA_SQL:-}" ]; then
  log "WHAT-IF: applying $BENCH_EXTRA_SQL to $db (not part of the migrations)"
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$BENCH_EXTRA_SQL" || die "BENCH_EXTRA_SQL"
fi

log "pgbench: initialising scale 10 in $pgdb"
pgbench -i -s 10 -q "$pgdb" >"$work/pgbench-init.log" 2>&1 || { cat "$work/pgbench-init.log" >&2; die "pgbench -i"; }

# ---- server -----------------------------------------------------------------------------
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
MAXLOYALTY_ENV=production MAXLOYALTY_HOST=127.0.0.1 MAXLOYALTY_PORT=$port \
  DATABASE_URL="postgres://$role@$PGHOST:$PGPORT/$db" \
  MAXLOYALTY_JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
  MAXLOYALTY_SECRETS_KEY="$(head -c 32 /dev/urandom | base64 | tr -d '\n')" \
  MAXLOYALTY_WEB_DIR="$work/no-panel" MAXLOYALTY_SHUTDOWN_GRACE_SECS=2 RUST_LOG=warn \
  env ${BENCH_SERVER_ENV:-} "$bin" serve >"$work/server.log" 2>&1 &
srv=$!
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/ready" 2>/dev/null)" = 200 ] && break
  kill -0 "$srv" 2>/dev/null || die "the server exited"
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/ready")" = 200 ] || die "the server is not ready"
log "server pid $srv on $base"

# ---- seed -------------------------------------------------------------------------------
api() { python3 "$root/scripts/bench/api.py" "$@"; }
log "signing up $tenants businesses through the API"
api signup "$port" "$tenants" "$password" "$run_id" "$work/owners.txt"
log "inserting $per_tenant guests per tenant with SQL"
psql -X -q -v ON_ERROR_STOP=1 -v per_tenant="$per_tenant" -d "$db" -f scripts/bench/seed.sql >"$work/seed.log" \
  || die "seeding guests"
psql -X -qAt -F' ' -d "$db" -c "SELECT tenant_id, id FROM guests" >"$work/guests.txt"
psql -X -qAt -F' ' -d "$db" -c "SELECT tenant_id, id FROM (SELECT tenant_id, id,
  row_number() OVER (PARTITION BY tenant_id ORDER BY id) AS r FROM guests) g WHERE r <= $history_per_tenant" \
  >"$work/history.txt"
guest_count=$(wc -l <"$work/guests.txt")
[ "$guest_count" -eq $((tenants * per_tenant)) ] || die "expected $((tenants * per_tenant)) guests, found $guest_count"
api login "$port" "$password" "$work/owners.txt" "$work/tenants.txt"
log "giving $(wc -l <"$work/history.txt") guests $history_checks checks each through the API"
t0=$(date +%s)
api history "$port" "$work/tenants.txt" "$work/history.txt" "$history_checks" 8 "$run_id"
log "history done in $(($(date +%s) - t0)) s"
log "creating a POS integration per tenant"
api integrations "$port" "$work/tenants.txt" "$work/integrations.txt"
psql -X -qAt -F' ' -d "$db" -c "SELECT tenant_id, phone FROM guests" >"$work/phones.txt"
psql -X -q -d "$db" -c "VACUUM ANALYZE" -c "CHECKPOINT"

# ---- measuring helpers ------------------------------------------------------------------
hz=$(getconf CLK_TCK)
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; } # utime + stime
children_ticks() { awk '{print $16 + $17}' "/proc/$$/stat"; }                    # waited children
machine_ticks() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6, $9}' /proc/stat; } # total idle steal
pg_backend_ticks() { # pid:ticks of the server's PostgreSQL connections
  local p
  for p in $(psql -X -qAt -d postgres -c "SELECT pid FROM pg_stat_activity WHERE usename = '$role'"); do
    echo "$p:$(proc_ticks "$p")"
  done
}
db_counters() { # transactions, table scans, rows read by scans (the bench database)
  psql -X -qAt -F' ' -d "$db" -c "SELECT
      (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()),
      (SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables),
      (SELECT coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)), 0) FROM pg_stat_user_tables)"
}
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$srv/status"; }

declare -A R # results: R[name.key]
run_wrk() { # name lua [extra args]
  local name=$1 lua=$2; shift 2
  api login "$port" "$password" "$work/owners.txt" "$work/tenants.txt" # fresh 15-minute tokens
  sleep 1
  local rss0; rss0=$(rss_kb)
  echo "$rss0" >"$work/rss.$name"
  (
    peak=$rss0
    while kill -0 "$srv" 2>/dev/null; do
      r=$(awk '/^VmRSS/{print $2}' "/proc/$srv/status" 2>/dev/null || echo 0)
      if [ "${r:-0}" -gt "$peak" ]; then peak=$r; echo "$peak" >"$work/rss.$name"; fi
      sleep 0.1
    done
  ) &
  sampler=$!
  local c0 s0 w0 m0 pg0; c0=$(db_counters); s0=$(proc_ticks "$srv"); w0=$(children_ticks)
  m0=$(machine_ticks); pg0=$(pg_backend_ticks)
  log "wrk: $name for ${secs}s"
  wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency -s "scripts/bench/$lua" "$base/graphql" \
    -- "$work" "$@" >"$work/wrk.$name" 2>&1 || { cat "$work/wrk.$name" >&2; die "wrk $name"; }
  local s1 w1 m1 pg1; s1=$(proc_ticks "$srv"); w1=$(children_ticks); m1=$(machine_ticks); pg1=$(pg_backend_ticks)
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; sampler=""
  sleep 2 # PostgreSQL publishes backends' statistics within a second of going idle
  local c1; c1=$(db_counters)
  local line; line=$(grep '^RESULT ' "$work/wrk.$name") || { cat "$work/wrk.$name" >&2; die "no RESULT from wrk $name"; }
  local kv
  for kv in ${line#RESULT }; do R[$name.${kv%%=*}]=${kv#*=}; done
  R[$name.sample]=$(grep '^SAMPLE_ERROR ' "$work/wrk.$name" | head -n1 | cut -c14- || true)
  R[$name.rss_mb]=$(awk "BEGIN{printf \"%.0f\", $(cat "$work/rss.$name")/1024}")
  R[$name.rss_idle_mb]=$(awk "BEGIN{printf \"%.0f\", $rss0/1024}")
  # CPU during the run, in cores (1.00 = one core busy for the whole run)
  local wall; wall=$(awk "BEGIN{print ${R[$name.seconds]} * $hz}")
  local pgd; pgd=$(awk -v a="$pg0" -v b="$pg1" 'BEGIN{
      n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, ":"); before[kv[1]] = kv[2] }
      n = split(b, y, " "); for (i = 1; i <= n; i++) { split(y[i], kv, ":"); d += kv[2] - before[kv[1]] }
      print d + 0 }')
  read -r mt0 mi0 ms0 <<<"$m0"; read -r mt1 mi1 ms1 <<<"$m1"
  R[$name.cpu_server]=$(awk "BEGIN{printf \"%.2f\", ($s1 - $s0) / $wall}")
  R[$name.cpu_pg]=$(awk "BEGIN{printf \"%.2f\", $pgd / $wall}")
  R[$name.cpu_wrk]=$(awk "BEGIN{printf \"%.2f\", ($w1 - $w0) / $wall}")
  R[$name.cpu_machine]=$(awk "BEGIN{printf \"%.2f\", (($mt1 - $mt0) - ($mi1 - $mi0)) / ($mt1 - $mt0) * $(nproc)}")
  R[$name.cpu_steal]=$(awk "BEGIN{printf \"%.2f\", ($ms1 - $ms0) / ($mt1 - $mt0) * $(nproc)}")
  R[$name.cpu_other]=$(awk "BEGIN{o = ${R[$name.cpu_machine]} - ${R[$name.cpu_steal]} - ${R[$name.cpu_server]} - ${R[$name.cpu_pg]} - ${R[$name.cpu_wrk]}; printf \"%.2f\", o < 0 ? 0 : o}")
  read -r x0 sc0 rd0 <<<"$c0"; read -r x1 sc1 rd1 <<<"$c1"
  local n=${R[$name.requests]}
  R[$name.tx_per_req]=$(awk "BEGIN{printf \"%.1f\", ($x1 - $x0) / ($n > 0 ? $n : 1)}")
  R[$name.scans_per_req]=$(awk "BEGIN{printf \"%.1f\", ($sc1 - $sc0) / ($n > 0 ? $n : 1)}")
  R[$name.rows_per_req]=$(awk "BEGIN{printf \"%.0f\", ($rd1 - $rd0) / ($n > 0 ? $n : 1)}")
  R[$name.errors]=$((${R[$name.non200]} + ${R[$name.gql_errors]} + ${R[$name.socket_errors]}))
}

# ---- measure ----------------------------------------------------------------------------
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "pgbench: TPC-B -M prepared -c $conns -j 2 for ${secs}s"
w0=$(children_ticks); m0=$(machine_ticks)
pgbench -M prepared -c "$conns" -j 2 -T "$secs" "$pgdb" >"$work/pgbench.log" 2>&1 \
  || { cat "$work/pgbench.log" >&2; die "pgbench"; }
w1=$(children_ticks); m1=$(machine_ticks)
pg_tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.log" | tail -n1)
pg_lat=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$work/pgbench.log" | tail -n1)
pg_failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/pgbench.log" | tail -n1)
[ -n "$pg_tps" ] || { cat "$work/pgbench.log" >&2; die "no tps in the pgbench output"; }
read -r mt0 mi0 ms0 <<<"$m0"; read -r mt1 mi1 ms1 <<<"$m1"
pg_cpu_steal=$(awk "BEGIN{printf \"%.2f\", ($ms1 - $ms0) / ($mt1 - $mt0) * $(nproc)}")
pg_cpu_machine=$(awk "BEGIN{printf \"%.2f\", (($mt1 - $mt0) - ($mi1 - $mi0)) / ($mt1 - $mt0) * $(nproc)}")

run_wrk process_check process_check.lua "$run_id"
run_wrk guest_search guest_search.lua
run_wrk guest_card guest_card.lua
log "signing $((secs * 4000)) POS deliveries (valid for 300 s)"
api sign "$work/integrations.txt" "$work/phones.txt" $((secs * 4000)) "$run_id" "$work/signed.txt"
run_wrk pos_webhook pos_webhook.lua
# Polls a count until it is 0 (at most $2 quarter-seconds); prints the seconds it took.
wait_for_zero() { # sql max_polls
  local t0 n; t0=$(date +%s.%N)
  for _ in $(seq 1 "$2"); do
    n=$(psql -X -qAt -d "$db" -c "$1")
    [ "$n" -eq 0 ] && break
    sleep 0.25
  done
  awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $t0}"
}
pending_sql="SELECT count(*) FROM inbound_events WHERE status = 'pending'"
# POS checks received since $1: processed, not processed, receipt → accrual p50, p99, max (ms).
e2e_since() { # timestamp
  psql -X -qAt -F' ' -d "$db" -c "
    SELECT count(*) FILTER (WHERE status = 'processed'), count(*) FILTER (WHERE status <> 'processed'),
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at)) * 1000)::numeric, 1),
           round((percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at)) * 1000)::numeric, 1),
           round((max(extract(epoch FROM processed_at - received_at)) * 1000)::numeric, 1)
    FROM inbound_events WHERE kind = 'check.closed' AND received_at >= '$1'"
}
log "waiting for the worker to process every accepted delivery"
drain_s=$(wait_for_zero "$pending_sql" 1200)
read -r wh_processed wh_other e2e_p50 e2e_p99 e2e_max <<<"$(e2e_since '-infinity')"
wh_checks=$(psql -X -qAt -d "$db" -c "SELECT count(*) FROM checks WHERE source LIKE 'pos:%'")
# Paced: the same deliveries at a fixed rate the worker can keep up with, for the end-to-end
# time when the queue is not growing (BENCH_POS_PACED_RATE=0 skips it).
paced_rate=${BENCH_POS_PACED_RATE:-100}
case $paced_rate in '' | *[!0-9]*) die "BENCH_POS_PACED_RATE must be a whole number of requests per second" ;; esac
paced_after=${BENCH_PACED_AFTER:-jobs}
case $paced_after in jobs | events) ;; *) die "BENCH_PACED_AFTER must be jobs or events" ;; esac
due_jobs_sql="SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND run_at <= now()"
if [ "$paced_rate" -gt 0 ]; then
  if [ "$paced_after" = jobs ]; then
    # The burst leaves the accruals' own jobs behind it (the events' fan-out, notifications):
    # wait for the whole queue, to measure the pipeline alone.
    log "waiting for every due job (the burst's fan-out and notifications)"
    jobs_drain_s=$(wait_for_zero "$due_jobs_sql" 2400)
    paced_start="it started once the burst's remaining jobs were done, ${jobs_drain_s} s after its events"
  else
    paced_start="it started right after the burst's events, $(psql -X -qAt -d "$db" -c "$due_jobs_sql") of the burst's jobs still due"
  fi
  log "signing $((secs * paced_rate * 2)) POS deliveries for the paced run"
  api sign "$work/integrations.txt" "$work/phones.txt" $((secs * paced_rate * 2)) "$run_id-paced" "$work/signed.txt"
  paced_from=$(psql -X -qAt -d "$db" -c "SELECT clock_timestamp()")
  export BENCH_PACED_DELAY_MS=$((conns * 1000 / paced_rate))
  run_wrk pos_webhook_paced pos_webhook_paced.lua
  paced_drain_s=$(wait_for_zero "$pending_sql" 1200)
  paced_start="$paced_start; $(psql -X -qAt -d "$db" -c "$due_jobs_sql") jobs due at its end"
  read -r pc_processed pc_other pc_p50 pc_p99 pc_max <<<"$(e2e_since "$paced_from")"
fi
hwm_mb=$(awk '/^VmHWM/{printf "%.0f", $2/1024}' "/proc/$srv/status")

# ---- report -----------------------------------------------------------------------------
ratio=$(awk "BEGIN{printf \"%.2f\", ${R[process_check.rps]} / $pg_tps}")
peak_rss=0
for w in process_check guest_search guest_card pos_webhook; do
  [ "${R[$w.rss_mb]}" -gt "$peak_rss" ] && peak_rss=${R[$w.rss_mb]}
done
wh_ratio=$(awk "BEGIN{printf \"%.2f\", ${R[pos_webhook.rps]} / $pg_tps}")
verdict() { # condition-expression (awk) → met / MISSED
  if awk "BEGIN{exit !($1)}"; then echo met; else echo MISSED; fi
}
errs_note() { [ "${R[$1.errors]}" -eq 0 ] && echo "" || echo " (run had ${R[$1.errors]} errors)"; }

mem_gb=$(awk '/^MemTotal/{printf "%.0f", $2/1048576}' /proc/meminfo)
echo
echo "MaxLoyalty load benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${mem_gb} GB RAM, PostgreSQL $(psql -X -qAt -d postgres -c 'SHOW server_version' | cut -d' ' -f1)"
[ -n "${BENCH_EXTRA_SQL:-}" ] && echo "WHAT-IF RUN: $BENCH_EXTRA_SQL applied on top of the migrations"
[ -n "${BENCH_SERVER_ENV:-}" ] && echo "WHAT-IF RUN: server started with $BENCH_SERVER_ENV"
echo "server: $built_from"
echo "$guest_count guests in $tenants tenants; $conns connections; ${secs}s per workload; wrk -t2 --timeout 10s"
echo
printf '%-22s %10s %9s %9s %9s %8s %8s   %-30s %s\n' workload 'req/s' 'p50 ms' 'p99 ms' 'max ms' errors 'RSS MB' 'CPU srv/pg/wrk/other/steal' 'tx, scans, rows per req'
printf '%-22s %10s %9s %9s %9s %8s %8s   %-30s %s\n' 'pgbench TPC-B (s=10)' "$(printf %.1f "$pg_tps")" "avg $pg_lat" '' '' "${pg_failed:-0}" '' \
  "pgbench $(awk "BEGIN{printf \"%.2f\", ($w1 - $w0) / ($secs * $hz)}"), all $pg_cpu_machine, steal $pg_cpu_steal" ''
for w in process_check guest_search guest_card pos_webhook; do
  printf '%-22s %10s %9s %9s %9s %8s %8s   %-30s %s\n' "$w" "${R[$w.rps]}" "${R[$w.p50_ms]}" "${R[$w.p99_ms]}" \
    "${R[$w.max_ms]}" "${R[$w.errors]}" "${R[$w.rss_mb]}" \
    "${R[$w.cpu_server]}/${R[$w.cpu_pg]}/${R[$w.cpu_wrk]}/${R[$w.cpu_other]}/${R[$w.cpu_steal]}" \
    "${R[$w.tx_per_req]}, ${R[$w.scans_per_req]}, ${R[$w.rows_per_req]}"
done
echo
echo "CPU in cores over each run (2.00 = both cores): srv = the server, pg = its PostgreSQL connections, wrk,"
echo "other = everything else (other jobs, PostgreSQL's background writers), steal = taken by the hypervisor."
echo "Per request: transactions, table scans and rows read by them in the bench database"
echo "(pg_stat_database, pg_stat_user_tables)."
echo "load average at the start: $load_start"
echo
echo "processCheck / pgbench TPS = $ratio"
echo "POS webhooks / pgbench TPS = $wh_ratio (accepted and durable: stored with their job before the 2xx)"
echo "POS webhooks end to end (received → accrual committed by the worker): $wh_processed processed, $wh_other not,"
echo "  p50 ${e2e_p50} ms, p99 ${e2e_p99} ms, max ${e2e_max} ms; backlog drained ${drain_s} s after the run; $wh_checks checks in the ledger"
if [ "$paced_rate" -gt 0 ]; then
  echo "POS webhooks paced at about $paced_rate/s (32 connections, $((conns * 1000 / paced_rate)) ms apart): ${R[pos_webhook_paced.rps]} req/s accepted," \
    "p50 ${R[pos_webhook_paced.p50_ms]} ms, p99 ${R[pos_webhook_paced.p99_ms]} ms to the 2xx, ${R[pos_webhook_paced.errors]} errors;"
  echo "  end to end: $pc_processed processed, $pc_other not, p50 ${pc_p50} ms, p99 ${pc_p99} ms, max ${pc_max} ms;" \
    "pending drained ${paced_drain_s} s after the run ($paced_start)"
fi
echo "server RSS: idle before the runs ${R[process_check.rss_idle_mb]} MB, peak during the runs $peak_rss MB, lifetime peak (VmHWM) $hwm_mb MB"
for w in process_check guest_search guest_card pos_webhook pos_webhook_paced; do
  [ -n "${R[$w.sample]:-}" ] && echo "first error of $w: ${R[$w.sample]}"
done
echo
echo "targets:"
target() { printf '  %-40s %-12s %s\n' "$1" "$2" "$3"; }
target "processCheck >= 50% of pgbench TPS" "$ratio" "$(verdict "$ratio >= 0.5")$(errs_note process_check)"
target "processCheck p99 < 50 ms" "${R[process_check.p99_ms]} ms" "$(verdict "${R[process_check.p99_ms]} < 50")"
for w in guest_search guest_card; do
  target "$w >= 5000 req/s" "${R[$w.rps]}" "$(verdict "${R[$w.rps]} >= 5000")$(errs_note $w)"
  target "$w p99 < 20 ms" "${R[$w.p99_ms]} ms" "$(verdict "${R[$w.p99_ms]} < 20")"
done
target "POS webhooks >= 70% of pgbench TPS" "$wh_ratio" "$(verdict "$wh_ratio >= 0.7")$(errs_note pos_webhook)"
target "POS webhooks p99 < 30 ms to the 2xx" "${R[pos_webhook.p99_ms]} ms" "$(verdict "${R[pos_webhook.p99_ms]} < 30")"
target "POS webhooks end to end p99 < 500 ms" "${e2e_p99} ms" "$(verdict "${e2e_p99:-99999} < 500")"
target "server RSS < 150 MB under load" "$peak_rss MB" "$(verdict "$peak_rss < 150")"
total_errors=$((${R[process_check.errors]} + ${R[guest_search.errors]} + ${R[guest_card.errors]} + ${R[pos_webhook.errors]} + ${R[pos_webhook_paced.errors]:-0} + ${pg_failed:-0}))
if [ "$total_errors" -gt 0 ]; then
  echo
  echo "THIS RUN HAD ERRORS ($total_errors): its figures are not a valid measurement."
fi

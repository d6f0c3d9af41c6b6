#!/usr/bin/env bash
# Benchmark: server start on SQLite, from process spawn to `GET /ready` = 200.
#   first start: empty data folder (creates the file, runs migrations)
#   warm start:  the same file again
# Baseline measured in the same run: spawning `maxloyalty --version` (process and
# runtime start with no server), so figures can be compared across noisy machines.
# Usage: scripts/bench-startup.sh [runs=7]   (uses the debug build, as start.sh does)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --locked --quiet -p api --bin maxloyalty
bin="$CARGO_TARGET_DIR/debug/maxloyalty"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

start_once() { # $1 = data dir; prints ms to ready
  local port; port=$(free_port)
  local t0; t0=$(now_ms)
  MAXLOYALTY_PORT=$port DATABASE_URL="sqlite://$1/app.db?mode=rwc" MAXLOYALTY_WEB_DIR="$work/none" RUST_LOG=warn \
    "$bin" >/dev/null 2>&1 &
  local pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" 2>/dev/null)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "server exited" >&2; exit 1; }
    sleep 0.005
  done
  local t1; t1=$(now_ms)
  kill -TERM "$pid"; wait "$pid" || true
  echo $((t1 - t0))
}

stats() { sort -n | awk '{a[NR]=$1} END {printf "min %d ms, median %d ms, max %d ms", a[1], a[int((NR+1)/2)], a[NR]}'; }

base=(); first=(); warm=()
for i in $(seq 1 "$runs"); do
  t0=$(now_ms); "$bin" --version >/dev/null; base+=($(( $(now_ms) - t0 )))
  d="$work/run$i"
  first+=("$(start_once "$d")")
  warm+=("$(start_once "$d")")
done
b_med=$(printf '%s\n' "${base[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
f_med=$(printf '%s\n' "${first[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
w_med=$(printf '%s\n' "${warm[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "runs: $runs ($(nproc) cores)"
echo "baseline (spawn --version): $(printf '%s\n' "${base[@]}" | stats)"
echo "first start to ready:       $(printf '%s\n' "${first[@]}" | stats)   = $(awk "BEGIN{printf \"%.1f\", $f_med/($b_med>0?$b_med:1)}")x baseline"
echo "warm start to ready:        $(printf '%s\n' "${warm[@]}" | stats)   = $(awk "BEGIN{printf \"%.1f\", $w_med/($b_med>0?$b_med:1)}")x baseline"
[ "$f_med" -lt 3000 ] && echo "target (first start < 3000 ms): met" || echo "target (first start < 3000 ms): MISSED"

#!/usr/bin/env bash
# What the query log costs: NationalDns with the query log on (SQLite) against the same build with it off, on the
# same N-rule list, refusal logging at its default (information, console). Prints markdown rows:
#   1. blocked (a) and cached (b) qps, off and sqlite, medians of REPS runs, and the ratio (goal >= 0.85)
#   2. RATE qps (default 20,000) of workload a sustained for SUSTAIN_SECS (default 60) with the query log on:
#      query log events dropped during it, read from /metrics before and after (goal 0)
#   3. saturation (workload a, full speed): queries the server counted = entries written + events dropped, exactly
#   4. the SQLite file's size per million entries, and the CPU per event the SQLite writer adds (server CPU per
#      query at RATE with the log on minus with it off)
# Usage: bench/querylog.sh                       (after run.sh built $WORK/publish, or it builds it)
#        QUICK=1 bench/querylog.sh               N=10000, 1 × 2 s runs, 4 s sustained: proves the script works
# Env: N (1000000), REPS (3), SECS (8), RATE (20000), SUSTAIN_SECS (60), WARM_SECS (3), SKIP_BUILD=1, PORT_HTTP (5383)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -n "${QUICK:-}" ]; then
  N=${N:-10000}; REPS=${REPS:-1}; SECS=${SECS:-2}; SUSTAIN_SECS=${SUSTAIN_SECS:-4}; RATE=${RATE:-2000}; WARM_SECS=${WARM_SECS:-1}
fi
N=${N:-1000000}; REPS=${REPS:-3}; SECS=${SECS:-8}; RATE=${RATE:-20000}; SUSTAIN_SECS=${SUSTAIN_SECS:-60}; WARM_SECS=${WARM_SECS:-3}
PORT_HTTP=${PORT_HTTP:-5383}
export N

cleanup() { stop_recorded nationaldns; stop_recorded upstream; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_packages
ensure_build
ensure_data
probe=$(cat "$WORK/lists/$N/probe")

for port in "$PORT_UPSTREAM" "$PORT_NATIONALDNS" "$PORT_HTTP"; do
  port_busy "$port" && die "127.0.0.1:$port is already in use"
done
spawn upstream nsd -d -c "$WORK/conf/nsd.conf" >/dev/null
wait_status "$PORT_UPSTREAM" n1.test NOERROR 60 || die "nsd did not answer; see $WORK/log/upstream.out"

DATA=$WORK/run/querylog-data
# Start NationalDns with --query-log $1 and a fresh data folder; refusal logging at its default.
start_nd() {
  rm -rf "$DATA"
  spawn nationaldns dotnet "$WORK/publish/nationaldns.dll" \
    --listen "127.0.0.1:$PORT_NATIONALDNS" --upstream "127.0.0.1:$PORT_UPSTREAM" --blocklist "$WORK/lists/$N/blocklist.txt" \
    --query-log "$1" --data-dir "$DATA" --http "127.0.0.1:$PORT_HTTP" ${ND_ARGS:-} >/dev/null
  wait_status "$PORT_NATIONALDNS" "$probe" NXDOMAIN "${LOAD_TIMEOUT:-300}" || die "nationaldns did not start; see $WORK/log/nationaldns.out"
}

# Sum of a metric's samples on /metrics (all labels).
metric() {
  curl -fsS "http://127.0.0.1:$PORT_HTTP/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%.0f", s }'
}

# Waits (bounded) until the writer has taken everything: written + dropped stops moving.
settle() {
  local last="" now_ deadline=$(( $(date +%s) + 10 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    now_="$(metric nationaldns_query_log_written_total) $(metric nationaldns_query_log_dropped_total) $(metric nationaldns_queries_total)"
    [ "$now_" = "$last" ] && return 0
    last=$now_; sleep 0.5
  done
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
run() { SERVER_PID=$(pid_of nationaldns) "$BENCH_DIR/dnsperf-once.sh" "$PORT_NATIONALDNS" "$@"; }

declare -A QPS CPU
for mode in off sqlite; do
  log "query log $mode: starting"
  start_nd "$mode"
  run a "$WARM_SECS" >/dev/null; run b "$WARM_SECS" >/dev/null # warm-up: the JIT's second tier
  for wl in a b; do
    for _ in $(seq "$REPS"); do
      q=$(run "$wl" "$SECS" | field qps)
      QPS[$mode-$wl]="${QPS[$mode-$wl]:-} ${q:-0}"
    done
  done
  # CPU per query at a fixed rate, for the writer's cost per event (sqlite minus off).
  CPU[$mode]=$(RATE=$RATE run a "$(( SECS < 10 ? SECS : 10 ))" | field srv_us_per_q)

  if [ "$mode" = sqlite ]; then
    log "sustained: $RATE qps for $SUSTAIN_SECS s"
    d0=$(metric nationaldns_query_log_dropped_total); f0=$(metric nationaldns_query_log_file_dropped_total); sent=0; left=$SUSTAIN_SECS
    while [ "$left" -gt 0 ]; do
      chunk=$(( left < MAX_RUN_SECS ? left : MAX_RUN_SECS ))
      c=$(RATE=$RATE run a "$chunk" | field completed); sent=$(( sent + ${c:-0} )); left=$(( left - chunk ))
    done
    settle; sleep 2 # the file's writer commits once a second
    d1=$(metric nationaldns_query_log_dropped_total); f1=$(metric nationaldns_query_log_file_dropped_total)
    SUSTAINED="| $RATE qps of workload a for $SUSTAIN_SECS s, query log on | $(fmt "$sent" 0) answered | $(( d1 - d0 )) events dropped, $(( f1 - f0 )) entries that did not reach the file (goal 0 for both) |"

    log "saturation: workload a at full speed"
    settle
    q0=$(metric nationaldns_queries_total); w0=$(metric nationaldns_query_log_written_total); x0=$(metric nationaldns_query_log_dropped_total)
    r0=$(metric nationaldns_refusal_log_dropped_total); f0=$(metric nationaldns_query_log_file_dropped_total)
    run a "$SECS" >/dev/null
    settle
    q1=$(metric nationaldns_queries_total); w1=$(metric nationaldns_query_log_written_total); x1=$(metric nationaldns_query_log_dropped_total)
    r1=$(metric nationaldns_refusal_log_dropped_total); f1=$(metric nationaldns_query_log_file_dropped_total)
    counted=$(( q1 - q0 )); written=$(( w1 - w0 )); dropped=$(( x1 - x0 ))
    exact=$([ "$counted" -eq $(( written + dropped )) ] && echo yes || echo "NO, off by $(( counted - written - dropped ))")
    SATURATION="| saturation, workload a | $(fmt "$counted" 0) queries counted | $(fmt "$written" 0) written + $(fmt "$dropped" 0) dropped: exact $exact; of the written, $(fmt "$(( f1 - f0 ))" 0) did not reach the file (its writer yields to serving; counted); refusal lines dropped $(( r1 - r0 )) |"

    rows=$(( $(metric nationaldns_query_log_written_total) - $(metric nationaldns_query_log_file_dropped_total) )) # rows in the file
    bytes=$(( $(stat -c %s "$DATA/querylog.db") + $(stat -c %s "$DATA/querylog.db-wal" 2>/dev/null || echo 0) ))
    SIZE=$(awk -v b="$bytes" -v r="$rows" 'BEGIN { if (r > 0) printf "%.0f", b / r * 1e6 / 1048576 }')
  fi
  stop_recorded nationaldns
done

med() { printf '%s\n' $1 | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b }'; }
echo
echo "Query log on (SQLite) vs off, N=$(fmt "$N" 0), refusal logging at its default, medians of $REPS × $SECS s, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
echo
echo "| Workload | query log off (qps) | query log on, SQLite (qps) | on ÷ off (goal ≥ 0.85) |"
echo "|---|---:|---:|---:|"
for wl in a b; do
  name=$([ "$wl" = a ] && echo "a: blocked names" || echo "b: cached names")
  off=$(med "${QPS[off-$wl]}"); on=$(med "${QPS[sqlite-$wl]}")
  echo "| $name | $(fmt "$off" 0) | $(fmt "$on" 0) | $(ratio "$on" "$off")× |"
done
echo
echo "| Measurement | | |"
echo "|---|---:|---|"
echo "$SUSTAINED"
echo "$SATURATION"
echo "| SQLite file per million entries | $(fmt "$SIZE" 0) MB | $(fmt "$rows" 0) entries written in this run |"
echo "| SQLite writer CPU per event | $(awk -v a="${CPU[sqlite]:-0}" -v b="${CPU[off]:-0}" 'BEGIN { printf "%.1f", a - b }') µs | server CPU per query at $(fmt "$RATE" 0) qps: $(fmt "${CPU[sqlite]:-}" 1) µs on, $(fmt "${CPU[off]:-}" 1) µs off |"

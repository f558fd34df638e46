#!/usr/bin/env bash
# Refusal logging against Unbound's: blocked-name qps (workload a) of NationalDns logging every refusal, with the
# default console log and with --log-file (JSON lines), against Unbound 1 thread with `log-local-actions: yes`
# (one line per local-zone answer), on the same N-rule list. Goal: NationalDns >= 1.3 × that Unbound. Prints
# markdown rows: medians of REPS runs, refusal lines written, and events dropped on the way.
# Usage: bench/logging-compare.sh            (after run.sh built $WORK/publish, or it builds it)
#        QUICK=1 bench/logging-compare.sh    N=10000, 1 × 2 s run each: proves the script works
# Env: N (1000000), REPS (3), SECS (8), WARM_SECS (3), SKIP_BUILD=1, PORT_HTTP (5383)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -n "${QUICK:-}" ]; then N=${N:-10000}; REPS=${REPS:-1}; SECS=${SECS:-2}; WARM_SECS=${WARM_SECS:-1}; fi
N=${N:-1000000}; REPS=${REPS:-3}; SECS=${SECS:-8}; WARM_SECS=${WARM_SECS:-3}
PORT_HTTP=${PORT_HTTP:-5383}
export N

trap '"$BENCH_DIR/stop-targets.sh"' EXIT
trap 'exit 130' INT TERM

ensure_packages
ensure_build
ensure_data

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
run() { SERVER_PID=$(pid_of "$1") "$BENCH_DIR/dnsperf-once.sh" "$2" a "$3"; }
metric() {
  curl -fsS "http://127.0.0.1:$PORT_HTTP/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%.0f", s }'
}

LOGFILE=$WORK/log/refusals.jsonl
declare -A QPS LINES DROPPED
# Two rounds, the same Unbound (log-local-actions) in both: NationalDns with its console log, then with --log-file.
for variant in console file; do
  rm -f "$LOGFILE"
  extra="--http 127.0.0.1:$PORT_HTTP"; [ "$variant" = file ] && extra="$extra --log-file $LOGFILE"
  log "starting: NationalDns ($variant log) and Unbound with log-local-actions"
  ND_LOG_LEVEL=information ND_ARGS="$extra" UNBOUND_EXTRA="log-local-actions: yes" "$BENCH_DIR/start-targets.sh" "$N" >/dev/null
  run nationaldns "$PORT_NATIONALDNS" "$WARM_SECS" >/dev/null; run unbound "$PORT_UNBOUND" "$WARM_SECS" >/dev/null # warm-up
  : > "$WORK/log/unbound.log" # Unbound appends: its lines from here on are the measured runs'
  console0=$(grep -c '^\[.*\] Refused ' "$WORK/log/nationaldns.out" || true)
  for _ in $(seq "$REPS"); do
    q=$(run nationaldns "$PORT_NATIONALDNS" "$SECS" | field qps); QPS[nd-$variant]="${QPS[nd-$variant]:-} ${q:-0}"
    q=$(run unbound "$PORT_UNBOUND" "$SECS" | field qps); QPS[unbound]="${QPS[unbound]:-} ${q:-0}"
  done
  sleep 1 # the last refusals leave the queues
  if [ "$variant" = file ]; then
    LINES[nd-$variant]=$(grep -c '"QueryName"' "$LOGFILE" || true)
  else
    LINES[nd-$variant]=$(( $(grep -c '^\[.*\] Refused ' "$WORK/log/nationaldns.out" || true) - console0 ))
  fi
  DROPPED[nd-$variant]=$(metric nationaldns_refusal_log_dropped_total)
  LINES[unbound]=$(( ${LINES[unbound]:-0} + $(grep -c 'always_nxdomain' "$WORK/log/unbound.log" || true) ))
  "$BENCH_DIR/stop-targets.sh"
done

med() { printf '%s\n' $1 | median; }
ub=$(med "${QPS[unbound]}")
echo
echo "Blocked names (workload a), every refusal logged, N=$(fmt "$N" 0), medians of $REPS × $SECS s, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
echo
echo "| Server | blocked qps | ÷ Unbound with log-local-actions (goal ≥ 1.3) | refusal lines written | refusal events dropped |"
echo "|---|---:|---:|---:|---:|"
for v in console file; do
  name=$([ "$v" = console ] && echo "NationalDns, console log (default)" || echo "NationalDns, --log-file (JSON lines)")
  q=$(med "${QPS[nd-$v]}")
  echo "| $name | $(fmt "$q" 0) | $(awk -v a="$q" -v b="$ub" 'BEGIN { if (b > 0) printf "%.2f", a / b }')× | $(fmt "${LINES[nd-$v]}" 0) | $(fmt "${DROPPED[nd-$v]}" 0) |"
done
echo "| Unbound 1 thread, log-local-actions: yes (both rounds) | $(fmt "$ub" 0) | 1.00× | $(fmt "${LINES[unbound]}" 0) | – |"

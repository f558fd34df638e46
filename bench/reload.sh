#!/usr/bin/env bash
# Serving while the whole list reloads: queries lost and latency under a fixed load, NationalDns next to Unbound.
#
#   bench/reload.sh                 # N = 1,000,000; 3 × (a quiet run and a run with a reload in it) per server
#   N=100000 REPS=1 bench/reload.sh
#
# Each run is workload a (blocked names) at RATE qps for SECS seconds with per-query latencies. In a reload run,
# RELOAD_AT seconds in, NationalDns's list file gets one more rule appended (its watcher reads the whole list again
# and swaps it in), and Unbound gets SIGHUP (its way to reload local-zones: it rereads its whole config). The
# appended rule is removed again after the run, which is one more reload before the next run starts.
# dnsperf keeps at most 200 queries outstanding: a server that stops answering also stops being sent queries, so
# read "answered" (of RATE × SECS offered) together with "lost"; latencies are those of answered queries.
# Needs what run.sh made: the Release build in $WORK/publish and the generated list (run `QUICK=1 bench/run.sh`
# or `N=... bench/gen-blocklist.sh` first if missing). Prints one line per run and a summary of medians.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${N:-1000000}
RATE=${RATE:-10000}
SECS=${SECS:-12}
RELOAD_AT=${RELOAD_AT:-3}
REPS=${REPS:-3}
SETTLE_SECS=${SETTLE_SECS:-60}

ensure_packages
[ -f "$WORK/lists/$N/blocklist.txt" ] || "$BENCH_DIR/gen-blocklist.sh" "$N"
list=$WORK/lists/$N/blocklist.txt
RAW=$WORK/results/reload-$(date +%Y%m%d-%H%M%S).raw

cleanup() {
  sed -i '/^reload[0-9]*\.w\.test$/d' "$list" 2>/dev/null || true
  "$BENCH_DIR/stop-targets.sh" || true
}
trap cleanup EXIT
"$BENCH_DIR/start-targets.sh" "$N"
pid_of() { cat "$WORK/run/$1.pid"; }
port_of() { if [ "$1" = nationaldns ]; then echo "$PORT_NATIONALDNS"; else echo "$PORT_UNBOUND"; fi; }

# Waits until the server answers the name NXDOMAIN again (bounded): the reload has finished.
wait_answering() {
  local port=$1 name=$2 deadline=$((SECONDS + SETTLE_SECS))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(dns_status "$port" "$name")" = NXDOMAIN ] && return 0
    sleep 0.2
  done
  log "warning: $name not NXDOMAIN on :$port after ${SETTLE_SECS}s"
}

reload() {
  case $1 in
    nationaldns) echo "reload$2.w.test" >> "$list" ;;
    unbound) kill -HUP "$(pid_of unbound)" ;;
  esac
}

last_listed=$(grep -v '^#' "$list" | tail -n 1)
for t in nationaldns unbound; do
  N=$N RATE=$RATE "$BENCH_DIR/dnsperf-once.sh" "$(port_of "$t")" a 4 >/dev/null || true   # warm-up
done
for rep in $(seq 1 "$REPS"); do
  for t in nationaldns unbound; do
    port=$(port_of "$t")
    line=$(N=$N RATE=$RATE SERVER_PID=$(pid_of "$t") "$BENCH_DIR/dnsperf-once.sh" "$port" a "$SECS" || true)
    echo "quiet target=$t rep=$rep $line" | tee -a "$RAW" >&2

    out=$(mktemp "$WORK/run/reload.XXXXXX")
    N=$N RATE=$RATE SERVER_PID=$(pid_of "$t") "$BENCH_DIR/dnsperf-once.sh" "$port" a "$SECS" > "$out" || true &
    runner=$!
    sleep "$RELOAD_AT"
    reload "$t" "$rep"
    wait "$runner" || true
    echo "reload target=$t rep=$rep $(cat "$out")" | tee -a "$RAW" >&2
    rm -f "$out"
    if [ "$t" = nationaldns ]; then
      wait_answering "$port" "reload$rep.w.test"
      sed -i '/^reload[0-9]*\.w\.test$/d' "$list"
    fi
    wait_answering "$port" "$last_listed"
  done
done

echo "median over $REPS runs, workload a at $RATE qps for ${SECS}s, N=$N, reload ${RELOAD_AT}s in:"
for kind in quiet reload; do
  for t in nationaldns unbound; do
    grep "^$kind target=$t " "$RAW" | awk -v k="$kind" -v t="$t" '
      function med(a, n,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x } return n ? a[int((n + 1) / 2)] : "-" }
      { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1], NR] = kv[2] } n = NR }
      END {
        for (r = 1; r <= n; r++) { done[r] = v["completed", r]; lost[r] = v["lost_pct", r]; p50[r] = v["p50_ms", r]; p99[r] = v["p99_ms", r]; p999[r] = v["p999_ms", r]; mx[r] = v["max_ms", r] }
        printf "%-7s %-12s answered %s  lost %% %s  p50 %s ms  p99 %s ms  p99.9 %s ms  max %s ms\n", k, t, med(done, n), med(lost, n), med(p50, n), med(p99, n), med(p999, n), med(mx, n)
      }'
  done
done | tee -a "$RAW"
log "raw results: $RAW"

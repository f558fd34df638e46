#!/usr/bin/env bash
# NationalDns vs Unbound, side by side on the same blocklist and the same upstream, on loopback.
# Builds Release, starts nsd + Unbound + NationalDns, warms both up, runs workloads a/b/c REPS
# times interleaved, then fixed-rate latency runs, and prints the ratio table.
# Usage: bench/run.sh                 (see bench/README.md for every knob)
#        QUICK=1 bench/run.sh         a few minutes: N=100000, 2 × 4 s runs
#        UPDATE_DOCS=1 NOTE="…" bench/run.sh   also rewrite the results section of docs/benchmarks.md
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -n "${QUICK:-}" ]; then
  N=${N:-100000}; REPS=${REPS:-2}; SECS=${SECS:-4}; WARM_SECS=${WARM_SECS:-3}; LAT_REPS=${LAT_REPS:-1}; LAT_SECS=${LAT_SECS:-3}
fi
N=${N:-1000000}
REPS=${REPS:-5}; SECS=${SECS:-8}; WARM_SECS=${WARM_SECS:-4}
LAT_REPS=${LAT_REPS:-3}; LAT_SECS=${LAT_SECS:-8}; LAT_RATE=${LAT_RATE:-10000}; LAT_RATE_C=${LAT_RATE_C:-5000}
MAX_MINUTES=${MAX_MINUTES:-25}
export ND_LOG_LEVEL=${ND_LOG_LEVEL:-warning}
TARGETS=(nationaldns unbound)

started_at=$(date +%s)
deadline=$(( started_at + MAX_MINUTES * 60 ))
stamp=$(date -u +%Y%m%d-%H%M%S)
RAW=$WORK/results/$stamp.raw
REPORT=$WORK/results/$stamp.md

cleanup() { "$BENCH_DIR/stop-targets.sh"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port_of() { case $1 in nationaldns) echo "$PORT_NATIONALDNS" ;; unbound) echo "$PORT_UNBOUND" ;; esac; }
rate_of() { [ "$1" = c ] && echo "$LAT_RATE_C" || echo "$LAT_RATE"; }
# True while a run of $1 seconds still fits in the time budget.
fits() { [ $(( $(date +%s) + $1 + 15 )) -le "$deadline" ]; }

ensure_packages

ensure_build

ensure_data

{
  echo "meta n=$N reps=$REPS secs=$SECS warm_secs=$WARM_SECS lat_reps=$LAT_REPS lat_secs=$LAT_SECS lat_rate=$LAT_RATE lat_rate_c=$LAT_RATE_C nd_log_level=$ND_LOG_LEVEL threads=${THREADS:-1} nd_args=${ND_ARGS:-none}"
  echo "meta date=$(date -u +%Y-%m-%dT%H:%MZ) nproc=$(nproc) mem_gib=$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) loadavg_start=$(cut -d' ' -f1 /proc/loadavg)"
  echo "info date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "info machine: $(nproc) × $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) GiB RAM, Linux $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "info versions: NationalDns $(git -C "$REPO_DIR" rev-parse --short HEAD)$(git -C "$REPO_DIR" diff --quiet HEAD -- src 2>/dev/null || echo '+local changes') (Release, .NET SDK $(dotnet --version)), Unbound $(unbound -V | sed -n 's/^Version //p'), NSD $(nsd -v 2>&1 | sed -n 's/^NSD version //p' | head -n 1), dnsperf $(dnsperf -h 2>&1 | sed -n 's/^Version //p')"
  if [ -n "${NOTE:-}" ]; then echo "info note: $NOTE"; fi
} > "$RAW"

log "starting nsd, Unbound and NationalDns with N=$N"
"$BENCH_DIR/start-targets.sh" "$N" | tee -a "$RAW" >&2

# .NET compiles hot methods again once they prove hot (tiered JIT): a short load on every path
# first, so the measured runs see steady-state code. Unbound gets the same treatment.
log "warm-up: ${WARM_SECS} s per workload and server"
for t in "${TARGETS[@]}"; do
  for wl in a b c; do
    echo "warm target=$t $(N=$N SERVER_PID=$(pid_of "$t") UPSTREAM_PID=$(pid_of upstream) "$BENCH_DIR/dnsperf-once.sh" "$(port_of "$t")" "$wl" "$WARM_SECS" || true)" >> "$RAW"
  done
done

log "saturating runs: $REPS × ${SECS} s per workload and server, interleaved"
for rep in $(seq 1 "$REPS"); do
  order=("${TARGETS[@]}")
  [ $(( rep % 2 )) -eq 0 ] && order=("${TARGETS[1]}" "${TARGETS[0]}")
  for wl in a b c; do
    for t in "${order[@]}"; do
      fits "$SECS" || { log "time budget of $MAX_MINUTES min reached: skipping the remaining runs"; break 3; }
      line=$(N=$N SERVER_PID=$(pid_of "$t") UPSTREAM_PID=$(pid_of upstream) "$BENCH_DIR/dnsperf-once.sh" "$(port_of "$t")" "$wl" "$SECS" || true)
      [ -n "$line" ] || line="wl=$wl error=no-result"
      echo "run target=$t rep=$rep $line" | tee -a "$RAW" >&2
    done
  done
done

log "fixed-rate runs: $LAT_REPS × ${LAT_SECS} s, a and b at $LAT_RATE qps, c at $LAT_RATE_C qps"
for rep in $(seq 1 "$LAT_REPS"); do
  order=("${TARGETS[@]}")
  [ $(( rep % 2 )) -eq 0 ] && order=("${TARGETS[1]}" "${TARGETS[0]}")
  for wl in a b c; do
    for t in "${order[@]}"; do
      fits "$LAT_SECS" || { log "time budget of $MAX_MINUTES min reached: skipping the remaining runs"; break 3; }
      line=$(RATE=$(rate_of "$wl") N=$N SERVER_PID=$(pid_of "$t") UPSTREAM_PID=$(pid_of upstream) "$BENCH_DIR/dnsperf-once.sh" "$(port_of "$t")" "$wl" "$LAT_SECS" || true)
      [ -n "$line" ] || line="wl=$wl error=no-result"
      echo "lat target=$t rep=$rep rate=$(rate_of "$wl") $line" | tee -a "$RAW" >&2
    done
  done
done

for t in "${TARGETS[@]}"; do
  echo "rss target=$t rss_mb=$(rss_mb "$(pid_of "$t")") hwm_mb=$(hwm_mb "$(pid_of "$t")")" >> "$RAW"
done
echo "meta loadavg_end=$(cut -d' ' -f1 /proc/loadavg) minutes=$(( ($(date +%s) - started_at + 59) / 60 ))" >> "$RAW"

"$BENCH_DIR/report.sh" "$RAW" > "$REPORT"
cat "$REPORT"
log "raw results: $RAW; report: $REPORT"

if [ -n "${UPDATE_DOCS:-}" ]; then
  "$BENCH_DIR/update-docs.sh" "$REPORT"
  log "updated $REPO_DIR/docs/benchmarks.md"
fi

#!/usr/bin/env bash
# One bounded dnsperf run against 127.0.0.1:PORT; prints ONE line of key=value pairs.
# Usage: dnsperf-once.sh PORT a|b|c SECS
#   a  blocked names from $WORK/queries/blocked-$N.txt          expect 100 % NXDOMAIN
#   b  n0..n99.test A, asked twice first (cache warm)            expect 100 % NOERROR
#   c  u<nonce>x<i>.w.test A, new names every run (wildcard)     expect 100 % NOERROR, all forwarded
# Env:
#   N           list size whose query file workload a uses (required for a)
#   SERVER_PID  the server's pid: adds srv_us_per_q (CPU µs per answered query) and srv_cpu_pct
#   UPSTREAM_PID  the upstream's pid: adds up_us_per_q, the upstream's CPU per answered query
#               (≈ 0 when the server answers from its cache, tens of µs when it forwards)
#   RATE        fixed offered load (dnsperf -Q) and per-query latencies (-v): adds p50_ms, p99_ms
#   CLIENTS=8 OUTSTANDING=200   dnsperf -c / -q (one sender thread, -T 1)
# Output: wl=… secs=… qps=… completed=… lost_pct=… avg_ms=… rcodes=… rcode_ok=0|1 [p50_ms p99_ms p999_ms max_ms]
#         [srv_us_per_q srv_cpu_pct] [up_us_per_q]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
PORT=${1:?usage: dnsperf-once.sh PORT a|b|c SECS}
WL=${2:?workload a, b or c}
SECS=${3:?seconds}
[ "$SECS" -gt "$MAX_RUN_SECS" ] && SECS=$MAX_RUN_SECS
CLIENTS=${CLIENTS:-8}; OUTSTANDING=${OUTSTANDING:-200}
# Upper bound on queries per run, whatever the rate: 200k qps is beyond this machine's loopback.
max_queries=$(( SECS * 200000 ))

trap 'log "dnsperf-once.sh $PORT $WL: failed at line $LINENO"' ERR
scratch=$(mktemp -d "$WORK/run/dnsperf.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

case $WL in
  a) input=$WORK/queries/blocked-${N:?N is required for workload a}.txt
     [ -f "$input" ] || die "no $input: run gen-blocklist.sh $N"
     expect=NXDOMAIN ;;
  b) input=$scratch/allowed-100.txt
     awk 'BEGIN { for (i = 0; i < 100; i++) printf "n%d.test A\n", i }' > "$input"
     timeout 20 dnsperf -s 127.0.0.1 -p "$PORT" -d "$input" -n 2 -t 2 >/dev/null 2>&1 || true
     expect=NOERROR ;;
  c) input=$scratch/unique.txt
     # Enough never-seen names for the run: the nonce makes them unique across runs and servers.
     count=$(( ${RATE:-60000} * SECS * 12 / 10 ))
     nonce=$(date +%s%N | tail -c 9)$RANDOM
     awk -v n="$count" -v z="$nonce" 'BEGIN { for (i = 0; i < n; i++) printf "u%sx%d.w.test A\n", z, i }' > "$input"
     max_queries=$count
     expect=NOERROR ;;
  *) die "workload must be a, b or c" ;;
esac
lines=$(wc -l < "$input")
passes=$(( (max_queries + lines - 1) / lines ))

args=(-s 127.0.0.1 -p "$PORT" -d "$input" -c "$CLIENTS" -T 1 -q "$OUTSTANDING" -t 2 -l "$SECS" -n "$passes")
[ -n "${RATE:-}" ] && args+=(-Q "$RATE" -v)

t0=""; [ -n "${SERVER_PID:-}" ] && t0=$(cpu_ticks "$SERVER_PID")
u0=""; [ -n "${UPSTREAM_PID:-}" ] && u0=$(tree_cpu_ticks "$UPSTREAM_PID")
out=$scratch/dnsperf.out
timeout $(( SECS + 20 )) dnsperf "${args[@]}" > "$out" 2>&1 || true
t1=""; [ -n "${SERVER_PID:-}" ] && t1=$(cpu_ticks "$SERVER_PID")
u1=""; [ -n "${UPSTREAM_PID:-}" ] && u1=$(tree_cpu_ticks "$UPSTREAM_PID")
cp "$out" "$WORK/log/dnsperf-last-$PORT-$WL.out"

percentiles=""
if [ -n "${RATE:-}" ]; then
  # -v prints "> RCODE name type seconds" per answered query
  percentiles=$(awk '$1 == ">" && NF == 5 { print $5 * 1000 }' "$out" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR) printf "p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f", v[int(NR * 0.50) + 1], v[int(NR * 0.99) + 1], v[int(NR * 0.999) + 1], v[NR] }')
fi

awk -v wl="$WL" -v expect="$expect" -v t0="$t0" -v t1="$t1" -v u0="$u0" -v u1="$u1" -v hz="$(getconf CLK_TCK)" -v pct="$percentiles" '
  /Queries completed:/ { completed = $3 }
  /Queries lost:/ { lost = $4; gsub(/[()%]/, "", lost) }
  /Run time \(s\):/ { secs = $4 }
  /Queries per second:/ { qps = $4 }
  /Average Latency/ { avg_ms = $4 * 1000 }
  /Response codes:/ {
    sub(/.*Response codes: */, "")
    n = split($0, parts, /, /); rcodes = ""; ok = 0
    for (i = 1; i <= n; i++) {
      split(parts[i], f, " "); pc = f[3]; gsub(/[()%]/, "", pc)
      rcodes = rcodes (i > 1 ? "," : "") f[1] ":" pc
      if (f[1] == expect && pc + 0 == 100) ok = 1
    }
  }
  END {
    if (qps == "") { printf "wl=%s error=no-statistics\n", wl; exit 1 }
    line = sprintf("wl=%s secs=%.1f qps=%.0f completed=%d lost_pct=%s avg_ms=%.3f rcodes=%s rcode_ok=%d",
                   wl, secs, qps, completed, lost, avg_ms, rcodes, ok)
    if (pct != "") line = line " " pct
    if (t0 != "" && t1 != "" && completed > 0)
      line = line sprintf(" srv_us_per_q=%.1f srv_cpu_pct=%.0f", (t1 - t0) / hz * 1e6 / completed, (t1 - t0) / hz / secs * 100)
    if (u0 != "" && u1 != "" && completed > 0)
      line = line sprintf(" up_us_per_q=%.1f", (u1 - u0) / hz * 1e6 / completed)
    print line
  }' "$out"
if grep -q 'end of file' "$out" && [ "$WL" = c ]; then
  log "warning: workload c ran out of unique names ($count); the run ended early"
fi

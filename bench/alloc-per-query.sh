#!/usr/bin/env bash
# Bytes allocated per blocked query: NationalDns answering workload a at a fixed RATE (dnsperf -Q), its allocation
# rate read with dotnet-counters (System.Runtime), divided by the answered qps. Unlike qps, this does not depend on
# how busy the machine is, so two builds can be compared on a shared one. Prints one markdown row.
# Usage: bench/alloc-per-query.sh [PUBLISH_DIR]     (default $WORK/publish)
#        ND_LOG_LEVEL=warning bench/alloc-per-query.sh /tmp/other-build/publish
# Env: N (10000: the list's size hardly matters here), RATE (5000), SECS (20, at most 30), ND_LOG_LEVEL (information),
#      ND_ARGS, COUNTERS (dotnet-counters; installed with: dotnet tool install --tool-path /tmp/dtools dotnet-counters)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
PUBLISH=${1:-$WORK/publish}
N=${N:-10000}; RATE=${RATE:-5000}; SECS=${SECS:-20}; ND_LOG_LEVEL=${ND_LOG_LEVEL:-information}
COUNTERS=${COUNTERS:-$(command -v dotnet-counters || echo /tmp/dtools/dotnet-counters)}
export N
[ -f "$PUBLISH/nationaldns.dll" ] || die "no build in $PUBLISH"
[ -x "$COUNTERS" ] || die "no dotnet-counters: dotnet tool install --tool-path /tmp/dtools dotnet-counters"
[ -f "$WORK/zone/test.zone" ] && [ -f "$WORK/conf/nsd.conf" ] || "$BENCH_DIR/gen-zone.sh"
[ -f "$WORK/lists/$N/blocklist.txt" ] && [ -f "$WORK/queries/blocked-$N.txt" ] || "$BENCH_DIR/gen-blocklist.sh" "$N"

trap 'stop_recorded counters; stop_recorded nationaldns; stop_recorded upstream' EXIT
for port in "$PORT_UPSTREAM" "$PORT_NATIONALDNS"; do port_busy "$port" && die "127.0.0.1:$port is already in use"; done
spawn upstream nsd -d -c "$WORK/conf/nsd.conf" >/dev/null
wait_status "$PORT_UPSTREAM" n1.test NOERROR 60 || die "nsd did not answer"
spawn nationaldns dotnet "$PUBLISH/nationaldns.dll" --listen "127.0.0.1:$PORT_NATIONALDNS" --upstream "127.0.0.1:$PORT_UPSTREAM" \
  --blocklist "$WORK/lists/$N/blocklist.txt" --log-level "$ND_LOG_LEVEL" --query-log off --data-dir "$WORK/run/data" ${ND_ARGS:-} >/dev/null
wait_status "$PORT_NATIONALDNS" "$(cat "$WORK/lists/$N/probe")" NXDOMAIN 300 || die "nationaldns did not start; see $WORK/log/nationaldns.out"
"$BENCH_DIR/dnsperf-once.sh" "$PORT_NATIONALDNS" a 3 >/dev/null # warm-up: the JIT's second tier

csv=$WORK/run/counters.csv; rm -f "$csv"
spawn counters "$COUNTERS" collect -p "$(pid_of nationaldns)" --counters System.Runtime --format csv -o "$csv" --refresh-interval 1 >/dev/null
line=$(RATE=$RATE "$BENCH_DIR/dnsperf-once.sh" "$PORT_NATIONALDNS" a "$SECS")
stop_recorded counters
qps=$(sed -n 's/.* qps=\([0-9]*\).*/\1/p' <<< "$line")
# One row a second per counter; the allocation rate's rows, without the first 3 and the last 2 (ramp-up and tail).
rate=$(grep -i 'alloc' "$csv" | awk -F, '{ v[NR] = $NF } END { n = 0; for (i = 4; i <= NR - 2; i++) { s += v[i]; n++ } if (n) printf "%.0f", s / n }')
[ -n "$rate" ] && [ -n "$qps" ] && [ "$qps" -gt 0 ] || die "no allocation rate or qps (see $csv; dnsperf: $line)"
echo "| $(basename "$(dirname "$PUBLISH")")/$(basename "$PUBLISH"), log level $ND_LOG_LEVEL | $(fmt "$qps" 0) qps | $(fmt "$rate" 0) B/s | $(fmt "$(( rate / qps ))" 0) B per blocked query |"

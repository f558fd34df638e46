#!/usr/bin/env bash
# A soak: NationalDns (Release) under mixed load for DURATION while its lists are edited and its upstream
# comes and goes, sampled all along; ends with a report of losses, errors, p99 over time, and memory, handle
# and thread counts over time, with a pass/fail on growth after warm-up.
#
#   bench/soak.sh                          # an hour at 10,000 qps
#   DURATION=5m bench/soak.sh              # the documented run (docs/benchmarks.md, "Soak")
#   DURATION=30s RATE=2000 N=10000 bench/soak.sh     # a smoke run: proves the script works, measures nothing
#
# Load (each stream is dnsperf at a fixed rate, -Q, run in SLICE_SECS slices so p99 is known per slice):
#   blocked   45 % of the UDP rate   names under listed domains (the workload-a file)      expect NXDOMAIN
#   cached    40 %                   n0..n99.test A, asked before the start                expect NOERROR
#   forwarded 15 %                   u<nonce>x<i>.w.test A, never asked before            expect NOERROR
#   tcp       TCP_RATE qps           cached and blocked names over TCP (dnsperf -m tcp)    expect NOERROR/NXDOMAIN
#   garbage   GARBAGE_PER_SEC datagrams of random bytes (1–512) over UDP, at most GARBAGE_MAX in all
# Meanwhile a rule is added to or removed from a small list every EDIT_SECS (written aside, then renamed into
# place, as an editor saves), and each change is checked with dig; the upstream (nsd) is stopped every
# FLAP_MIN..FLAP_MAX seconds for DOWN_SECS, then started again. SERVFAIL and losses in slices that overlap an
# outage (plus GRACE_SECS for the server to notice the upstream is back) are counted apart from the others.
# Every SAMPLE_SECS: the server's VmRSS, open descriptors (/proc/PID/fd), threads, and counters from /metrics.
#
# Everything binds and sends to 127.0.0.1 only. Processes are stopped by their recorded pids on any exit;
# after a kill -9, `WORK=/tmp/nationaldns-soak bench/stop-targets.sh` stops the server and nsd.
set -euo pipefail
WORK=${WORK:-/tmp/nationaldns-soak}
# Ports of their own, so a soak can run beside bench/run.sh's servers.
PORT_UPSTREAM=${PORT_UPSTREAM:-5385}
PORT_NATIONALDNS=${PORT_NATIONALDNS:-5386}
PORT_HTTP=${PORT_HTTP:-5387}
export WORK PORT_UPSTREAM PORT_NATIONALDNS   # gen-zone.sh and gen-blocklist.sh read them too
. "$(dirname "$0")/lib.sh"

seconds_of() {
  case $1 in
    *h) echo $(( ${1%h} * 3600 )) ;; *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;;
    *[!0-9]*|'') die "DURATION: '$1' is not a duration (30s, 5m, 1h or seconds)" ;; *) echo "$1" ;;
  esac
}
DURATION=${DURATION:-1h}
DURATION_S=$(seconds_of "$DURATION")
RATE=${RATE:-10000}
N=${N:-100000}
TCP_RATE=${TCP_RATE:-$(( RATE / 100 ))}
SLICE_SECS=${SLICE_SECS:-10}
SAMPLE_SECS=${SAMPLE_SECS:-5}
EDIT_SECS=${EDIT_SECS:-3}
FLAP_MIN=${FLAP_MIN:-30}
FLAP_MAX=${FLAP_MAX:-60}
DOWN_SECS=${DOWN_SECS:-5}
GRACE_SECS=${GRACE_SECS:-10}
GARBAGE_PER_SEC=${GARBAGE_PER_SEC:-2}
GARBAGE_MAX=${GARBAGE_MAX:-20000}
MAX_RSS_GROWTH_MB=${MAX_RSS_GROWTH_MB:-20}
MAX_FD_GROWTH=${MAX_FD_GROWTH:-10}
ND_QUERY_LOG=${ND_QUERY_LOG:-sqlite}
[ "$DURATION_S" -ge 20 ] || die "DURATION must be at least 20s"
[ "$FLAP_MIN" -le "$FLAP_MAX" ] || die "FLAP_MIN must not exceed FLAP_MAX"

udp_rate=$(( RATE - TCP_RATE ))
RATE_BLOCKED=$(( udp_rate * 45 / 100 ))
RATE_CACHED=$(( udp_rate * 40 / 100 ))
RATE_FORWARDED=$(( udp_rate - RATE_BLOCKED - RATE_CACHED ))

ensure_packages
command -v curl >/dev/null || die "needs curl (the sampler reads /metrics with it)"
for port in "$PORT_UPSTREAM" "$PORT_NATIONALDNS" "$PORT_HTTP"; do
  port_busy "$port" && die "127.0.0.1:$port is already in use: $(ss -Hlnup "sport = :$port" | head -1)"
done

ensure_build
ensure_data

# The server reads a folder: the generated list, and a small list the editor rewrites.
LISTS=$WORK/soak/lists
rm -rf "$WORK/soak" && mkdir -p "$LISTS" "$WORK/soak/scratch"
cp "$WORK/lists/$N/blocklist.txt" "$LISTS/blocklist.txt"
echo "# rewritten every ${EDIT_SECS}s by bench/soak.sh" > "$LISTS/edits.txt"
SCRATCH=$WORK/soak/scratch
RAW=$WORK/results/soak-$(date -u +%Y%m%d-%H%M%S).raw
STATE=$SCRATCH/upstream.state

LOOP_PIDS=()
cleanup() {
  local pid deadline
  trap - EXIT INT TERM
  for pid in "${LOOP_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  deadline=$(( $EPOCHSECONDS + 20 ))
  for pid in "${LOOP_PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$EPOCHSECONDS" -lt "$deadline" ]; do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
  done
  stop_recorded nationaldns
  stop_recorded upstream
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the upstream and the server
start_upstream() {
  spawn upstream nsd -d -c "$WORK/conf/nsd.conf" >/dev/null
  wait_status "$PORT_UPSTREAM" n1.test NOERROR 60 || die "nsd did not answer; see $WORK/log/upstream.out"
}
start_upstream
echo up > "$STATE"

ND_PID=$(spawn nationaldns dotnet "$WORK/publish/nationaldns.dll" \
  --listen "127.0.0.1:$PORT_NATIONALDNS" --upstream "127.0.0.1:$PORT_UPSTREAM" --http "127.0.0.1:$PORT_HTTP" \
  --blocklist "$LISTS" --log-level "${ND_LOG_LEVEL:-warning}" ${THREADS:+--threads "$THREADS"} \
  --query-log "$ND_QUERY_LOG" --query-log-max-size 256MB --data-dir "$WORK/soak/data" ${ND_ARGS:-})
wait_status "$PORT_NATIONALDNS" "$(cat "$WORK/lists/$N/probe")" NXDOMAIN "${LOAD_TIMEOUT:-300}" ||
  die "NationalDns did not answer; see $WORK/log/nationaldns.out"

# --- query files
awk 'BEGIN { for (i = 0; i < 100; i++) printf "n%d.test A\n", i }' > "$WORK/queries/soak-cached.txt"
{ cat "$WORK/queries/soak-cached.txt"; head -n 100 "$WORK/queries/blocked-$N.txt"; } > "$WORK/queries/soak-tcp.txt"
timeout 30 dnsperf -s 127.0.0.1 -p "$PORT_NATIONALDNS" -d "$WORK/queries/soak-cached.txt" -n 2 -t 2 >/dev/null 2>&1 || true

START=$EPOCHSECONDS
END=$(( START + DURATION_S ))
offset() { echo $(( $EPOCHSECONDS - START )); }
{
  echo "meta start=$(date -u -d "@$START" +%Y-%m-%dT%H:%M:%SZ) duration_s=$DURATION_S rate=$RATE n=$N tcp_rate=$TCP_RATE" \
    "blocked=$RATE_BLOCKED cached=$RATE_CACHED forwarded=$RATE_FORWARDED slice_s=$SLICE_SECS sample_s=$SAMPLE_SECS" \
    "edit_s=$EDIT_SECS flap_s=$FLAP_MIN-$FLAP_MAX down_s=$DOWN_SECS grace_s=$GRACE_SECS garbage_per_s=$GARBAGE_PER_SEC" \
    "max_rss_growth_mb=$MAX_RSS_GROWTH_MB max_fd_growth=$MAX_FD_GROWTH query_log=$ND_QUERY_LOG threads=${THREADS:-default}" \
    "build=$(git -C "$REPO_DIR" rev-parse --short HEAD)$(git -C "$REPO_DIR" diff --quiet HEAD -- src 2>/dev/null || echo '+local')" \
    "cpus=$(nproc) dotnet=$(dotnet --version) nsd=$(nsd -v 2>&1 | sed -n 's/^NSD version //p' | head -n 1)"
} > "$RAW"
log "soak for ${DURATION_S}s at $RATE qps (N=$N); raw lines: $RAW"

# Each loop below runs in a subshell; on SIGTERM it stops the child it is waiting for, then exits.
CHILD=""
on_term() { [ -n "$CHILD" ] && kill "$CHILD" 2>/dev/null; exit 0; }
run_child() { "$@" & CHILD=$!; wait "$CHILD" || true; CHILD=""; }

# One dnsperf slice of a stream; appends one "slice" line to $RAW.
#   slice STREAM MODE INPUT RATE SECS EXPECTED  (EXPECTED: rcodes that count as right, comma-separated)
# Losses are queries dnsperf gave up on (-t 3 s); SERVFAIL is counted apart from other wrong rcodes.
slice() {
  local stream=$1 mode=$2 input=$3 rate=$4 secs=$5 expected=$6 t0 out=$SCRATCH/slice-$1.out percentiles
  t0=$(offset)
  run_child timeout $(( secs + 20 )) dnsperf -m "$mode" -s 127.0.0.1 -p "$PORT_NATIONALDNS" -d "$input" \
    -c 4 -T 1 -q 500 -t 3 -l "$secs" -Q "$rate" -v > "$out" 2>&1
  # -v prints "> RCODE name type seconds" per answered query
  percentiles=$(awk '$1 == ">" && NF == 5 { print $5 * 1000 }' "$out" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR) printf "p50_ms=%.3f p99_ms=%.3f max_ms=%.3f", v[int(NR * 0.50) + 1], v[int(NR * 0.99) + 1], v[NR]; else printf "p50_ms=- p99_ms=- max_ms=-" }')
  awk -v t="$t0" -v end="$(offset)" -v stream="$stream" -v expected="$expected" -v pct="$percentiles" '
    BEGIN { n = split(expected, e, ","); for (i = 1; i <= n; i++) want[e[i]] = 1 }
    /Queries sent:/ { sent = $3 }
    /Queries completed:/ { completed = $3 }
    /Queries lost:/ { lost = $3 }
    /Response codes:/ {
      sub(/.*Response codes: */, ""); k = split($0, parts, /, /)
      for (i = 1; i <= k; i++) { split(parts[i], f, " "); if (f[1] == "SERVFAIL") servfail += f[2]; else if (f[1] in want) ok += f[2]; else errors += f[2] }
    }
    END {
      printf "slice t=%d end=%d stream=%s sent=%d completed=%d lost=%d ok=%d servfail=%d errors=%d %s\n",
        t, end, stream, sent, completed, lost, ok, servfail, errors, pct
    }' "$out" >> "$RAW"
}

# A load stream: slices until the end. For "forwarded", every slice gets names never asked before.
stream_loop() {
  local stream=$1 mode=$2 input=$3 rate=$4 expected=$5 left secs k=0
  trap on_term TERM
  while left=$(( END - $EPOCHSECONDS )); [ "$left" -ge 2 ]; do
    secs=$(( left < SLICE_SECS ? left : SLICE_SECS ))
    if [ "$stream" = forwarded ]; then
      k=$(( k + 1 )); input=$SCRATCH/unique.txt
      awk -v n=$(( rate * secs * 12 / 10 + 100 )) -v z="$START$k" 'BEGIN { for (i = 0; i < n; i++) printf "u%sx%d.w.test A\n", z, i }' > "$input"
    fi
    slice "$stream" "$mode" "$input" "$rate" "$secs" "$expected"
  done
}

# Rules come and go: odd steps add edit<k>.w.test, even steps remove it; each change is written to a hidden
# file (the server skips dot files) and renamed over the list, then checked with dig (at most 5 s).
edit_loop() {
  local k=0 name="" op want seen t0 status deadline
  trap on_term TERM
  while [ "$EPOCHSECONDS" -lt $(( END - 2 )) ]; do
    sleep "$EDIT_SECS"
    k=$(( k + 1 ))
    if [ -z "$name" ]; then
      name="edit$k.w.test"; op=add; want=NXDOMAIN
      { cat "$LISTS/edits.txt"; echo "$name"; } > "$LISTS/.edits.tmp"
    else
      op=remove; want=other
      grep -vx "$name" "$LISTS/edits.txt" > "$LISTS/.edits.tmp" || true
    fi
    mv "$LISTS/.edits.tmp" "$LISTS/edits.txt"
    t0=${EPOCHREALTIME/./}; seen=timeout; deadline=$(( $EPOCHSECONDS + 5 ))
    while [ "$EPOCHSECONDS" -lt "$deadline" ]; do
      status=$(dns_status "$PORT_NATIONALDNS" "$name")
      if { [ "$want" = NXDOMAIN ] && [ "$status" = NXDOMAIN ]; } || { [ "$want" = other ] && [ -n "$status" ] && [ "$status" != NXDOMAIN ]; }; then
        seen=$(( (${EPOCHREALTIME/./} - t0) / 1000 )); break
      fi
      sleep 0.05
    done
    echo "edit t=$(offset) op=$op name=$name seen_ms=$seen" >> "$RAW"
    [ "$op" = remove ] && name=""
  done
}

# The upstream comes and goes: up FLAP_MIN..FLAP_MAX seconds, down DOWN_SECS.
flap_loop() {
  trap on_term TERM
  while :; do
    run_child sleep $(( FLAP_MIN + RANDOM % (FLAP_MAX - FLAP_MIN + 1) ))
    [ $(( END - $EPOCHSECONDS )) -gt $(( DOWN_SECS + 2 )) ] || break
    echo down > "$STATE"; echo "flap t=$(offset) state=down" >> "$RAW"
    stop_recorded upstream
    run_child sleep "$DOWN_SECS"
    start_upstream
    echo up > "$STATE"; echo "flap t=$(offset) state=up" >> "$RAW"
  done
}

# Malformed datagrams: random bytes, 1 to 512 of them, to the server's UDP port.
garbage_loop() {
  local sent=0 pause
  pause=$(echo "scale=3; 1 / $GARBAGE_PER_SEC" | bc)
  trap 'echo "garbage sent=$sent" >> "$RAW"; exit 0' TERM
  while [ "$EPOCHSECONDS" -lt "$END" ] && [ "$sent" -lt "$GARBAGE_MAX" ]; do
    head -c $(( RANDOM % 512 + 1 )) /dev/urandom > "/dev/udp/127.0.0.1/$PORT_NATIONALDNS" 2>/dev/null || true
    sent=$(( sent + 1 ))
    sleep "$pause"
  done
  echo "garbage sent=$sent" >> "$RAW"
}

stream_loop blocked udp "$WORK/queries/blocked-$N.txt" "$RATE_BLOCKED" NXDOMAIN & LOOP_PIDS+=($!)
stream_loop cached udp "$WORK/queries/soak-cached.txt" "$RATE_CACHED" NOERROR & LOOP_PIDS+=($!)
stream_loop forwarded udp "" "$RATE_FORWARDED" NOERROR & LOOP_PIDS+=($!)
[ "$TCP_RATE" -gt 0 ] && { stream_loop tcp tcp "$WORK/queries/soak-tcp.txt" "$TCP_RATE" NOERROR,NXDOMAIN & LOOP_PIDS+=($!); }
edit_loop & LOOP_PIDS+=($!)
flap_loop & LOOP_PIDS+=($!)
[ "$GARBAGE_PER_SEC" -gt 0 ] && { garbage_loop & LOOP_PIDS+=($!); }

# --- the sampler, in the foreground until the end
metrics() {
  curl -s --max-time 2 "http://127.0.0.1:$PORT_HTTP/metrics" 2>/dev/null | awk '
    /^#/ { next }
    { name = $1; sub(/\{.*/, "", name); v = $NF }
    name == "nationaldns_queries_total" { q += v }
    name == "nationaldns_refusals_total" { r += v }
    name == "nationaldns_upstream_errors_total" { ue += v }
    name == "nationaldns_reloads_total" && $1 ~ /result="success"/ { rok = v }
    name == "nationaldns_reloads_total" && $1 ~ /result="failure"/ { rfail = v }
    name == "nationaldns_last_reload_success" { last = v }
    name == "nationaldns_cache_entries" { ce = v }
    name == "nationaldns_query_log_dropped_total" { qd += v }
    END { printf "queries=%d refusals=%d upstream_errors=%d reloads_ok=%d reloads_failed=%d last_reload_ok=%s cache_entries=%d querylog_dropped=%d",
                 q, r, ue, rok, rfail, (last == "" ? "-" : last), ce, qd }'
}
next_sample=$START
while [ "$EPOCHSECONDS" -lt "$END" ]; do
  kill -0 "$ND_PID" 2>/dev/null || { echo "died t=$(offset)" >> "$RAW"; log "NationalDns (pid $ND_PID) exited"; break; }
  echo "sample t=$(offset) rss_mb=$(rss_mb "$ND_PID") fds=$(find "/proc/$ND_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)" \
    "threads=$(awk '/^Threads:/ { print $2 }' "/proc/$ND_PID/status" 2>/dev/null) upstream=$(cat "$STATE") $(metrics)" >> "$RAW"
  # on a schedule, so a slow sample does not stretch the interval
  next_sample=$(( next_sample + SAMPLE_SECS ))
  while [ "$EPOCHSECONDS" -lt "$next_sample" ]; do sleep 0.2; done
done

# Let the streams finish their last slice, then stop everything and report.
deadline=$(( $EPOCHSECONDS + SLICE_SECS + 30 ))
for pid in "${LOOP_PIDS[@]}"; do
  while kill -0 "$pid" 2>/dev/null && [ "$EPOCHSECONDS" -lt "$deadline" ]; do sleep 0.2; done
done
kill -0 "$ND_PID" 2>/dev/null || echo "died t=$(offset)" >> "$RAW"
echo "stack_traces lines=$(grep -c '^ *at ' "$WORK/log/nationaldns.out" || true)" >> "$RAW"
cleanup
"$BENCH_DIR/soak-report.sh" "$RAW" | tee "${RAW%.raw}.md"
log "report: ${RAW%.raw}.md"

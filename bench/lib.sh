# Settings and helpers shared by the bench/ scripts. Source it; do not run it.
#
# Everything generated (zone, lists, configs, logs, the Release build, results) goes under $WORK,
# outside the repository. Every server binds 127.0.0.1 only. Every process a script starts is
# recorded in $WORK/run/<name>.pid and stopped by that pid, never by name.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
WORK=${WORK:-/tmp/nationaldns-bench}

# Loopback ports, below the kernel's ephemeral range so test suites running on the same machine
# (which bind port 0) cannot take them.
PORT_UPSTREAM=${PORT_UPSTREAM:-5380}     # nsd, authoritative for test. (stands in for the internet)
PORT_UNBOUND=${PORT_UNBOUND:-5381}       # unbound, THREADS threads (1), forwarding to nsd
PORT_NATIONALDNS=${PORT_NATIONALDNS:-5382}

# The one cap every dnsperf run obeys, whatever a caller asks for.
MAX_RUN_SECS=30

mkdir -p "$WORK"/{zone,lists,queries,conf,run,log,results}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# Install the Debian packages the benchmark needs, only those missing. Keeps the maintainer
# scripts from starting the daemons as system services (Debian's policy-rc.d): we start our own.
ensure_packages() {
  local missing=() p policy=/usr/sbin/policy-rc.d ours=""
  for p in dnsperf unbound nsd dnsutils bc procps iproute2; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  log "installing ${missing[*]}"
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && ours=1
  fi
  $sudo apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive timeout 900 $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -n "$ours" ] && $sudo rm -f "$policy"
  return 0
}

# True if something already listens on UDP or TCP 127.0.0.1:$1 (or on all addresses).
# The Release build in $WORK/publish: made unless SKIP_BUILD is set and one is already there.
ensure_build() {
  [ -n "${SKIP_BUILD:-}" ] && [ -f "$WORK/publish/nationaldns.dll" ] && return 0
  log "building Release -> $WORK/publish (log: $WORK/log/build.log)"
  dotnet publish "$REPO_DIR/src/NationalDns" -c Release -o "$WORK/publish" --artifacts-path "$WORK/artifacts" --nologo \
    > "$WORK/log/build.log" 2>&1 || { tail -n 20 "$WORK/log/build.log" >&2; die "build failed"; }
}

# nsd's zone (made again when its config is for another port) and the N-name list with its queries, when missing.
ensure_data() {
  [ -f "$WORK/zone/test.zone" ] && [ -f "$WORK/conf/nsd.conf" ] && grep -q "@$PORT_UPSTREAM\$" "$WORK/conf/nsd.conf" ||
    "$BENCH_DIR/gen-zone.sh"
  [ -f "$WORK/lists/$N/blocklist.txt" ] && [ -f "$WORK/queries/blocked-$N.txt" ] || "$BENCH_DIR/gen-blocklist.sh" "$N"
}

port_busy() { ss -Hlnu "sport = :$1" | grep -q . || ss -Hlnt "sport = :$1" | grep -q .; }

# dig once against 127.0.0.1:$1 for name $2 type $3 (default A); prints the status word or nothing.
dns_status() {
  dig +tries=1 +time=1 +norecurse -p "$1" @127.0.0.1 "$2" "${3:-A}" 2>/dev/null |
    sed -n 's/.*status: \([A-Z]*\),.*/\1/p'
}

# Poll (bounded) until 127.0.0.1:$1 answers $2 with status $3; $4 = deadline in seconds.
wait_status() {
  local port=$1 name=$2 want=$3 deadline=$(( $(date +%s) + ${4:-60} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(dns_status "$port" "$name")" = "$want" ] && return 0
    sleep 0.05
  done
  return 1
}

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }
hwm_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }

# utime + stime of a process (all its threads), in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

# Start "$@" in the background with output to $WORK/log/$NAME.out and record its pid.
# Usage: spawn NAME cmd args...   (the pid is in $WORK/run/NAME.pid; also echoed)
spawn() {
  local name=$1; shift
  "$@" > "$WORK/log/$name.out" 2>&1 &
  echo $! > "$WORK/run/$name.pid"
  echo $!
}

pid_of() { cat "$WORK/run/$1.pid" 2>/dev/null; }

# Stop the process recorded in $WORK/run/$1.pid: SIGTERM, a bounded wait, then SIGKILL.
stop_recorded() {
  local pf=$WORK/run/$1.pid pid
  [ -f "$pf" ] || return 0
  pid=$(cat "$pf")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    local deadline=$(( $(date +%s) + 10 ))
    while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$pf"
}

# fmt VALUE DECIMALS: thousands separators for whole numbers, "–" when the value is missing.
fmt() {
  [ -z "$1" ] && { echo "–"; return; }
  LC_ALL=C awk -v x="$1" -v d="$2" 'BEGIN {
    s = sprintf("%." d "f", x); if (d > 0 || x < 1000) { print s; exit }
    out = ""; while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } print s out }'
}

# Median of the numbers on stdin (one per line); empty input prints nothing.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# utime + stime of process $1 and all its descendants, in clock ticks (nsd serves from a child).
tree_cpu_ticks() {
  # processes come and go while cat reads them: a vanished one is not an error
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
    { pid = $1; rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
      parent[pid] = f[2]; ticks[pid] = f[12] + f[13] }
    END {
      for (p in parent) { q = p; while (q != "" && q != root && q + 0 > 1) q = parent[q]; if (q == root) sum += ticks[p] }
      print sum + 0 }'
}

#!/usr/bin/env bash
# DNS over TLS and DNS over HTTPS: NationalDns next to Unbound, one command.
#
# Builds NationalDns in Release (unless SKIP_BUILD and a build exists), makes one self-signed certificate for
# 127.0.0.1 that both servers present, writes a small blocked list (N names) for both, starts
#   nationaldns  --listen 127.0.0.1:$ENC_PORT (plain, for the readiness probe) --listen-tls :+1 --listen-https :+2
#   unbound      interface 127.0.0.1@$ENC_PORT+3 (plain), tls-port :+4, https-port :+5 (DoH over HTTP/2, Unbound ≥ 1.12)
# and loads each with dnsperf -m dot and -m doh on the blocked names (every answer NXDOMAIN from the list: the
# transport is what is measured, nothing leaves either server). REPS rounds, each running every mode against both
# servers back to back, the server order flipping every round; then the median qps of each and the ratio as markdown
# table rows, printed and saved in $WORK/results/encrypted-<stamp>.md.
#
# Env: N (1000 names), REPS (5), SECS (10 per run, at most 30), WARM_SECS (3), MODES ("dot doh"; "tcp dot doh" adds
#      plain TCP for reference), CLIENTS (8 connections) and OUTSTANDING (200), DOH_METHOD (GET or POST; GET),
#      ENC_PORT (5390: six loopback ports from it), THREADS (1: --threads and num-threads), SKIP_BUILD, WORK.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

N=${N:-1000}; REPS=${REPS:-5}; SECS=${SECS:-10}; WARM_SECS=${WARM_SECS:-3}
MODES=${MODES:-dot doh}; CLIENTS=${CLIENTS:-8}; OUTSTANDING=${OUTSTANDING:-200}; DOH_METHOD=${DOH_METHOD:-GET}
THREADS=${THREADS:-1}; ENC_PORT=${ENC_PORT:-5390}
[ "$SECS" -gt "$MAX_RUN_SECS" ] && SECS=$MAX_RUN_SECS
ND_PLAIN=$ENC_PORT; ND_DOT=$((ENC_PORT + 1)); ND_DOH=$((ENC_PORT + 2))
UB_PLAIN=$((ENC_PORT + 3)); UB_DOT=$((ENC_PORT + 4)); UB_DOH=$((ENC_PORT + 5))
dir=$WORK/encrypted
mkdir -p "$dir"

stop_all() { for name in enc-nationaldns enc-unbound; do stop_recorded "$name"; done; }
trap stop_all EXIT
trap 'exit 130' INT TERM

for port in "$ND_PLAIN" "$ND_DOT" "$ND_DOH" "$UB_PLAIN" "$UB_DOT" "$UB_DOH"; do
  port_busy "$port" && die "127.0.0.1:$port is already in use (ENC_PORT picks another range)"
done
command -v dnsperf >/dev/null && command -v unbound >/dev/null && command -v openssl >/dev/null ||
  die "needs dnsperf (2.10 or later for -m dot/doh), unbound and openssl"
{ dnsperf -h 2>&1 || true; } | grep -q 'dot or doh' || die "this dnsperf has no -m dot/doh (needs 2.10 or later)"

ensure_build

# --- the list, the queries and the certificate both servers share
awk -v n="$N" 'BEGIN { print "# bench/encrypted.sh"; for (i = 0; i < n; i++) printf "blocked%d.example\n", i }' > "$dir/blocklist.txt"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "local-zone: \"blocked%d.example.\" always_nxdomain\n", i }' > "$dir/unbound-list.conf"
awk -v n="$N" 'BEGIN { srand(7); for (i = 0; i < 20000; i++) { d = int(rand() * n); printf (i % 2 ? "www.blocked%d.example A\n" : "blocked%d.example AAAA\n"), d } }' > "$dir/queries.txt"
probe="blocked$((N - 1)).example"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$dir/server.key" -out "$dir/server.crt" 2>/dev/null

cat > "$dir/unbound.conf" <<CONF
server:
    interface: 127.0.0.1@$UB_PLAIN
    interface: 127.0.0.1@$UB_DOT
    interface: 127.0.0.1@$UB_DOH
    tls-port: $UB_DOT
    https-port: $UB_DOH
    tls-service-key: "$dir/server.key"
    tls-service-pem: "$dir/server.crt"
    http-endpoint: "/dns-query"
    num-threads: $THREADS
    username: ""
    chroot: ""
    directory: "$dir"
    pidfile: "$dir/unbound.internal.pid"
    use-syslog: no
    logfile: "$WORK/log/enc-unbound.log"
    verbosity: 0
    access-control: 127.0.0.0/8 allow
    num-queries-per-thread: 4096
    incoming-num-tcp: 1024
    module-config: "iterator"
    include: "$dir/unbound-list.conf"
remote-control:
    control-enable: no
CONF
unbound-checkconf "$dir/unbound.conf" >/dev/null

start() {
  local name=$1 port=$2; shift 2
  local pid; pid=$(spawn "$name" "$@")
  wait_status "$port" "$probe" NXDOMAIN 120 || die "$name did not answer NXDOMAIN for $probe on $port; see $WORK/log/$name.out"
  kill -0 "$pid" 2>/dev/null || die "$name exited; see $WORK/log/$name.out"
  log "$name ready (pid $pid)"
}
start enc-unbound "$UB_PLAIN" unbound -d -c "$dir/unbound.conf"
# --upstream is a discard port nothing listens on: every query of the run is answered from the list.
start enc-nationaldns "$ND_PLAIN" dotnet "$WORK/publish/nationaldns.dll" \
  --listen "127.0.0.1:$ND_PLAIN" --listen-tls "127.0.0.1:$ND_DOT" --listen-https "127.0.0.1:$ND_DOH" \
  --tls-cert "$dir/server.crt" --tls-key "$dir/server.key" --upstream 127.0.0.1:9 \
  --blocklist "$dir/blocklist.txt" --log-level warning --threads "$THREADS" --query-log off --data-dir "$dir/data"

port_of() {
  case $1/$2 in
    nationaldns/tcp) echo "$ND_PLAIN" ;; nationaldns/dot) echo "$ND_DOT" ;; nationaldns/doh) echo "$ND_DOH" ;;
    unbound/tcp) echo "$UB_PLAIN" ;; unbound/dot) echo "$UB_DOT" ;; unbound/doh) echo "$UB_DOH" ;;
  esac
}

# One bounded dnsperf run: prints "qps rcode_ok lost_pct".
once() {
  local server=$1 mode=$2 secs=$3 port out
  port=$(port_of "$server" "$mode")
  out=$dir/dnsperf-$server-$mode.out
  local args=(-m "$mode" -s 127.0.0.1 -p "$port" -d "$dir/queries.txt" -c "$CLIENTS" -T 1 -q "$OUTSTANDING" -t 5
              -l "$secs" -n $(( secs * 200000 / 20000 + 1 )))
  [ "$mode" = doh ] && args+=(-O "doh-uri=https://127.0.0.1:$port/dns-query" -O "doh-method=$DOH_METHOD")
  timeout $(( secs + 20 )) dnsperf "${args[@]}" > "$out" 2>&1 || true
  awk '/Queries per second:/ { qps = $4 } /Queries lost:/ { lost = $4; gsub(/[()%]/, "", lost) }
       /Response codes:/ { ok = ($0 ~ /NXDOMAIN [0-9]+ \(100(\.0+)?%\)/) }
       END { printf "%.0f %d %s\n", qps, ok, (lost == "" ? "?" : lost) }' "$out"
}

log "warm-up: $WARM_SECS s of each mode against each server"
for mode in $MODES; do for server in nationaldns unbound; do once "$server" "$mode" "$WARM_SECS" >/dev/null; done; done

raw=$dir/raw.txt; : > "$raw"
for round in $(seq 1 "$REPS"); do
  order="nationaldns unbound"; [ $((round % 2)) -eq 0 ] && order="unbound nationaldns"
  for mode in $MODES; do
    for server in $order; do
      read -r qps ok lost < <(once "$server" "$mode" "$SECS")
      echo "$round $mode $server $qps $ok $lost" >> "$raw"
      log "round $round $mode $server: $qps qps, lost $lost %, all NXDOMAIN: $([ "$ok" = 1 ] && echo yes || echo NO)"
    done
  done
done

stamp=$(date -u +%Y%m%dT%H%MZ)
report=$WORK/results/encrypted-$stamp.md
{
  echo "<!-- bench/encrypted.sh $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, N=$N REPS=$REPS SECS=$SECS CLIENTS=$CLIENTS OUTSTANDING=$OUTSTANDING THREADS=$THREADS DoH $DOH_METHOD, unbound $(unbound -V | awk '/^Version/ { print $2 }'), dnsperf $({ dnsperf -h 2>&1 || true; } | awk '/^Version/ { print $2 }') -->"
  echo "| transport (blocked names) | NationalDns qps | Unbound qps | NationalDns / Unbound | all NXDOMAIN |"
  echo "|---|---:|---:|---:|---|"
  for mode in $MODES; do
    nd=$(awk -v m="$mode" '$2 == m && $3 == "nationaldns" { print $4 }' "$raw" | median)
    ub=$(awk -v m="$mode" '$2 == m && $3 == "unbound" { print $4 }' "$raw" | median)
    ok=$(awk -v m="$mode" '$2 == m && $5 != 1 { bad = 1 } END { print bad ? "no" : "yes" }' "$raw")
    ratio=$(awk -v a="$nd" -v b="$ub" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "–" }')
    label=$(case $mode in tcp) echo "TCP" ;; dot) echo "DoT" ;; doh) echo "DoH (HTTP/2, $DOH_METHOD)" ;; esac)
    echo "| $label | $(fmt "$nd" 0) | $(fmt "$ub" 0) | $ratio | $ok |"
  done
} > "$report"
cat "$report"
log "report: $report (raw rounds: $raw; last dnsperf outputs: $dir/dnsperf-*.out)"

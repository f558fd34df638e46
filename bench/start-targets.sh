#!/usr/bin/env bash
# Start the upstream (nsd) and both servers under test, each on loopback, with blocklist N:
#   unbound      127.0.0.1:$PORT_UNBOUND      $THREADS threads (1), the list as local-zone always_nxdomain
#   nationaldns  127.0.0.1:$PORT_NATIONALDNS  the Release build in $WORK/publish
# Both forward to nsd on 127.0.0.1:$PORT_UPSTREAM. The servers are started one after the other so
# each loads its list on an otherwise idle machine.
# Usage: start-targets.sh N
# Prints, per server: load target=… pid=… load_s=… rss_mb=…
#   load_s = from exec until a name under the LAST list entry is answered NXDOMAIN
#            (process start + list load + port open), polled every 50 ms.
# Env: ND_LOG_LEVEL (default warning: refusals are not logged, as unbound logs no queries;
#      set information to measure with the per-refusal log on), LOAD_TIMEOUT (default 300 s),
#      THREADS (default 1: Unbound's num-threads and NationalDns's --threads alike),
#      ND_QUERY_LOG (default off: the in-memory query log only, as Unbound keeps no query log; sqlite keeps it on disk),
#      ND_ARGS (extra NationalDns options, e.g. "--forwarder dnsclient"),
#      UNBOUND_EXTRA (one extra line for Unbound's server: clause, e.g. "log-local-actions: yes").
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${1:?usage: start-targets.sh N}
lists=$WORK/lists/$N
[ -f "$lists/blocklist.txt" ] || die "no list for N=$N: run gen-blocklist.sh $N"
[ -f "$WORK/conf/nsd.conf" ] || die "no zone: run gen-zone.sh"
[ -f "$WORK/publish/nationaldns.dll" ] || die "no Release build in $WORK/publish"
probe=$(cat "$lists/probe")
ND_LOG_LEVEL=${ND_LOG_LEVEL:-warning}
THREADS=${THREADS:-1}

for port in "$PORT_UPSTREAM" "$PORT_UNBOUND" "$PORT_NATIONALDNS"; do
  port_busy "$port" && die "127.0.0.1:$port is already in use: $(ss -Hlnup "sport = :$port" | head -1)"
done

# --- upstream: nsd in the foreground (-d), so the recorded pid is its main process
spawn upstream nsd -d -c "$WORK/conf/nsd.conf" >/dev/null
wait_status "$PORT_UPSTREAM" n1.test NOERROR 60 || die "nsd did not answer; see $WORK/log/upstream.out and nsd.log"

# --- unbound
cat > "$WORK/conf/unbound-$N.conf" <<CONF
server:
    interface: 127.0.0.1@$PORT_UNBOUND
    num-threads: $THREADS
    so-reuseport: yes
    username: ""
    chroot: ""
    directory: "$WORK/run"
    pidfile: "$WORK/run/unbound.internal.pid"
    use-syslog: no
    logfile: "$WORK/log/unbound.log"
    verbosity: 0
    access-control: 127.0.0.0/8 allow
    num-queries-per-thread: 4096
    outgoing-range: 8192
    msg-cache-size: 64m
    rrset-cache-size: 128m
    qname-minimisation: no
    # test. is a special-use name unbound serves itself unless told not to
    local-zone: "test." nodefault
    domain-insecure: "test"
    # forwarding to an authoritative server on loopback: no validator, and loopback allowed
    module-config: "iterator"
    do-not-query-localhost: no
    include: "$lists/unbound.conf"
${UNBOUND_EXTRA:+    $UNBOUND_EXTRA}
remote-control:
    control-enable: no
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@$PORT_UPSTREAM
    forward-first: no
CONF
unbound-checkconf "$WORK/conf/unbound-$N.conf" >/dev/null

# Start one server, wait for the probe's NXDOMAIN, print its load line.
start_server() {
  local name=$1 port=$2; shift 2
  local t0 pid
  t0=$(now)
  pid=$(spawn "$name" "$@")
  if ! wait_status "$port" "$probe" NXDOMAIN "${LOAD_TIMEOUT:-300}"; then
    die "$name did not answer NXDOMAIN for $probe on $port; see $WORK/log/$name.out"
  fi
  local load_s; load_s=$(elapsed "$t0")
  kill -0 "$pid" 2>/dev/null || die "$name (pid $pid) exited; see $WORK/log/$name.out"
  printf 'load target=%s n=%s pid=%s load_s=%.2f rss_mb=%s\n' "$name" "$N" "$pid" "$load_s" "$(rss_mb "$pid")"
}

start_server unbound "$PORT_UNBOUND" unbound -d -c "$WORK/conf/unbound-$N.conf"
start_server nationaldns "$PORT_NATIONALDNS" dotnet "$WORK/publish/nationaldns.dll" \
  --listen "127.0.0.1:$PORT_NATIONALDNS" --upstream "127.0.0.1:$PORT_UPSTREAM" \
  --blocklist "$lists/blocklist.txt" --log-level "$ND_LOG_LEVEL" --threads "$THREADS" --query-log "${ND_QUERY_LOG:-off}" \
  --data-dir "$WORK/run/data" ${ND_ARGS:-}

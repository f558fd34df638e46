#!/usr/bin/env bash
# The upstream "internet": zone test. served by nsd on 127.0.0.1:$PORT_UPSTREAM.
#   n0.test .. n<NAMES-1>.test   A   (workload b asks n0..n99 over and over)
#   *.w.test                     A   (wildcard: endless distinct names, so workload c never hits a cache)
# Writes $WORK/zone/test.zone and $WORK/conf/nsd.conf. Usage: gen-zone.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
NAMES=${NAMES:-100000}
zone=$WORK/zone/test.zone

{
  printf '$ORIGIN test.\n$TTL 3600\n'
  printf '@ IN SOA ns.test. hostmaster.test. 1 7200 3600 1209600 300\n'
  printf '@ IN NS ns.test.\nns IN A 127.0.0.1\n*.w IN A 10.255.0.1\n'
  awk -v names="$NAMES" 'BEGIN {
    for (i = 0; i < names; i++)
      printf "n%d IN A 10.%d.%d.%d\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256
  }'
} > "$zone"

cat > "$WORK/conf/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1@$PORT_UPSTREAM
    server-count: 1
    username: ""
    chroot: ""
    database: ""
    zonelistfile: "$WORK/run/nsd.zonelist"
    xfrdfile: "$WORK/run/nsd.xfrd.state"
    xfrdir: "$WORK/run"
    pidfile: "$WORK/run/nsd.internal.pid"
    logfile: "$WORK/log/nsd.log"
    verbosity: 0
    # Debian builds nsd with response rate limiting on: it would throttle the wildcard answers
    # of workload c to a few hundred per second and the resolvers would see timeouts.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "test."
    zonefile: "$zone"
CONF
nsd-checkconf "$WORK/conf/nsd.conf"
log "zone test.: $NAMES names + *.w.test -> $zone"

#!/usr/bin/env bash
# A synthetic blocklist of N domains plus the WhatsApp and Telegram family, and the same list for
# unbound, and the workload-a query file. Deterministic: the same N always gives the same files.
# Usage: gen-blocklist.sh N
# Writes:
#   $WORK/lists/N/blocklist.txt   NationalDns list: one domain per line (blocks it and its subdomains)
#   $WORK/lists/N/unbound.conf    local-zone: "domain." always_nxdomain   (the same semantics)
#   $WORK/queries/blocked-N.txt   200k dnsperf lines: apex or random subdomain of listed domains,
#                                 ~1 % from the real family; 80 % A, 15 % AAAA, 5 % HTTPS
#   $WORK/lists/N/probe           a name under the LAST listed domain (load-time probe)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${1:?usage: gen-blocklist.sh N}
dir=$WORK/lists/$N
mkdir -p "$dir"
FAMILY="whatsapp.com whatsapp.net wa.me whatsapp.biz whatsapp.org wl.co web.whatsapp.com
telegram.org telegram.me t.me telegra.ph telesco.pe tdesktop.com telegram.dog"

# name(i): a distinct domain per i. The multiplier is odd, so i -> h is a bijection mod 2^32 and
# names never repeat; prefixes, labels and TLDs vary so the list looks like a real tracker list.
NAME_FN='
function name(i,   h, tld, pre) {
  h = (i * 2246822519) % 4294967296
  tld = tlds[i % ntlds + 1]
  pre = pres[int(h / 13) % npres + 1]
  if (i % 4 != 3) return sprintf("%s-%x.%s", pre, h, tld)
  return sprintf("%s%d.%s-%x.%s", subs[i % nsubs + 1], i % 89, pre, h, tld)
}
BEGIN {
  ntlds = split("com net org io ru de info xyz top cn co.uk online site biz club", tlds, " ")
  npres = split("ad track pixel metrics cdn promo clk stats tag beacon", pres, " ")
  nsubs = split("www api m img static s", subs, " ")
}'

started=$(now)
{
  echo "# synthetic benchmark list: $N generated domains + the WhatsApp/Telegram family"
  for d in $FAMILY; do echo "$d"; done
  awk -v n="$N" "$NAME_FN"' END { for (i = 0; i < n; i++) print name(i) }' /dev/null
} > "$dir/blocklist.txt"

grep -v '^#' "$dir/blocklist.txt" |
  awk '{ printf "local-zone: \"%s.\" always_nxdomain\n", $1 }' > "$dir/unbound.conf"

echo "probe$N.$(tail -n 1 "$dir/blocklist.txt")" > "$dir/probe"

awk -v n="$N" -v family="$FAMILY" "$NAME_FN"' END {
  srand(20260223); nfam = split(family, fam, /[ \n]+/)
  for (k = 0; k < 200000; k++) {
    d = (rand() < 0.01) ? fam[int(rand() * nfam) + 1] : name(int(rand() * n))
    if (rand() < 0.5) d = sprintf("x%x.%s", int(rand() * 16777216), d)
    r = rand(); print d, (r < 0.80 ? "A" : (r < 0.95 ? "AAAA" : "HTTPS"))
  }
}' /dev/null > "$WORK/queries/blocked-$N.txt"

log "blocklist N=$N: $(grep -vc '^#' "$dir/blocklist.txt") domains in $(printf '%.1f' "$(elapsed "$started")") s -> $dir"

#!/usr/bin/env bash
# The markdown results section for one run: when, where, what versions, how, then the table.
# Usage: report.sh RAW_FILE
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RAW=${1:?usage: report.sh RAW_FILE}
info() { sed -n "s/^info $1: //p" "$RAW" | tail -n 1; }
meta() { awk -v key="$1" '$1 == "meta" { for (i = 2; i <= NF; i++) if (index($i, key "=") == 1) { sub(/^[^=]*=/, "", $i); v = $i } } END { print v }' "$RAW"; }

echo "### Results of $(info date)"
echo
echo "- Machine: $(info machine)."
echo "- Load average (1 min) $(meta loadavg_start) at the start and $(meta loadavg_end) at the end, on $(meta nproc) cores; the run took about $(meta minutes) min."
echo "- Versions: $(info versions)."
echo "- Runs: N = $(fmt "$(meta n)" 0) listed domains (+ the WhatsApp/Telegram family); dnsperf \`-c 8 -T 1 -q 200\`;" \
  "$(meta reps) runs × $(meta secs) s per workload and server, the two servers interleaved, after a $(meta warm_secs) s warm-up per workload;" \
  "fixed-rate runs $(meta lat_reps) × $(meta lat_secs) s at $(fmt "$(meta lat_rate)" 0) qps (a, b) and $(fmt "$(meta lat_rate_c)" 0) qps (c); medians throughout." \
  "NationalDns with \`--log-level $(meta nd_log_level)\`."
note=$(info note)
[ -n "$note" ] && echo "- **Note: $note**"
echo
"$BENCH_DIR/summarize.sh" "$RAW"

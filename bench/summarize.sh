#!/usr/bin/env bash
# Turn a raw results file from run.sh into the markdown comparison table (medians, and the ratio
# NationalDns / Unbound per measure).
# Usage: summarize.sh RAW_FILE
# Raw lines (key=value after a kind word):
#   meta key=value…                                  run parameters and machine
#   load target=… load_s=… rss_mb=…                  start-targets.sh
#   run  target=… rep=… wl=… qps=… srv_us_per_q=… lost_pct=… rcode_ok=…
#   lat  target=… rate=… wl=… p50_ms=… p99_ms=… srv_cpu_pct=… rcode_ok=…
#   rss  target=… rss_mb=…                           after all runs
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RAW=${1:?usage: summarize.sh RAW_FILE}

# values KIND TARGET WL FIELD: one value per matching line (WL "-" matches any line)
values() {
  awk -v kind="$1" -v target="$2" -v wl="$3" -v field="$4" '
    $1 == kind { delete v; for (i = 2; i <= NF; i++) { k = $i; sub(/=.*/, "", k); x = $i; sub(/^[^=]*=/, "", x); v[k] = x }
      if (v["target"] == target && (wl == "-" || v["wl"] == wl) && (field in v) && v[field] != "") print v[field] }' "$RAW"
}
med() { values "$@" | median; }
meta() { awk -v key="$1" '$1 == "meta" { for (i = 2; i <= NF; i++) if (index($i, key "=") == 1) { sub(/^[^=]*=/, "", $i); print $i } }' "$RAW" | tail -n 1; }

ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "–" }' || echo "–"; }

# row LABEL BETTER DECIMALS ND_VALUE UNBOUND_VALUE
row() { printf '| %s | %s | %s | **%s** | %s |\n' "$1" "$(fmt "$4" "$3")" "$(fmt "$5" "$3")" "$(ratio "$4" "$5")" "$2"; }

nd=nationaldns; ub=unbound
n=$(meta n); reps=$(meta reps); secs=$(meta secs); threads=$(meta threads)
threads=${threads:-1}
echo "| measure (N = $(fmt "$n" 0) listed domains) | NationalDns | Unbound $threads thread$([ "$threads" = 1 ] || echo s) | ratio ND/Unbound | better |"
echo "|---|---:|---:|---:|---|"
for wl in a b c; do
  case $wl in
    a) what="a blocked → NXDOMAIN" ;;
    b) what="b 100 allowed names, repeated" ;;
    c) what="c unique allowed names, forwarded" ;;
  esac
  row "$what: qps (median of $reps × ${secs} s)" higher 0 "$(med run $nd $wl qps)" "$(med run $ub $wl qps)"
  row "$what: server CPU µs/query" lower 1 "$(med run $nd $wl srv_us_per_q)" "$(med run $ub $wl srv_us_per_q)"
  # the upstream's work per query tells cache hits (≈ 0) from forwarding
  if [ "$wl" = b ]; then
    row "$what: upstream (nsd) CPU µs/query" "≈ 0 = cached" 1 "$(med run $nd $wl up_us_per_q)" "$(med run $ub $wl up_us_per_q)"
  fi
done
for wl in a b c; do
  rate=$(values lat $nd $wl rate | head -n 1)
  [ -z "$rate" ] && continue
  row "$wl at $(fmt "$rate" 0) qps: achieved qps (below the rate = saturated, latency is queueing)" higher 0 "$(med lat $nd $wl qps)" "$(med lat $ub $wl qps)"
  row "$wl at $(fmt "$rate" 0) qps: p50 latency ms" lower 3 "$(med lat $nd $wl p50_ms)" "$(med lat $ub $wl p50_ms)"
  row "$wl at $(fmt "$rate" 0) qps: p99 latency ms" lower 3 "$(med lat $nd $wl p99_ms)" "$(med lat $ub $wl p99_ms)"
  row "$wl at $(fmt "$rate" 0) qps: server CPU %" lower 0 "$(med lat $nd $wl srv_cpu_pct)" "$(med lat $ub $wl srv_cpu_pct)"
done
row "load time of the list (s, until NXDOMAIN)" lower 2 "$(med load $nd - load_s)" "$(med load $ub - load_s)"
row "RSS after load (MB)" lower 0 "$(med load $nd - rss_mb)" "$(med load $ub - rss_mb)"
row "RSS after the runs (MB)" lower 0 "$(med rss $nd - rss_mb)" "$(med rss $ub - rss_mb)"

# Checks: every run must have the expected rcode mix; lost queries should be ~0.
echo
for t in $nd $ub; do
  total=$(awk -v t="$t" '($1 == "run" || $1 == "lat") && $0 ~ " target=" t " " { c++ } END { print c + 0 }' "$RAW")
  good=$(awk -v t="$t" '($1 == "run" || $1 == "lat") && $0 ~ " target=" t " " && / rcode_ok=1/ { c++ } END { print c + 0 }' "$RAW")
  lost=$( (values run $t - lost_pct; values lat $t - lost_pct) | sort -g | tail -n 1)
  qrange=""
  for wl in a b c; do
    qrange="$qrange $wl $(values run $t $wl qps | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) printf "%.0f–%.0f", lo, hi }')"
  done
  echo "- $t: $good/$total runs with the expected rcodes (a NXDOMAIN, b/c NOERROR), max lost ${lost:-?} %; qps min–max:$qrange"
done

#!/usr/bin/env bash
# The report of a soak (bench/soak.sh) from its raw lines, as markdown: the row for docs/benchmarks.md, totals
# per stream, the run over time, and growth after warm-up with a pass/fail.
# Usage: soak-report.sh RAW    (RAW: $WORK/results/soak-<stamp>.raw)
#
# Growth after warm-up: the samples are cut in quarters by time; the first quarter is warm-up (JIT, caches
# filling), and growth is the median of the last quarter minus the median of the second. A slice is "in an
# outage" when it overlaps the time from stopping the upstream to GRACE_SECS after it is back; its losses and
# SERVFAIL are counted apart. Verdict PASS needs: RSS and descriptor growth within the limits, the server alive
# at the end, no stack trace in its output, no wrong answer (an rcode other than expected or SERVFAIL), every
# list edit seen.
set -euo pipefail
RAW=${1:?usage: soak-report.sh RAW}
[ -f "$RAW" ] || { echo "soak-report.sh: no file $RAW" >&2; exit 1; }

LC_ALL=C awk '
function kv(line, key,   re, m) { re = "(^| )" key "=[^ ]*"; if (match(line, re)) { m = substr(line, RSTART, RLENGTH); sub(/^ /, "", m); return substr(m, length(key) + 2) } return "" }
function sort(a, n,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] + 0 > x + 0; j--) a[j + 1] = a[j]; a[j + 1] = x } }
function med(a, n) { if (!n) return ""; sort(a, n); return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function mx(a, n,   i, m) { m = ""; for (i = 1; i <= n; i++) if (m == "" || a[i] + 0 > m + 0) m = a[i]; return m }
function num(x, d) { return x == "" ? "–" : sprintf("%." d "f", x) }
function grouped(x,   s, out) { s = sprintf("%.0f", x); out = ""; while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } return s out }
function kvn(line, key) { return kv(line, key) + 0 }
function in_outage(a, b,   i) { for (i = 1; i <= nout; i++) if (a < oend[i] && b > ostart[i]) return 1; return 0 }

/^meta / { meta = $0 }
/^sample / { ns++; st[ns] = kvn($0, "t"); srss[ns] = kvn($0, "rss_mb"); sfd[ns] = kvn($0, "fds"); sth[ns] = kvn($0, "threads")
             sq[ns] = kvn($0, "queries"); sce[ns] = kvn($0, "cache_entries"); last_sample = $0 }
/^slice / { nl++; lt[nl] = kvn($0, "t"); le[nl] = kvn($0, "end"); ls[nl] = kv($0, "stream"); lsent[nl] = kvn($0, "sent"); lcomp[nl] = kvn($0, "completed")
            llost[nl] = kvn($0, "lost"); lsf[nl] = kvn($0, "servfail"); lerr[nl] = kvn($0, "errors"); lp99[nl] = kv($0, "p99_ms")
            present[ls[nl]] = 1 }
/^flap / { if (kv($0, "state") == "down") { nout++; ostart[nout] = kvn($0, "t"); oend[nout] = 1e12 } else if (nout) oend[nout] = kvn($0, "t") + grace }
/^edit / { ne++; if (kv($0, "seen_ms") == "timeout") eto++; else { ems[++nems] = kv($0, "seen_ms") } }
/^garbage / { garbage = kvn($0, "sent") }
/^died / { died = kv($0, "t") }
/^stack_traces / { traces = kvn($0, "lines") }
NR == 1 { grace = kvn($0, "grace_s") }

END {
  nstreams = 0; split("blocked cached forwarded tcp", order, " ")
  for (k = 1; k <= 4; k++) if (order[k] in present) streams[++nstreams] = order[k]
  duration = kvn(meta, "duration_s"); rate = kvn(meta, "rate"); max_rss = kvn(meta, "max_rss_growth_mb"); max_fd = kvn(meta, "max_fd_growth")
  start = kv(meta, "start"); build = kv(meta, "build"); slice_s = kvn(meta, "slice_s")

  # totals per stream
  for (i = 1; i <= nl; i++) {
    s = ls[i]; o = in_outage(lt[i], le[i])
    sent[s] += lsent[i]; comp[s] += lcomp[i]; lost[s] += llost[i]; err[s] += lerr[i]
    if (o) { sf_in[s] += lsf[i]; lost_in[s] += llost[i] } else { sf_out[s] += lsf[i]; lost_out[s] += llost[i]; if (lp99[i] != "-") { np[s]++; p99s[s, np[s]] = lp99[i] } }
    T_sent += lsent[i]; T_comp += lcomp[i]; T_lost += llost[i]; T_err += lerr[i]
    if (o) { T_sf_in += lsf[i]; T_lost_in += llost[i] } else { T_sf_out += lsf[i]; T_lost_out += llost[i]; if (lp99[i] != "-") all_p99[++nall] = lp99[i] }
  }

  # growth after warm-up
  q2n = 0; q4n = 0
  for (i = 1; i <= ns; i++) {
    if (i > int(ns / 4) && i <= int(ns / 2)) { q2n++; q2r[q2n] = srss[i]; q2f[q2n] = sfd[i]; q2t[q2n] = sth[i] }
    if (i > int(3 * ns / 4)) { q4n++; q4r[q4n] = srss[i]; q4f[q4n] = sfd[i]; q4t[q4n] = sth[i] }
  }
  r2 = med(q2r, q2n); r4 = med(q4r, q4n); f2 = med(q2f, q2n); f4 = med(q4f, q4n); t2 = med(q2t, q2n); t4 = med(q4t, q4n)
  # fewer than 12 samples (a minute at the default 5 s) leave too little after warm-up to tell growth from noise
  judged = ns >= 12
  growth_ok = (r2 != "" && r4 != "" && r4 - r2 <= max_rss && f4 - f2 <= max_fd)
  ok = growth_ok && died == "" && traces + 0 == 0 && T_err == 0 && eto + 0 == 0
  why = (growth_ok ? "" : "; growth over the limit") (died == "" ? "" : "; server exited") (traces + 0 ? "; stack traces" : "") (T_err ? "; wrong rcodes" : "") (eto + 0 ? "; edits not seen" : "")
  verdict = !judged ? "not judged (too short)" : ok ? "PASS" : "FAIL"
  p99_med = med(all_p99, nall); p99_max = mx(all_p99, nall)

  printf "## Soak: %s s at %s qps, %s\n\n", duration, grouped(rate), start
  printf "%s\n\n", meta
  print "Row for docs/benchmarks.md (Soak):\n"
  print "| date | build | duration | offered qps | answered | lost (outside outages) | SERVFAIL in outages / outside | wrong rcodes | p99 ms median (worst) outside outages | RSS MB q2 → q4 | fds q2 → q4 | threads q2 → q4 | verdict |"
  print "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf "| %s | %s | %s s | %s | %s of %s | %s (%s) | %s / %s | %s | %s (%s) | %s → %s | %s → %s | %s → %s | %s |\n\n",
    substr(start, 1, 10), build, duration, grouped(rate), grouped(T_comp), grouped(T_sent), grouped(T_lost), grouped(T_lost_out),
    grouped(T_sf_in), grouped(T_sf_out), grouped(T_err), num(p99_med, 2), num(p99_max, 2), num(r2, 0), num(r4, 0), num(f2, 0), num(f4, 0), num(t2, 0), num(t4, 0), verdict

  print "### Streams\n"
  print "| stream | sent | answered | lost | lost outside outages | SERVFAIL in outages | SERVFAIL outside | wrong rcodes | p99 ms median (worst) outside outages |"
  print "|---|---|---|---|---|---|---|---|---|"
  for (k = 1; k <= nstreams; k++) {
    s = streams[k]; n = np[s]; delete tmp; for (i = 1; i <= n; i++) tmp[i] = p99s[s, i]
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s (%s) |\n", s, grouped(sent[s]), grouped(comp[s]), grouped(lost[s]), grouped(lost_out[s]),
      grouped(sf_in[s]), grouped(sf_out[s]), grouped(err[s]), num(med(tmp, n), 2), num(mx(tmp, n), 2)
  }
  printf "\nUpstream stopped %d times; list edits: %d, seen by dig in median %s ms (worst %s ms), %d not seen within 5 s; malformed datagrams sent: %s.\n",
    nout, ne, num(med(ems, nems), 0), num(mx(ems, nems), 0), eto, (garbage == "" ? 0 : garbage)
  printf "Server alive at the end: %s; stack-trace lines in its output: %d.\n\n", (died == "" ? "yes" : "no, it exited at " died " s"), traces

  # over time, in about 12 buckets of whole slices; a slice falls in the bucket of its middle
  b = int((duration / 12 + slice_s - 1) / slice_s) * slice_s; if (b < slice_s) b = slice_s
  print "### Over time\n"
  printf "| t (s) | served qps (/metrics) | lost | SERVFAIL | p99 ms (worst slice)"
  for (k = 1; k <= nstreams; k++) printf " %s%s", (k > 1 ? "/ " : ""), streams[k]
  print " | RSS MB | fds | threads | cache entries | upstream |"
  print "|---|---|---|---|---|---|---|---|---|---|"
  nb = int((duration + b - 1) / b)
  for (j = 0; j < nb; j++) {
    from = j * b; to = from + b; ql = 0; qs = 0; dq = 0; dt = 0
    for (k = 1; k <= nstreams; k++) worst[streams[k]] = ""
    for (i = 1; i <= nl; i++) { mid = (lt[i] + le[i]) / 2; if (mid >= from && (mid < to || j == nb - 1)) {
      ql += llost[i]; qs += lsf[i]
      if (lp99[i] != "-" && (worst[ls[i]] == "" || lp99[i] + 0 > worst[ls[i]] + 0)) worst[ls[i]] = lp99[i]
    } }
    nr = 0; delete br; delete bf; delete bt; delete bc
    for (i = 1; i <= ns; i++) if (st[i] >= from && st[i] < to) {
      nr++; br[nr] = srss[i]; bf[nr] = sfd[i]; bt[nr] = sth[i]; bc[nr] = sce[i]
      if (i > 1 && st[i] > st[i - 1]) { dq += sq[i] - sq[i - 1]; dt += st[i] - st[i - 1] }
    }
    down = "up"; for (i = 1; i <= nout; i++) if (ostart[i] < to && oend[i] - grace > from) down = "stopped"
    p = ""; for (k = 1; k <= nstreams; k++) p = p (k > 1 ? " / " : "") num(worst[streams[k]], 1)
    printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", from, (dt ? grouped(dq / dt) : "–"), grouped(ql), grouped(qs), p,
      num(med(br, nr), 0), num(med(bf, nr), 0), num(med(bt, nr), 0), num(med(bc, nr), 0), down
  }

  printf "\n### Growth after warm-up (median of the last quarter minus median of the second; %d samples)\n\n", ns
  printf "- RSS: %s → %s MB, growth %s MB (limit %s MB)\n", num(r2, 0), num(r4, 0), num(r4 - r2, 0), max_rss
  printf "- open descriptors: %s → %s, growth %s (limit %s)\n", num(f2, 0), num(f4, 0), num(f4 - f2, 0), max_fd
  printf "- threads: %s → %s\n", num(t2, 0), num(t4, 0)
  printf "- last sample: %s\n\n", last_sample
  printf "**%s**%s\n", verdict, why == "" ? "" : " (" substr(why, 3) ")"
}' "$RAW"

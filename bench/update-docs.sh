#!/usr/bin/env bash
# Replace the results section of docs/benchmarks.md (between the two marker comments) with a report.
# Usage: update-docs.sh REPORT_FILE
set -euo pipefail
. "$(dirname "$0")/lib.sh"
REPORT=${1:?usage: update-docs.sh REPORT_FILE}
doc=$REPO_DIR/docs/benchmarks.md
begin='<!-- results:begin (bench/run.sh with UPDATE_DOCS=1 rewrites this section) -->'
end='<!-- results:end -->'
[ -f "$doc" ] || die "no $doc"
grep -qF "$begin" "$doc" && grep -qF "$end" "$doc" || die "$doc lacks the results markers"
awk -v begin="$begin" -v end="$end" -v report="$REPORT" '
  $0 == begin { print; while ((getline line < report) > 0) print line; skipping = 1; next }
  $0 == end { skipping = 0 }
  !skipping { print }' "$doc" > "$doc.tmp"
mv "$doc.tmp" "$doc"

#!/usr/bin/env bash
# Runs the fuzzing harnesses under afl-fuzz (Debian package afl++), niced so a run never starves the machine.
#   fuzz/run.sh TARGET SECONDS   one harness for SECONDS; findings in fuzz/findings/TARGET/default/{crashes,hangs}
#   fuzz/run.sh T1,T2 SECONDS    several, SECONDS each
#   fuzz/run.sh all SECONDS      every harness, SECONDS each (CI runs `all 6`)
#   fuzz/run.sh list             the harness names
# Prints one line of figures per harness and exits 1 if any harness saved a crash or a hang. docs/fuzzing.md says
# how to turn a finding into a regression test.
set -euo pipefail
cd "$(dirname "$0")"

targets=(wire-query blocked-answer cached-answer udp-fast-path tcp-framing list-native list-hosts list-adblock list-rpz list-rkn rpz-transfer config)

if [[ $# -eq 1 && $1 == list ]]; then printf '%s\n' "${targets[@]}"; exit 0; fi
if [[ $# -ne 2 || ! $2 =~ ^[0-9]+$ ]]; then echo "usage: fuzz/run.sh TARGET|all SECONDS (targets: ${targets[*]})" >&2; exit 2; fi
if [[ $1 == all ]]; then selected=("${targets[@]}"); else IFS=, read -ra selected <<<"$1"; fi
for target in "${selected[@]}"; do
  if [[ ! -d corpus/$target ]]; then echo "fuzz/run.sh: unknown target '$target' (targets: ${targets[*]})" >&2; exit 2; fi
done
if ! command -v afl-fuzz >/dev/null 2>&1; then echo "fuzz/run.sh: afl-fuzz not found; apt-get install afl++" >&2; exit 2; fi

# A fresh Release build, then our three assemblies instrumented in place (sharpfuzz refuses to instrument twice).
bin=.build/bin
rm -rf "$bin"
nice -n 10 dotnet publish NationalDns.Fuzz -c Release -o "$bin" -v q -nologo >/dev/null
dotnet tool restore >/dev/null
for assembly in NationalDns.Core NationalDns.Server nationaldns; do
  dotnet tool run sharpfuzz "$bin/$assembly.dll" >/dev/null
done

# Not an afl-instrumented binary (the .NET host), no core dumps wanted, shared cores: tell afl-fuzz so.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1

found=0
for target in "${selected[@]}"; do
  findings=findings/$target
  rm -rf "$findings"
  mkdir -p "$findings"
  # -t: a TCP harness input may take its 5 s deadline before it is called a hang.
  nice -n 19 afl-fuzz -i "corpus/$target" -o "$findings" -V "$2" -t 10000 -m none -- "$bin/NationalDns.Fuzz" "$target" >"$findings/afl.log" 2>&1 || {
    echo "$target: afl-fuzz failed; see fuzz/$findings/afl.log" >&2; tail -5 "$findings/afl.log" >&2; found=1; continue; }
  stats=$findings/default/fuzzer_stats
  stat() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$stats"; }
  crashes=$(stat saved_crashes); hangs=$(stat saved_hangs)
  echo "$target: $(stat run_time) s, $(stat execs_done) execs, $(stat execs_per_sec) execs/s, $(stat corpus_count) paths, coverage $(stat bitmap_cvg), $crashes crashes, $hangs hangs"
  if [[ $crashes != 0 || $hangs != 0 ]]; then
    found=1
    echo "  inputs in fuzz/$findings/default/{crashes,hangs}; replay one: dotnet run --project fuzz/NationalDns.Fuzz -- $target FILE"
  fi
done
exit "$found"

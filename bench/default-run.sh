#!/usr/bin/env bash
# The default `./fedlayers simulate` of an earlier commit against this tree's, in one run (issue 18):
#   bash bench/default-run.sh REVISION [simulate options...]
# Builds REVISION in a temporary git worktree, then runs the same simulate command (the defaults, plus the options given) with
# both builds as alternate processes, REPEATS times each (default 2), so that a change in the machine's load falls on both.
# Prints the CPU, the fp32 matrix-multiply rate, each run's wall seconds, summed round seconds and peak resident memory, the
# medians and their ratio, and the test accuracy of every round of both builds, with whether they are identical.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ $# -ge 1 ] || { echo "usage: bash bench/default-run.sh REVISION [simulate options...]" >&2; exit 2; }
revision=$1
shift
git rev-parse --verify --quiet "$revision^{commit}" > /dev/null || { echo "bench/default-run.sh: '$revision' is not a commit of this repository" >&2; exit 2; }
./fedlayers --help > /dev/null # set-up and this tree's build, outside the timings
dotnet build bench/FedLayers.Bench -c Release -o .build/bench -nologo -v quiet > /dev/null
work=$(mktemp -d)
before="$work/before-tree"
trap 'git worktree remove --force "$before" 2> /dev/null; rm -rf "$work"' EXIT
git worktree add --detach --quiet "$before" "$revision"
"$before/fedlayers" --help > /dev/null
echo "cpu: $(lscpu | awk -F': *' '/Model name/ { print $2; exit }'), $(nproc) cores; $(dotnet .build/bench/FedLayers.Bench.dll gemm)"

declare -A cli=([before]="$before/.build/cli/FedLayers.Cli.dll" [after]=.build/cli/FedLayers.Cli.dll)
# side repeat: one whole run; appends "wall round-seconds peak-MiB" to $work/<side>
run() {
  local out="$work/$1-$2" start end kib
  start=$(date +%s.%N)
  kib=$(/usr/bin/time -v dotnet "${cli[$1]}" simulate --out "$out" "${options[@]}" 2>&1 > /dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }')
  end=$(date +%s.%N)
  local rounds
  rounds=$(grep -v '"round":0,' "$out/metrics.jsonl" | grep -o '"seconds":[0-9.]*' | cut -d: -f2 | awk '{ s += $1 } END { printf "%.2f", s }')
  awk -v a="$start" -v b="$end" -v r="$rounds" -v k="$kib" 'BEGIN { printf "%.2f %s %d\n", b - a, r, k / 1024 }' | tee -a "$work/$1" \
    | awk -v side="$1" -v repeat="$2" '{ printf "%s, repeat %d: wall %s s, rounds %s s, peak resident %s MiB\n", side, repeat, $1, $2, $3 }'
  grep -o '"test_accuracy":[0-9.eE+-]*' "$out/metrics.jsonl" | cut -d: -f2 > "$work/$1-accuracy"
}
options=("$@")
for ((r = 1; r <= ${REPEATS:-2}; r++)); do
  if ((r % 2)); then sides=(before after); else sides=(after before); fi
  for side in "${sides[@]}"; do run "$side" "$r"; done
done

field_median() { cut -d' ' -f"$2" "$work/$1" | median; }
for column in "1 wall_seconds" "2 round_seconds" "3 peak_rss_mib"; do
  read -r field name <<< "$column"
  b=$(field_median before "$field")
  a=$(field_median after "$field")
  echo "${name}_before: $b"
  echo "${name}_after: $a"
  echo "${name}_after_vs_before: $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')"
done
echo "test_accuracy_before: $(awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), 100 * $1 } END { print "" }' "$work/before-accuracy")"
echo "test_accuracy_after: $(awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), 100 * $1 } END { print "" }' "$work/after-accuracy")"
if cmp -s "$work/before-accuracy" "$work/after-accuracy"; then echo "test_accuracy_identical: yes"; else echo "test_accuracy_identical: no"; fi

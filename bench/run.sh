#!/usr/bin/env bash
# Training speed and memory of selective fine-tuning (issue 6), as ratios measured in one run:
#   bash bench/run.sh
# Epoch times come from one process (bench/FedLayers.TrainingBench, medians over repeats); peak
# memory and round times from whole CLI runs. Prints one "name: value" line per figure, then a
# table of the figures that have a target. About 10 minutes on 2 idle cores, longer when shared.
set -euo pipefail
cd "$(dirname "$0")/.."
./fedlayers --help > /dev/null                     # set-up and CLI build, outside the timings
fedlayers() { dotnet .build/cli/FedLayers.Cli.dll "$@"; }
bench=.build/training-bench
dotnet build bench/FedLayers.TrainingBench -c Release -o "$bench" -nologo -v quiet > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results"

dotnet "$bench/FedLayers.TrainingBench.dll" | tee "$results"

# Peak resident memory of a whole run, in KiB (separate processes: the figure is the process's own).
peak_rss_kib() { /usr/bin/time -v "$@" 2>&1 > /dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'; }
rss_run() { peak_rss_kib dotnet .build/cli/FedLayers.Cli.dll simulate --rounds 2 --clients-per-round 1 --partition iid --out "$work/rss-$1" --clients "$1"; }
one=$(rss_run 1)
hundred=$(rss_run 100)
echo "peak_rss_1_client_mib: $((one / 1024))" | tee -a "$results"
echo "peak_rss_100_clients_mib: $((hundred / 1024))" | tee -a "$results"
echo "peak_rss_100_vs_1_clients: $(awk -v a="$hundred" -v b="$one" 'BEGIN { printf "%.3f", a / b }')" | tee -a "$results"

# Seconds per round of the default configuration, per strategy: median of two rounds.
for strategy in full top bottom both rgn snr strategic; do
  fedlayers simulate --rounds 2 --strategy "$strategy" --out "$work/round-$strategy" > /dev/null
  seconds=$(grep -v '"round":0,' "$work/round-$strategy/metrics.jsonl" | grep -o '"seconds":[0-9.]*' | cut -d: -f2 \
    | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  echo "round_seconds_$strategy: $seconds" | tee -a "$results"
done

value() { awk -F': ' -v name="$1" '$1 == name { print $2 }' "$results"; }
echo
echo "| figure | value | target | holds |"
echo "|---|---|---|---|"
for row in "minilm_top1_vs_full_epoch_speedup >= 4" "resnet18_top1_vs_full_epoch_speedup >= 3" "cache_speedup >= 2" \
           "peak_rss_100_vs_1_clients <= 2" "train_step_gflops_share >= 0.5"; do
  read -r name op target <<< "$row"
  v=$(value "$name")
  holds=$(awk -v v="$v" -v t="$target" -v op="$op" 'BEGIN { print ((op == ">=" ? v >= t : v <= t) ? "yes" : "no") }')
  echo "| $name | $v | $op $target | $holds |"
done

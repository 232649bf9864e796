#!/usr/bin/env bash
# Training speed and memory of selective fine-tuning (issues 6 and 18), as ratios measured in one run:
#   bash bench/run.sh [PART...]     PART: epochs, memory, rounds, cache, bert, quality (default: all of them, in that order)
# Epoch times come from one process (bench/FedLayers.TrainingBench, medians over repeats); peak
# memory and round times from whole CLI runs; the probes' selection quality from bench/FedLayers.Bench.
# Prints one "name: value" line per figure, then a table of the figures that have a target.
# About 25 minutes on 2 idle cores, longer when shared; ROUND_REPEATS (default 2) sets how often each strategy's rounds run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
./fedlayers --help > /dev/null                     # set-up and CLI build, outside the timings
fedlayers() { dotnet .build/cli/FedLayers.Cli.dll "$@"; }
bench=.build/training-bench
dotnet build bench/FedLayers.TrainingBench -c Release -o "$bench" -nologo -v quiet > /dev/null
dotnet build bench/FedLayers.Bench -c Release -o .build/bench -nologo -v quiet > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results"
# the machine every absolute time below is from (its fp32 matrix-multiply rate follows as matmul_gflops)
echo "cpu: $(lscpu | awk -F': *' '/Model name/ { print $2; exit }'), $(nproc) cores"
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(epochs memory rounds cache bert quality)
for part in "${parts[@]}"; do
  case $part in epochs | memory | rounds | cache | bert | quality) ;; *) echo "bench/run.sh: unknown part '$part'; expected epochs, memory, rounds, cache, bert or quality" >&2; exit 2 ;; esac
done
wants() { [[ " ${parts[*]} " == *" $1 "* ]]; }
touch "$results"

if wants epochs; then
  dotnet "$bench/FedLayers.TrainingBench.dll" | tee "$results"
else
  # the matrix-multiply rate the absolute times are read against
  dotnet .build/bench/FedLayers.Bench.dll gemm | sed 's/ (.*//' | tee -a "$results"
fi

# Peak resident memory of a whole run, in KiB (separate processes: the figure is the process's own).
peak_rss_kib() { /usr/bin/time -v "$@" 2>&1 > /dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'; }
# the seconds of rounds matching the pattern (default: every round after round 0) of the given run folders, one per line
round_seconds() {
  local rounds=$1
  shift
  cat "${@/%//metrics.jsonl}" | grep -v '"round":0,' \
    | awk -v rounds="$rounds" 'match($0, /"round":[0-9]+/) && substr($0, RSTART + 8, RLENGTH - 8) ~ "^(" rounds ")$"' \
    | grep -o '"seconds":[0-9.]*' | cut -d: -f2
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
value() { awk -F': ' -v name="$1" '$1 == name { print $2 }' "$results"; }

if wants memory; then
  rss_run() { peak_rss_kib dotnet .build/cli/FedLayers.Cli.dll simulate --rounds 2 --clients-per-round 1 --partition iid --out "$work/rss-$1" --clients "$1"; }
  one=$(rss_run 1)
  hundred=$(rss_run 100)
  echo "peak_rss_1_client_mib: $((one / 1024))" | tee -a "$results"
  echo "peak_rss_100_clients_mib: $((hundred / 1024))" | tee -a "$results"
  echo "peak_rss_100_vs_1_clients: $(awk -v a="$hundred" -v b="$one" 'BEGIN { printf "%.3f", a / b }')" | tee -a "$results"
fi

if wants rounds; then
  # Seconds per round of the default configuration, per strategy: median of rounds 1-2 over ROUND_REPEATS runs, the strategies
  # taking turns (in reverse order every other repeat) so that a change in the machine's speed falls on all of them. top_probed is
  # top with the probe every round (--diagnostics probes as strategic does): what a probe adds to a round (issue 18); the probing
  # strategies' whole rounds also train lower layers, which costs more than the probe.
  arms=(full top bottom both rgn snr strategic top_probed)
  for ((r = 1; r <= ${ROUND_REPEATS:-2}; r++)); do
    order=("${arms[@]}")
    ((r % 2)) || order=($(printf '%s\n' "${arms[@]}" | tac))
    for arm in "${order[@]}"; do
      if [ "$arm" = top_probed ]; then options=(--strategy top --diagnostics); else options=(--strategy "$arm"); fi
      fedlayers simulate --rounds 2 "${options[@]}" --out "$work/round-$arm-$r" > /dev/null
    done
  done
  for arm in "${arms[@]}"; do
    echo "round_seconds_$arm: $(round_seconds '[0-9]+' "$work"/round-"$arm"-[0-9]* | median)" | tee -a "$results"
  done
  echo "probe_overhead_vs_top_round: $(ratio "$(value round_seconds_top_probed)" "$(value round_seconds_top)")" | tee -a "$results"
  slowest_probing=$(for s in rgn snr strategic; do value "round_seconds_$s"; done | sort -g | tail -1)
  echo "probe_round_vs_top_round: $(ratio "$slowest_probing" "$(value round_seconds_top)")" | tee -a "$results"

  # The evaluation's share of the default round: its rounds 1-2 against rounds 1-2 of a run evaluating only its last.
  fedlayers simulate --rounds 3 --eval-every 3 --out "$work/round-unevaluated" > /dev/null
  unevaluated=$(round_seconds '1|2' "$work/round-unevaluated" | median)
  echo "eval_seconds_share: $(awk -v a="$unevaluated" -v b="$(value round_seconds_strategic)" 'BEGIN { printf "%.3f", 1 - a / b }')" | tee -a "$results"
fi

if wants cache; then
  # Frozen-prefix outputs kept across rounds: top on clients whose samples come back every round (5 clients of 320 samples, all
  # sampled), rounds 2-3, against the same without the kept outputs.
  for cache in 256 0; do
    fedlayers simulate --rounds 3 --strategy top --clients 5 --clients-per-round 5 --max-samples-per-client 320 --prefix-cache-mb "$cache" \
      --out "$work/round-top-cache-$cache" > /dev/null
  done
  echo "round_seconds_top_samples_back: $(round_seconds '2|3' "$work/round-top-cache-256" | median)" | tee -a "$results"
  echo "round_seconds_top_samples_back_uncached: $(round_seconds '2|3' "$work/round-top-cache-0" | median)" | tee -a "$results"
  echo "cross_round_cache_speedup: $(ratio "$(value round_seconds_top_samples_back_uncached)" "$(value round_seconds_top_samples_back)")" | tee -a "$results"
fi

if wants bert; then
  # Peak memory of one strategic round of a BERT-base-size checkpoint (random weights, Hugging Face layout): 2 clients, batch 8,
  # 64 tokens, no prefix cache; over the checkpoint's weight bytes. Two local steps: the peak does not grow with more.
  weight_bytes=$(dotnet .build/bench/FedLayers.Bench.dll bert-base-checkpoint "$work/bert-base" | awk '{ print $2 }')
  awk 'BEGIN { print "text,label"; srand(1); for (i = 0; i < 64; i++) { t = ""; for (w = 0; w < 40; w++) t = t (w ? " " : "") "w" int(1000 + rand() * 20000); print t "," i % 2 } }' \
    > "$work/bert-texts.csv"
  bert_kib=$(peak_rss_kib dotnet .build/cli/FedLayers.Cli.dll simulate --model "hf:$work/bert-base" --dataset "textfile:$work/bert-texts.csv" \
    --max-seq-len 64 --rounds 1 --clients 2 --clients-per-round 2 --batch-size 8 --local-steps 2 --strategy strategic --partition iid \
    --prefix-cache-mb 0 --out "$work/bert-run")
  echo "peak_rss_bert_base_mib: $((bert_kib / 1024))" | tee -a "$results"
  echo "peak_rss_vs_weights_bert_base: $(awk -v a="$bert_kib" -v b="$weight_bytes" 'BEGIN { printf "%.2f", a * 1024 / b }')" | tee -a "$results"
fi

if wants quality; then
  # How well a cheap probe selects: its masks scored by a whole-data reference probe (bench/FedLayers.Bench probe-quality), at
  # the starting weights and after two rounds of the default (strategic) run.
  trained="$work/round-strategic-1"
  [ -f "$trained/checkpoint.safetensors" ] || fedlayers simulate --rounds 2 --out "$trained" > /dev/null
  dotnet .build/bench/FedLayers.Bench.dll probe-quality "$trained/checkpoint.safetensors" | tee -a "$results"
fi

echo
echo "| figure | value | target | holds |"
echo "|---|---|---|---|"
for row in "minilm_top1_vs_full_epoch_speedup >= 4" "resnet18_top1_vs_full_epoch_speedup >= 3" "cache_speedup >= 2" \
           "peak_rss_100_vs_1_clients <= 2" "train_step_gflops_share >= 0.5" "probe_round_vs_top_round <= 1.2" \
           "probe_selection_quality >= 0.98" "peak_rss_vs_weights_bert_base <= 6"; do
  read -r name op target <<< "$row"
  v=$(value "$name")
  [ -n "$v" ] || continue # its part was not run
  holds=$(awk -v v="$v" -v t="$target" -v op="$op" 'BEGIN { print ((op == ">=" ? v >= t : v <= t) ? "yes" : "no") }')
  echo "| $name | $v | $op $target | $holds |"
done

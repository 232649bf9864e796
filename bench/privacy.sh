#!/usr/bin/env bash
# Client-level differential privacy measured (docs/PRIVACY.md): small-cnn on Fashion-MNIST, 1,000 clients with IID shards of
# 60 samples, 100 per round on average (q = 0.1), 20 rounds, clip norm 2, delta 1e-4, seed 1. Full fine-tuning at several
# noise multipliers (accuracy against epsilon), and full, top and strategic at lambda 0, 0.1 and 1 at equal epsilon per
# round: strategic's selecting round composes its probe's noise 3 with its layer sums' 1.06 into one Gaussian mechanism
# of multiplier 1.0, what a round of full or top at 1 costs. Two lists of runs side by side, one thread each; finished
# runs are kept and skipped, so a stopped benchmark continues. Then the tables, and the plots in docs/privacy/.
# Usage: bench/privacy.sh [RUNS-FOLDER, default runs/privacy]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/privacy}"
common=(--model small-cnn --partition iid --clients 1000 --clients-per-round 100 --rounds 20 --local-steps 3
  --max-samples-per-client 60 --eval-samples 2000 --optimizer adam --lr 0.002 --clip-norm 2 --seed 1 --threads 1
  --probe-estimator batch-sum --probe-batches 5) # the probe PRIVACY.md's strategic rows were measured with
strategic=(--strategy strategic --dp-noise-multiplier 1.06 --dp-probe-noise-multiplier 3)
run() {
  local name=$1; shift
  [ -f "$out/$name/summary.json" ] || ./fedlayers simulate "${common[@]}" "$@" --out "$out/$name" >/dev/null
}
./fedlayers --version >/dev/null # builds the tool once, before the two lists start
dotnet build bench/FedLayers.Bench -c Release --nologo -v quiet >/dev/null
bench=bench/FedLayers.Bench/bin/Release/net10.0/FedLayers.Bench.dll
echo "CPU: $(lscpu | awk -F': *' '/Model name/ { print $2; exit }'), $(dotnet "$bench" gemm)"
(
  run full-none --strategy full
  run full-z0.5 --strategy full --dp-noise-multiplier 0.5
  run full-z2 --strategy full --dp-noise-multiplier 2
  run top-none --strategy top
  run strategic-lambda0.1-none --strategy strategic --lambda 0.1
) &
first=$!
run full-z1 --strategy full --dp-noise-multiplier 1
run top-z1 --strategy top --dp-noise-multiplier 1
for lambda in 0 0.1 1; do run "strategic-lambda$lambda-z1" "${strategic[@]}" --lambda "$lambda"; done
wait "$first"
dotnet "$bench" privacy "$out" docs/privacy

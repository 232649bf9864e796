#!/usr/bin/env bash
# FedLayers against an eager PyTorch peer of the same selective federated round (issue 18), as ratios measured in one run:
#   bash bench/peer.sh            (as root: installs Debian's python3-torch and python3-torchvision when they are missing)
# Each side runs whole rounds (every client loads the global weights, trains its layers with SGD at 0.01, and the server
# averages the deltas weighted by samples): FedLayers through its Server (bench/FedLayers.TrainingBench, mode "peer"), PyTorch
# in bench/peer/peer.py (plain nn.Modules, frozen parameters with requires_grad off). Both use 2 threads. The two sides run as
# alternate processes, repeat after repeat, so a change in the machine's load falls on both; a figure is the median of the
# per-round seconds over all repeats, FedLayers' over PyTorch's. MiniLM counts every round; ResNet18 counts rounds 2.. (FedLayers
# keeps frozen-prefix outputs across rounds, which the peer cannot), with the first round as an extra line.
# PEER_REPEATS (default 3) sets the repeats of the top-1 arms, PEER_FULL_REPEATS (default 2) those of the full arms, which take
# most of the time: about 10 minutes on 2 idle cores (26 minutes when other jobs halved the matrix-multiply rate).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
python=/usr/bin/python3 # Debian's, which has torch; a python3 earlier on PATH may not
if ! "$python" -c 'import torch, torchvision' 2> /dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch python3-torchvision libopenblas0-pthread > /dev/null
fi
bench=.build/training-bench
dotnet build bench/FedLayers.TrainingBench -c Release -o "$bench" -nologo -v quiet > /dev/null
# built apart from bin/, where another benchmark may be running from
dotnet build bench/FedLayers.Bench -c Release -o .build/bench -nologo -v quiet > /dev/null
echo "CPU: $(lscpu | awk -F': *' '/Model name/ { print $2; exit }'), FedLayers $(dotnet .build/bench/FedLayers.Bench.dll gemm), PyTorch $("$python" -c 'import torch; print(torch.__version__)')"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# side shape arm rounds: appends the run's per-round seconds as one line to $work/<side>-<shape>-<arm>, and what it trained to .trained
run() {
  local out="$work/$1-$2-$3" lines
  if [ "$1" = fedlayers ]; then lines=$(dotnet "$bench/FedLayers.TrainingBench.dll" peer "$2" "$3" "$4"); else lines=$("$python" bench/peer/peer.py "$2" "$3" "$4"); fi
  sed -n 's/^seconds: //p' <<< "$lines" >> "$out"
  sed -n 's/^trained: //p' <<< "$lines" > "$out.trained"
}
# ResNet18's full arm, the longest and without a target, has one round fewer
arms=("minilm top1 3" "resnet18 top1 4" "minilm full 3" "resnet18 full 3")
for ((r = 1; r <= ${PEER_REPEATS:-3}; r++)); do
  for arm in "${arms[@]}"; do
    [[ $arm == *full* ]] && ((r > ${PEER_FULL_REPEATS:-2})) && continue
    # each side goes first in every other repeat
    if ((r % 2)); then sides=(fedlayers pytorch); else sides=(pytorch fedlayers); fi
    for side in "${sides[@]}"; do run "$side" $arm; done
  done
done
for arm in "${arms[@]}"; do
  read -r shape name _ <<< "$arm"
  if ! cmp -s "$work/fedlayers-$shape-$name.trained" "$work/pytorch-$shape-$name.trained"; then
    echo "$shape $name: the sides trained different groups: $(cat "$work/fedlayers-$shape-$name.trained") | $(cat "$work/pytorch-$shape-$name.trained")" >&2
    exit 1
  fi
done

# the median of the per-round seconds of one side and arm, rounds first..last of every repeat
side_median() {
  awk -v first="$4" -v last="${5:-1000}" '{ for (i = first; i <= NF && i <= last; i++) print $i }' "$work/$1-$2-$3" | median 4
}
results="$work/results"
# figure shape arm first-round [last-round]
figure() {
  local fedlayers pytorch
  fedlayers=$(side_median fedlayers "$2" "$3" "${@:4}")
  pytorch=$(side_median pytorch "$2" "$3" "${@:4}")
  echo "$1: $(awk -v a="$fedlayers" -v b="$pytorch" 'BEGIN { printf "%.3f", a / b }')" | tee -a "$results"
  echo "${1%_ratio}_fedlayers_seconds: $fedlayers"
  echo "${1%_ratio}_pytorch_seconds: $pytorch"
}
figure peer_top1_ratio minilm top1 1
figure peer_full_ratio minilm full 1
figure peer_resnet_top1_ratio resnet18 top1 2
figure peer_resnet_full_ratio resnet18 full 2
figure peer_resnet_top1_first_round_ratio resnet18 top1 1 1

value() { awk -F': ' -v name="$1" '$1 == name { print $2 }' "$results"; }
echo
echo "| figure | value | target | holds |"
echo "|---|---|---|---|"
for row in "peer_top1_ratio <= 0.3" "peer_full_ratio <= 0.6" "peer_resnet_top1_ratio <= 0.5" "peer_resnet_full_ratio - -"; do
  read -r name op target <<< "$row"
  v=$(value "$name")
  if [ "$op" = - ]; then
    echo "| $name | $v | - | - |"
    continue
  fi
  holds=$(awk -v v="$v" -v t="$target" -v op="$op" 'BEGIN { print ((op == ">=" ? v >= t : v <= t) ? "yes" : "no") }')
  echo "| $name | $v | $op $target | $holds |"
done

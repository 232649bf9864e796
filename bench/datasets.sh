#!/usr/bin/env bash
# Load time of every dataset, first (empty cache) and second (cached), through the CLI.
#   bash bench/datasets.sh
# Fashion-MNIST and SpamAssassin are the real data the set-up installs; CIFAR-10, the image
# folder and the text file are generated in their exact formats at realistic sizes
# (bench/datasets/generate.cs), since this machine cannot download the originals.
# Prints one "name: seconds" line per figure, then a table.
set -euo pipefail
cd "$(dirname "$0")/.."
./fedlayers --help > /dev/null                     # set-up and build, outside the timings
fedlayers() { dotnet .build/cli/FedLayers.Cli.dll "$@"; }  # the built CLI, without the set-up check
spam="${FEDLAYERS_DATA:-$HOME/.cache/fedlayers}/spam-assassin-0.2.3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet run bench/datasets/generate.cs -- "$work/data" > /dev/null
export FEDLAYERS_DATA="$work/cache"                  # an empty cache for the first loads

# the seconds at the end of the line of inspect's output that contains $2 ("loaded in" or "tokenised")
seconds() { grep "$2" <<< "$1" | grep -o '[0-9.]* s$' | tr -d ' s'; }

declare -a rows
measure() { # name, what to time ("loaded in" | "tokenised"), inspect arguments...
  local name=$1 what=$2; shift 2
  local first second
  first=$(seconds "$(fedlayers inspect "$@")" "$what")
  second=$(seconds "$(fedlayers inspect "$@")" "$what")
  echo "${name}_first_seconds: $first"
  echo "${name}_cached_seconds: $second"
  rows+=("| $name | $first | $second |")
}

measure fashion_mnist_load "loaded in" --dataset fashion-mnist
measure spamassassin_load "loaded in" --dataset "spamassassin:$spam"
measure spamassassin_minilm_tokenise "tokenised" --model minilm --dataset "spamassassin:$spam"
measure cifar10_load "loaded in" --dataset "cifar10:$work/data/cifar10"
measure imagefolder_load "loaded in" --dataset "imagefolder:$work/data/images"
measure textfile_load "loaded in" --dataset "textfile:$work/data/texts.csv"
measure textfile_minilm_tokenise "tokenised" --model minilm --dataset "textfile:$work/data/texts.csv"

echo
echo "| figure | first run (s) | second run (s) |"
echo "|---|---|---|"
printf '%s\n' "${rows[@]}"

#!/usr/bin/env bash
# Every attack of a lying client against every defence, in simulation (docs/ROBUSTNESS.md): one markdown table.
# Usage: bench/robustness.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
dotnet build bench/FedLayers.Bench -c Release --nologo -v quiet
dotnet bench/FedLayers.Bench/bin/Release/net10.0/FedLayers.Bench.dll robustness

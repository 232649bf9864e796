#!/usr/bin/env bash
# The selection solver against plain CP-SAT at equal time limits, then (unequal layer costs) with and
# without its Lagrangian decomposition bound (see docs/SELECTION.md).
# Usage: bench/solver.sh [instances per size and lambda, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/FedLayers.Bench -c Release --nologo -v quiet
dotnet bench/FedLayers.Bench/bin/Release/net10.0/FedLayers.Bench.dll solver "$@"

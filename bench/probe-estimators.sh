#!/usr/bin/env bash
# The probe estimators (--probe-estimator) against a large-sample reference on the default configuration (docs/SELECTION.md):
# one markdown table. Usage: bench/probe-estimators.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
dotnet build bench/FedLayers.Bench -c Release --nologo -v quiet >/dev/null
bench=bench/FedLayers.Bench/bin/Release/net10.0/FedLayers.Bench.dll
echo "CPU: $(lscpu | awk -F': *' '/Model name/ { print $2; exit }'), $(dotnet "$bench" gemm)"
dotnet "$bench" probe-estimators

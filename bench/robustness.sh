#!/usr/bin/env bash
# A lying client in simulation (docs/ROBUSTNESS.md): every attack against every defence, then the strategies against the
# attacks under the median; two markdown tables. Usage: bench/robustness.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
dotnet build bench/FedLayers.Bench -c Release --nologo -v quiet
echo "CPU: $(lscpu | awk -F': *' '/Model name/ { print $2; exit }'), $(dotnet bench/FedLayers.Bench/bin/Release/net10.0/FedLayers.Bench.dll gemm)"
dotnet bench/FedLayers.Bench/bin/Release/net10.0/FedLayers.Bench.dll robustness defences
echo
dotnet bench/FedLayers.Bench/bin/Release/net10.0/FedLayers.Bench.dll robustness strategies

#!/usr/bin/env bash
# The whole test suite: prerequisites, then every test project of the solution.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
scripts/bootstrap.sh
dotnet test FedLayers.sln --nologo "$@"

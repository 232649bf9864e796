#!/usr/bin/env bash
# The whole test suite: prerequisites, the code style, then every test project of the solution.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
scripts/bootstrap.sh
# the code style of .editorconfig: a change that does not follow it fails here, with the files it names
dotnet format FedLayers.sln --verify-no-changes
dotnet test FedLayers.sln --nologo "$@"

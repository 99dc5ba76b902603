#!/usr/bin/env bash
# The one command that runs every test on a fresh machine: installs and starts what the tests need
# (Debian packages, dockerd, the devbox image), publishes the real AOT agent, then runs the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
base_image=$(scripts/bootstrap.sh)
scripts/publish-agent.sh >/dev/null
export THOPTER_AGENT_BINARY="$PWD/artifacts/agent/thopter-agent"
export THOPTER_DEVBOX_IMAGE=$(scripts/build-devbox-image.sh "$base_image")
dotnet test Thopter.sln -c Release --logger "console;verbosity=normal" "$@"
echo "[test] whole run took $(( $(date +%s) - start )) s"

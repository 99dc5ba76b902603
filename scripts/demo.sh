#!/usr/bin/env bash
# The first thing to run: on a fresh machine it installs what it needs, starts a throwaway "laptop" SyncThing
# (temporary home, 127.0.0.1 only, no discovery/relays/NAT/telemetry) and a devbox container, runs
# `thopter sync init` (with a temporary HOME: your ~/.thopter.json is never touched) and pairs the devbox,
# then writes a file on each side and prints how long it took to arrive. Removes everything it started,
# also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "thopter sync demo: preparing (the first run installs packages and builds; later runs take seconds)"
THOPTER_DEVBOX_IMAGE=$(scripts/prepare-bench.sh)
export THOPTER_DEVBOX_IMAGE
# The program's own cleanup runs on Ctrl-C (SIGINT); the harness's reaper removes the container even if it is killed.
exec dotnet bench/bin/Release/net10.0/thopter-bench.dll demo

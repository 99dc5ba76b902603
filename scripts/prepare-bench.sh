#!/usr/bin/env bash
# Shared by demo.sh and bench.sh: makes this machine ready (bootstrap.sh: packages, dockerd, devbox base image),
# publishes the AOT agent, builds the devbox image with it and the bench/demo program.
# Prints the devbox image tag; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say() { printf '  %s\n' "$*" >&2; }
base=$(scripts/bootstrap.sh 2>/dev/null) || { scripts/bootstrap.sh >/dev/null; exit 1; }
say "machine ready (docker, syncthing, base image $base)"
scripts/publish-agent.sh >/dev/null
say "thopter-agent published (NativeAOT)"
image=$(scripts/build-devbox-image.sh "$base" 2>/dev/null)
say "devbox image $image built"
log=$(mktemp)
dotnet build bench/Thopter.Bench.csproj -c Release >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
rm -f "$log"
say "thopter CLI and bench built"
echo "$image"

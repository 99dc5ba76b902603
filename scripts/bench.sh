#!/usr/bin/env bash
# The benchmark suite (not a test; scripts/test.sh does not run it): P1 write latency for four setups, P2 agent
# setup, P3 pairing, P5 a 20-devbox fleet, P6 a 1,000-file burst against rsync. Prints a markdown table and writes
# docs/benchmarks.md and docs/benchmarks.png. Options: --quick (fewer trials, a 3-devbox fleet), --fleet N,
# --trials N, --slow-trials N, --out FILE. `--only WAN`: the tunnel, the original design's discovery + relay route and
# a direct connection across one simulated WAN (network namespaces, 20 ms each way), printed, no document written.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v gnuplot >/dev/null; then
  echo "installing gnuplot-nox for the chart" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnuplot-nox >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnuplot-nox >&2; }
fi
# The WAN bench's stand-ins for the public discovery server and relay pool (run only in its own network namespaces).
if ! command -v strelaysrv >/dev/null || ! command -v stdiscosrv >/dev/null; then
  echo "installing syncthing-discosrv and syncthing-relaysrv for the WAN bench" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends syncthing-discosrv syncthing-relaysrv >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends syncthing-discosrv syncthing-relaysrv >&2; }
fi
# scripts/bootstrap.sh (through prepare-bench.sh) raises the host's inotify instance limit: twenty systemd devboxes
# on one kernel exhaust the default 128 per user, and SyncThing's watcher and the accelerators would then fail.
THOPTER_DEVBOX_IMAGE=$(scripts/prepare-bench.sh)
export THOPTER_DEVBOX_IMAGE
dotnet bench/bin/Release/net10.0/thopter-bench.dll "$@"

#!/usr/bin/env bash
# The benchmark suite (not a test; scripts/test.sh does not run it): P1 write latency for four setups, P2 agent
# setup, P3 pairing, P5 a 20-devbox fleet, P6 a 1,000-file burst against rsync. Prints a markdown table and writes
# docs/benchmarks.md and docs/benchmarks.png. Options: --quick (fewer trials, a 3-devbox fleet), --fleet N,
# --trials N, --slow-trials N, --out FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v gnuplot >/dev/null; then
  echo "installing gnuplot-nox for the chart" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnuplot-nox >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnuplot-nox >&2; }
fi
# Twenty systemd devboxes on one kernel need more inotify instances than the default 128 per user: each container's
# systemd takes about 12 as root and its user manager 6 as uid 1000, plus SyncThing's watcher and the accelerators.
# Real devboxes are separate machines, so the bench raises the host limit for its run and puts it back afterwards.
instances=$(cat /proc/sys/fs/inotify/max_user_instances)
if [ "$instances" -lt 1024 ]; then
  sysctl -q -w fs.inotify.max_user_instances=1024
  trap 'sysctl -q -w fs.inotify.max_user_instances='"$instances" EXIT
fi
THOPTER_DEVBOX_IMAGE=$(scripts/prepare-bench.sh)
export THOPTER_DEVBOX_IMAGE
dotnet bench/bin/Release/net10.0/thopter-bench.dll "$@"

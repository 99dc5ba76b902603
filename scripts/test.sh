#!/usr/bin/env bash
# The one command that runs every test on a fresh machine: installs and starts what the tests need
# (Debian packages, dockerd, the devbox image), publishes the real AOT agent and laptop CLI, then runs the suite.
# Extra arguments go to `dotnet test` (e.g. --filter "Category!=Integration").
# Ends with two plain lines: "N passed, N failed, N skipped" and the whole run's duration.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
start=$(date +%s)
phase() { printf '[test] %s took %d s\n' "$1" $(( $(date +%s) - $2 )) >&2; }

t=$(date +%s); base_image=$(scripts/bootstrap.sh); phase "bootstrap ($base_image)" "$t"
t=$(date +%s); scripts/publish-agent.sh >/dev/null; phase "agent publish" "$t"
export THOPTER_AGENT_BINARY="$PWD/artifacts/agent/thopter-agent"
t=$(date +%s); scripts/publish-laptop.sh >/dev/null; phase "laptop publish" "$t"
export THOPTER_LAPTOP_BINARY="$PWD/artifacts/laptop/thopter"
t=$(date +%s); THOPTER_DEVBOX_IMAGE=$(scripts/build-devbox-image.sh "$base_image"); phase "devbox image" "$t"
export THOPTER_DEVBOX_IMAGE

results="artifacts/test-results/$(date -u +%Y%m%dT%H%M%SZ)-$$"
# Every container and image the suite creates carries this run id (tests/Harness/Docker/TestRunLabels.cs).
export THOPTER_TEST_RUN_ID="run-$(date -u +%Y%m%d%H%M%S)-$$"
rc=0
dotnet test Thopter.sln -c Release --results-directory "$results" \
  --logger "console;verbosity=detailed" --logger "trx" "$@" || rc=$?

# Count outcomes from the trx files: one <UnitTestResult ... outcome="..."> per test run.
count() { cat "$results"/*.trx 2>/dev/null | grep -o '<UnitTestResult [^>]*>' | grep -c "outcome=\"$1\"" || true; }
passed=$(count Passed); failed=$(count Failed); skipped=$(count NotExecuted)
if ! ls "$results"/*.trx >/dev/null 2>&1; then
  echo "[test] no test results were written (build failure?); see the output above" >&2
  [ "$rc" -ne 0 ] || rc=1
fi
# The test process's reaper removes what it owned once the process is gone: give it a moment.
leftovers() { docker ps -a -q --filter "label=thopter.test.run=$THOPTER_TEST_RUN_ID"; docker images -q --filter "label=thopter.test.run=$THOPTER_TEST_RUN_ID"; }
for _ in $(seq 1 30); do left=$(leftovers); [ -n "$left" ] || break; sleep 1; done
if [ -n "$left" ]; then
  echo "[test] the suite left Docker objects of run $THOPTER_TEST_RUN_ID behind:" $left >&2
  [ "$rc" -ne 0 ] || rc=1
fi
# Daemons the run's CLI started detached (`thopter sync daemon run`) inherit THOPTER_TEST_RUN_ID: one still running
# after its test is a leak (each stops once its HOME is gone, within seconds: give them that). Name them, then stop them.
daemons() {
  for env in /proc/[0-9]*/environ; do
    pid=${env#/proc/}; pid=${pid%/environ}
    tr '\0' '\n' 2>/dev/null <"$env" | grep -qx "THOPTER_TEST_RUN_ID=$THOPTER_TEST_RUN_ID" || continue
    cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue
    case "$cmd" in *" sync daemon run"*) echo "$pid" ;; esac
  done
}
for _ in $(seq 1 15); do left=$(daemons); [ -n "$left" ] || break; sleep 1; done
if [ -n "$left" ]; then
  echo "[test] the suite left thopter daemons of run $THOPTER_TEST_RUN_ID running:" >&2
  for pid in $left; do echo "  pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) (HOME=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | sed -n 's/^HOME=//p'))" >&2; kill "$pid" 2>/dev/null || true; done
  [ "$rc" -ne 0 ] || rc=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
echo "whole run took $(( $(date +%s) - start )) s"
exit "$rc"

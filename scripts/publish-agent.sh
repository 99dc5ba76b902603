#!/usr/bin/env bash
# Publishes thopter-agent as a NativeAOT single file for linux-x64 into artifacts/agent/.
# Any trim or AOT warning fails the publish (TreatWarningsAsErrors from Directory.Build.props).
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/agent
log=$(mktemp)
if ! dotnet publish agent/Thopter.Agent.csproj -c Release -r linux-x64 -o "$out" \
     -p:TreatWarningsAsErrors=true -p:TrimmerSingleWarn=false >"$log" 2>&1; then
  cat "$log" >&2; rm -f "$log"; echo "[publish-agent] publish failed" >&2; exit 1
fi
if grep -E "warning (IL|CS|CA)" "$log" >&2; then rm -f "$log"; echo "[publish-agent] warnings are not allowed" >&2; exit 1; fi
rm -f "$log" "$out"/*.dbg "$out"/*.pdb
echo "$out/thopter-agent"

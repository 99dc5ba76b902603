#!/usr/bin/env bash
# Publishes the laptop CLI `thopter` as a NativeAOT single file for linux-x64 into artifacts/laptop/: it starts in
# milliseconds (status through the daemon answers well within 100 ms) and runs where no .NET runtime is installed.
# Any trim or AOT warning fails the publish (TreatWarningsAsErrors from Directory.Build.props).
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/laptop
log=$(mktemp)
if ! dotnet publish laptop/Thopter.Laptop.csproj -c Release -r linux-x64 -o "$out" -p:PublishAot=true \
     -p:TreatWarningsAsErrors=true -p:TrimmerSingleWarn=false >"$log" 2>&1; then
  cat "$log" >&2; rm -f "$log"; echo "[publish-laptop] publish failed" >&2; exit 1
fi
if grep -E "warning (IL|CS|CA)" "$log" >&2; then rm -f "$log"; echo "[publish-laptop] warnings are not allowed" >&2; exit 1; fi
rm -f "$log" "$out"/*.dbg "$out"/*.pdb
echo "$out/thopter"

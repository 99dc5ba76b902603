#!/usr/bin/env bash
# Builds and installs thopter for real use, from this clone, with only the .NET SDK:
#   PREFIX/bin/thopter                              the laptop CLI, one file, for this machine
#   PREFIX/lib/thopter/linux-x64/thopter-agent      the devbox agent the CLI sends to devboxes (`thopter sync pair`)
# PREFIX is ~/.local unless --prefix DIR is given. Running it again replaces both files atomically.
# NativeAOT (small, starts in milliseconds) needs a C toolchain (clang or gcc) and, for the agent, a linux-x64 host:
# elsewhere (macOS, an arm64 laptop, no compiler) the same programs are built as self-contained single files instead.
# Usage: scripts/install.sh [--prefix DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

prefix="$HOME/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (usage: scripts/install.sh [--prefix DIR])" >&2; exit 2 ;;
  esac
done
command -v dotnet >/dev/null || { echo "install.sh: no dotnet on PATH; install the .NET 10 SDK first" >&2; exit 1; }
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) cli_rid=linux-x64 ;;
  Linux-aarch64|Linux-arm64) cli_rid=linux-arm64 ;;
  Darwin-arm64) cli_rid=osx-arm64 ;;
  Darwin-x86_64) cli_rid=osx-x64 ;;
  *) echo "install.sh: no build of thopter for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
# NativeAOT compiles for the machine it runs on and links with the system's C toolchain.
native=no
if [ "$(uname -s)" = Darwin ] || command -v clang >/dev/null || command -v gcc >/dev/null; then native=yes; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/thopter-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

# publish PROJECT RID OUT AOT(yes|no): one self-contained file in OUT, warnings refused either way.
publish() {
  local project=$1 rid=$2 out=$3 aot=$4 mode log="$work/publish.log"
  if [ "$aot" = yes ]; then
    mode=(-p:PublishAot=true)
  else
    mode=(-p:PublishAot=false -p:SelfContained=true -p:PublishSingleFile=true -p:PublishTrimmed=true -p:IncludeNativeLibrariesForSelfExtract=true)
  fi
  if ! dotnet publish "$project" -c Release -r "$rid" -o "$out" "${mode[@]}" -p:TreatWarningsAsErrors=true >"$log" 2>&1; then
    cat "$log" >&2; echo "install.sh: building $project for $rid failed (output above)" >&2; exit 1
  fi
}

# place FILE DEST: copy beside DEST, then rename over it, so a running thopter or a reader never sees half a file.
place() {
  mkdir -p "$(dirname "$2")"
  local tmp; tmp=$(mktemp "$(dirname "$2")/.$(basename "$2").XXXXXX")
  cp "$1" "$tmp" && chmod 755 "$tmp" && mv -f "$tmp" "$2"
}

cli_aot=$native
agent_aot=no
if [ "$native" = yes ] && [ "$cli_rid" = linux-x64 ]; then agent_aot=yes; fi
echo "[install] building thopter for $cli_rid ($( [ "$cli_aot" = yes ] && echo NativeAOT || echo self-contained single file))" >&2
publish laptop/Thopter.Laptop.csproj "$cli_rid" "$work/laptop" "$cli_aot"
echo "[install] building thopter-agent for linux-x64 ($( [ "$agent_aot" = yes ] && echo NativeAOT || echo self-contained single file))" >&2
publish agent/Thopter.Agent.csproj linux-x64 "$work/agent" "$agent_aot"

place "$work/laptop/thopter" "$prefix/bin/thopter"
place "$work/agent/thopter-agent" "$prefix/lib/thopter/linux-x64/thopter-agent"

echo "installed $prefix/bin/thopter ($("$prefix/bin/thopter" --version))"
echo "installed $prefix/lib/thopter/linux-x64/thopter-agent (sent to devboxes by \`thopter sync pair\`)"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on your PATH; add it (e.g. export PATH=\"$prefix/bin:\$PATH\" in your shell's rc file)" ;;
esac
echo "next: thopter sync init"

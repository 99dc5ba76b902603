#!/usr/bin/env bash
# Installs SyncThing 1.29.5 (the newest 1.x Debian ships, from trixie) beside the system's 1.19.2, without
# touching the system's apt sources: a private apt config downloads the .deb and dpkg-deb unpacks its static
# binary into /opt/thopter-test/syncthing-1.29.5/syncthing (the harness's default, THOPTER_SYNCTHING_1_29).
# Idempotent: does nothing when the binary already answers with its version. Prints the binary's path.
set -euo pipefail
version=1.29.5
dest=${THOPTER_SYNCTHING_1_29:-/opt/thopter-test/syncthing-${version}/syncthing}
log() { printf '[syncthing-%s] %s\n' "$version" "$*" >&2; }
if [ -x "$dest" ] && "$dest" --version 2>/dev/null | grep -q "v${version}"; then echo "$dest"; exit 0; fi
work=$(mktemp -d /tmp/thopter-syncthing-apt.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" >"$work/sources.list"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/deb"
apt_private=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
             -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root)
log "downloading from Debian trixie (private apt config; system sources untouched)"
apt-get "${apt_private[@]}" update -qq >&2
(cd "$work/deb" && apt-get "${apt_private[@]}" download "syncthing=${version}*" >&2)
dpkg-deb -x "$work"/deb/syncthing_*.deb "$work/root"
mkdir -p "$(dirname "$dest")"
install -m 0755 "$work/root/usr/bin/syncthing" "$dest.tmp" && mv -f "$dest.tmp" "$dest"
"$dest" --version | grep -q "v${version}" || { log "installed binary does not report v${version}"; exit 1; }
echo "$dest"

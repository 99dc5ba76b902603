#!/usr/bin/env bash
# Makes this machine ready for the tests and the demo, idempotently:
# Debian packages, a running Docker engine, and the devbox base image built offline with debootstrap.
# Prints the devbox base image tag on stdout; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[bootstrap] %s\n' "$*" >&2; }

need_packages=()
command -v syncthing >/dev/null || need_packages+=(syncthing)
command -v dockerd >/dev/null || need_packages+=(docker.io)
command -v debootstrap >/dev/null || need_packages+=(debootstrap)
command -v rsync >/dev/null || need_packages+=(rsync)
command -v ssh >/dev/null || need_packages+=(openssh-client)
command -v dbus-daemon >/dev/null || need_packages+=(dbus-daemon)
if ((${#need_packages[@]})); then
  log "installing ${need_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${need_packages[@]}" >&2
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  nohup dockerd >/var/log/thopter-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { log "dockerd did not answer in 30 s; see /var/log/thopter-dockerd.log"; exit 1; }
fi

scripts/devbox/build-base-image.sh

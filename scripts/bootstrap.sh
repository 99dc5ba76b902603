#!/usr/bin/env bash
# Makes this machine ready for the tests and the demo, idempotently:
# Debian packages, SyncThing 1.29.5 beside Debian's 1.19.2 (the tests' version matrix), a running Docker engine,
# and the devbox base image built offline with debootstrap.
# Prints the devbox base image tag on stdout; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[bootstrap] %s\n' "$*" >&2; }

command -v dotnet >/dev/null || { log "no dotnet on PATH: install the .NET SDK 10 first"; exit 1; }

# command -> Debian package providing it
declare -A wanted=([syncthing]=syncthing [dockerd]=docker.io [debootstrap]=debootstrap [rsync]=rsync
                   [ssh]=openssh-client [openssl]=openssl [tar]=tar [gzip]=gzip [dbus-daemon]=dbus-daemon
                   [setpriv]=util-linux [/usr/bin/python3]=python3-minimal)
need_packages=()
for command in "${!wanted[@]}"; do
  command -v "$command" >/dev/null || need_packages+=("${wanted[$command]}")
done
if ((${#need_packages[@]})); then
  log "installing ${need_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >&2
fi

started=$(date +%s)
scripts/install-syncthing-1.29.sh >/dev/null
log "SyncThing 1.29.5 ready in $(( $(date +%s) - started )) s"

# Every systemd devbox (PID 1 and its user manager) takes inotify instances from the host's
# per-user pool; the default 128 runs out with a handful of devboxes and PID 1 then refuses to boot.
raise_sysctl() {
  local key=$1 want=$2 have
  have=$(sysctl -n "$key" 2>/dev/null || echo 0)
  if [ "$have" -lt "$want" ]; then
    sysctl -qw "$key=$want" >/dev/null 2>&1 || log "could not raise $key to $want (now $have): devboxes may fail to boot"
  fi
}
raise_sysctl fs.inotify.max_user_instances 8192
raise_sysctl fs.inotify.max_user_watches 1048576

# A dockerd killed without a clean stop (a machine snapshot, a session torn down) leaves its pid
# files behind, and a new dockerd refuses to start while they exist.
remove_stale_pid_file() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file" 2>/dev/null || true)
  if [ -z "$pid" ] || ! grep -qE '^(dockerd|containerd)$' "/proc/$pid/comm" 2>/dev/null \
     || [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ]; then
    log "removing stale $file (pid ${pid:-none} is not a running dockerd or containerd)"
    rm -f "$file"
  fi
}

if ! docker info >/dev/null 2>&1; then
  remove_stale_pid_file /var/run/docker.pid
  remove_stale_pid_file /var/run/docker/containerd/containerd.pid
  log "starting dockerd"
  nohup dockerd >/var/log/thopter-dockerd.log 2>&1 &
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  if ! docker info >/dev/null 2>&1; then
    log "dockerd did not answer in 60 s; the end of /var/log/thopter-dockerd.log:"
    tail -n 20 /var/log/thopter-dockerd.log >&2 || true
    exit 1
  fi
fi

started=$(date +%s)
tag=$(scripts/devbox/build-base-image.sh)
log "base image $tag ready in $(( $(date +%s) - started )) s"
echo "$tag"

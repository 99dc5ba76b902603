#!/usr/bin/env bash
# Builds the test devbox images (Dockerfile.test) from the bootstrap base and the published agent. Prints the
# tag of the main image; its twin without pre-created lingering for the user is the same tag + "-nolinger"
# (DevboxOptions.WithoutLinger). Tags are named by a hash of the agent binary, Dockerfile.test and the base
# image, and an existing tag is never rebuilt: a tag another checkout's test run uses is never re-pointed, and
# no shared tag (such as the old thopter-devbox:test) is moved by a build.
# Usage: build-devbox-image.sh BASE_IMAGE
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: build-devbox-image.sh BASE_IMAGE}
content=$( (cat artifacts/agent/thopter-agent Dockerfile.test scripts/devbox/self-linger.rules; echo "$base") | sha256sum | cut -c1-12)
tag="thopter-devbox:test-${content}"
# Two checkouts with the same agent build the same tags: one builds, the other then finds them.
exec 9>/tmp/thopter-devbox-image.lock
flock 9
build() {
  local name=$1 linger=$2
  docker image inspect "$name" >/dev/null 2>&1 && return
  docker build -q -f Dockerfile.test --build-arg BASE_IMAGE="$base" --build-arg LINGER="$linger" -t "$name" . >&2
}
build "$tag" 1
build "${tag}-nolinger" 0
echo "$tag"

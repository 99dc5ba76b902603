#!/usr/bin/env bash
# Builds the test devbox image (Dockerfile.test) from the bootstrap base and the published agent.
# Prints the image tag. Usage: build-devbox-image.sh BASE_IMAGE [TAG] (default tag thopter-devbox:test)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: build-devbox-image.sh BASE_IMAGE}
tag=${2:-thopter-devbox:test}
docker build -q -f Dockerfile.test --build-arg BASE_IMAGE="$base" -t "$tag" . >&2
echo "$tag"

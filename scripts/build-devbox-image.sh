#!/usr/bin/env bash
# Builds the test devbox image (Dockerfile.test) from the bootstrap base and the published agent.
# Prints a tag unique to this agent binary and recipe, so concurrent runs from different checkouts
# never test each other's agent; `thopter-devbox:test` also points at the newest build for manual use.
# Usage: build-devbox-image.sh BASE_IMAGE
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: build-devbox-image.sh BASE_IMAGE}
content=$(cat artifacts/agent/thopter-agent Dockerfile.test | sha256sum | cut -c1-12)
tag="thopter-devbox:test-${content}"
docker build -q -f Dockerfile.test --build-arg BASE_IMAGE="$base" -t "$tag" -t thopter-devbox:test . >&2
echo "$tag"

#!/usr/bin/env bash
# The devbox base image recipe: Debian bookworm minbase plus packages.txt, built offline with
# debootstrap and imported into Docker. Tagged by a hash of this file and packages.txt, so it is
# rebuilt exactly when the recipe changes. Prints the tag.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
recipe_hash=$(cat "$here/build-base-image.sh" "$here/packages.txt" | sha256sum | cut -c1-12)
tag="thopter-devbox-base:${recipe_hash}"
if ! docker image inspect "$tag" >/dev/null 2>&1; then
  printf '[base-image] building %s with debootstrap (about a minute)\n' "$tag" >&2
  root=$(mktemp -d /tmp/thopter-rootfs.XXXXXX)
  trap 'rm -rf "$root" "$root.log"' EXIT
  include=$(paste -sd, "$here/packages.txt")
  debootstrap --variant=minbase --include="$include" bookworm "$root" >"$root.log" 2>&1 \
    || { tail -n 30 "$root.log" >&2; echo "[base-image] debootstrap failed" >&2; exit 1; }
  # A golden snapshot must not carry host keys baked in by the build host.
  rm -f "$root"/etc/ssh/ssh_host_*
  tar -C "$root" -c . | docker import --change 'LABEL thopter.test=devbox-base' - "$tag" >/dev/null
fi
echo "$tag"

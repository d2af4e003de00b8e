#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Unpacks mbed TLS 2.28.3 from Debian's source package into DIR (the kernel's ECDSA verifier).
#
# Usage: tools/mbedtls.sh DIR
# The checker is written against the 2.28 API (3.x made the structures it reads private),
# so the version is pinned: Debian 12's mbedtls 2.28.3-1. With a deb-src line for that
# release (tools/deps.sh adds one as root) apt fetches it and checks it against the signed
# source index. Elsewhere (no deb-src line, or a later Debian whose index carries 3.x) the
# same upstream tarball is taken from Debian's package pool and checked against the
# SHA-256 that 2.28.3-1's signed .dsc gives for it. Debian's patches touch only the
# package's build and tests, so the upstream tarball is used as it is.
set -euo pipefail
dir=$1
version=2.28.3
debver=$version-1
orig=mbedtls_$version.orig.tar.gz
sha256=3b4953aa55a681e084d31892d9904cc5328d6b4958ea57b90ae4b4f94ae69a8d
pools=(https://deb.debian.org/debian/pool/main/m/mbedtls
  http://deb.debian.org/debian/pool/main/m/mbedtls
  http://archive.debian.org/debian/pool/main/m/mbedtls)
# Already there (the stamp names the version): only its time moves, for make.
if grep -qsF "$version" "$dir/.unpacked"; then
  touch "$dir/.unpacked"
  exit 0
fi
dl=$dir.download
rm -rf "$dl" "$dir"
mkdir -p "$dl" "$dir"
if (cd "$dl" && apt-get source --download-only -qq "mbedtls=$debver" >/dev/null 2>&1); then
  from="Debian source package $debver (apt)"
else
  from=
  for pool in "${pools[@]}"; do
    if python3 - "$pool/$orig" "$dl/$orig" <<'PY' 2>/dev/null; then
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=60) as r, open(sys.argv[2], "wb") as f:
    f.write(r.read())
PY
      from="$pool/$orig"
      break
    fi
  done
  if [[ -z $from ]]; then
    echo "mbedtls.sh: cannot fetch mbed TLS $version, Debian's source package $debver." >&2
    echo "  On Debian 12: run tools/deps.sh test as root (it adds a deb-src line)." >&2
    echo "  Elsewhere it is downloaded from ${pools[0]}: check the network." >&2
    exit 1
  fi
fi
if ! echo "$sha256  $dl/$orig" | sha256sum -c --status; then
  echo "mbedtls.sh: $orig from $from does not have the SHA-256 of Debian's $debver." >&2
  exit 1
fi
tar xzf "$dl/$orig" -C "$dir" --strip-components=1
echo "mbed TLS $version from $from" >"$dir/.unpacked"
rm -rf "$dl"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Unpacks mbed TLS from Debian's source package into DIR (the kernel's ECDSA verifier).
#
# Usage: tools/mbedtls.sh DIR
# Needs a deb-src line for Debian's main archive (tools/deps.sh adds one as root). The
# package's upstream tarball is used as it is (Debian's patches touch only its build and
# tests); apt checks the download against the signed source index.
set -euo pipefail
dir=$1
[[ -f $dir/.unpacked ]] && exit 0
dl=$dir.download
rm -rf "$dl" "$dir"
mkdir -p "$dl" "$dir"
if ! (cd "$dl" && apt-get source --download-only -qq mbedtls >/dev/null); then
  echo "mbedtls.sh: cannot download Debian's mbedtls source package." >&2
  echo "  It needs a deb-src line: run tools/deps.sh test as root (it adds one), or" >&2
  echo "  add 'Types: deb-src' for Debian's main archive and run apt-get update." >&2
  exit 1
fi
tar xzf "$dl"/mbedtls_*.orig.tar.gz -C "$dir" --strip-components=1
ls "$dl"/mbedtls_*.dsc | sed 's/.*\///' >"$dir/.unpacked"
rm -rf "$dl"

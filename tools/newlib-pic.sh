#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds and caches a position-independent (r9-based) newlib-nano for Cortex-M apps.
#
# Usage: tools/newlib-pic.sh [--print-prefix] [CACHE_DIR]
#   The result goes to CACHE_DIR/newlib-<key>/ with headers in arm-none-eabi/include and
#   libc.a, libm.a in arm-none-eabi/lib. CACHE_DIR defaults to $CAIRN_CACHE, else
#   ${XDG_CACHE_HOME:-$HOME/.cache}/cairn: outside the checkout, so every clone of Cairn
#   and every `make clean` reuses one build (it takes minutes; see README.md).
#   --print-prefix only prints that directory (no build, no install, no output on stderr),
#   so make can find it cheaply at parse time.
#
# Why: Debian's prebuilt newlib reaches its globals through absolute literal-pool
# addresses, which breaks as soon as an app is not at its link address. Built with the
# flags below, every global goes through the GOT at r9 and libc.a has no absolute
# relocation in code. The key depends on the newlib version, the compiler version and
# the flags, so changing any of them builds a fresh copy beside the old one.
#
# Idempotent: exits at once when newlib-<key>/.complete exists. Needs arm-none-eabi-gcc, make,
# a host cc, tar, xz and Debian's newlib-source package (apt-get installs what is
# missing when run as root; otherwise the script says what to install).

set -euo pipefail

# Bump when the recipe changes in a way the flags below do not capture.
recipe=1

target=arm-none-eabi
# Where Debian's newlib-source puts the tarball (overridable for testing).
newlib_tarball_dir=${NEWLIB_SRC_DIR:-/usr/src/newlib}

cflags_for_target="-mcpu=cortex-m3 -mthumb -mfloat-abi=soft -fPIC -msingle-pic-base \
-mpic-register=r9 -mno-pic-data-is-text-relative -Os -ffunction-sections -fdata-sections"

# Nano configuration: small printf/malloc, small reentrancy struct, no syscalls of its
# own (libcairn's newlib_stubs.c supplies them), single-threaded, no locale.
configure_flags=(
    --target="$target"
    --disable-multilib
    --disable-nls
    --disable-newlib-supplied-syscalls
    --enable-newlib-reent-small
    --enable-newlib-nano-malloc
    --enable-newlib-nano-formatted-io
    --disable-newlib-fvwrite-in-streamio
    --disable-newlib-fseek-optimization
    --disable-newlib-wide-orient
    --disable-newlib-unbuf-stream-opt
    --disable-newlib-atexit-dynamic-alloc
    --enable-lite-exit
    --enable-newlib-global-atexit
)

print_only=0
# Without a home (some CI sandboxes), the checkout's build/ holds it, as it used to.
cache_dir=${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}
cache_dir=${CAIRN_CACHE:-${cache_dir:+$cache_dir/cairn}}
cache_dir=${cache_dir:-build/newlib-cache}
for arg in "$@"; do
    case "$arg" in
    --print-prefix) print_only=1 ;;
    -h | --help)
        sed -n '3,12p' "$0"
        exit 0
        ;;
    -*)
        echo "newlib-pic.sh: unknown option $arg" >&2
        exit 2
        ;;
    *) cache_dir="$arg" ;;
    esac
done

# --- what is missing, and install it if we can --------------------------------------
# (Not for --print-prefix: make asks at parse time, before tools/deps.sh has run; a
# missing compiler then only gives a key that no build will match.)
missing_pkgs=()
command -v "$target-gcc" >/dev/null || missing_pkgs+=(gcc-arm-none-eabi)
command -v "$target-readelf" >/dev/null || missing_pkgs+=(binutils-arm-none-eabi)
command -v make >/dev/null || missing_pkgs+=(make)
command -v cc >/dev/null || missing_pkgs+=(gcc)
command -v xz >/dev/null || missing_pkgs+=(xz-utils)
command -v sha256sum >/dev/null || missing_pkgs+=(coreutils)
compgen -G "$newlib_tarball_dir/newlib-*.tar.*" >/dev/null || missing_pkgs+=(newlib-source)

if ((${#missing_pkgs[@]} && !print_only)); then
    if [ "$(id -u)" -ne 0 ]; then
        echo "newlib-pic.sh: missing packages; as root run:" >&2
        echo "  apt-get update && apt-get install -y ${missing_pkgs[*]}" >&2
        exit 1
    fi
    echo "newlib-pic.sh: installing ${missing_pkgs[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${missing_pkgs[@]}" >/dev/null 2>&1 ||
        { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing_pkgs[@]}"; }
fi

shopt -s nullglob
tarballs=("$newlib_tarball_dir"/newlib-*.tar.*) # sorted by the shell; take the newest
tarball=${tarballs[${#tarballs[@]} - 1]:-newlib-unknown.tar.xz}

# --- the cache key ------------------------------------------------------------------
# Version: the Debian package version (it includes Debian's patches) or, without dpkg,
# the upstream version from the tarball name.
version=$(dpkg-query -W -f='${Version}' newlib-source 2>/dev/null || true)
if [ -z "$version" ]; then
    version=$(basename "$tarball")
    version=${version#newlib-}
    version=${version%%.tar.*}
fi
version=$(printf '%s' "$version" | tr -c 'A-Za-z0-9.\n' '_')
gcc_version=$("$target-gcc" -dumpfullversion 2>/dev/null || "$target-gcc" -dumpversion 2>/dev/null ||
    echo none)
flags_hash=$(printf '%s\n' "$recipe" "$gcc_version" "$cflags_for_target" "${configure_flags[@]}" |
    sha256sum | cut -c1-12)
key="$version-$flags_hash"
# Absolute, so that every sub-make and every .d file names the same files.
case "$cache_dir" in /*) ;; *) cache_dir="$PWD/$cache_dir" ;; esac
prefix="$cache_dir/newlib-$key"

if ((print_only)); then
    echo "$prefix"
    exit 0
fi
if [ -f "$prefix/.complete" ]; then
    exit 0
fi

# --- build --------------------------------------------------------------------------
mkdir -p "$cache_dir" || {
    echo "newlib-pic.sh: cannot create the cache folder $cache_dir; set CAIRN_CACHE" >&2
    exit 1
}
abs_prefix=$prefix
work="$abs_prefix.build"
log="$abs_prefix.log"

# Two makes racing on the same key would corrupt each other's tree.
exec 9>"$abs_prefix.lock"
if command -v flock >/dev/null; then
    flock 9
    [ -f "$abs_prefix/.complete" ] && exit 0
fi

rm -rf "$work" "$abs_prefix"
# A checkout made before the cache moved out of it may hold this very build: reuse it.
old=build/newlib/$key
if [ -f "$old/.complete" ] && cp -a "$old" "$work" && mv "$work" "$abs_prefix"; then
    echo "  NEWLIB  $prefix (copied from $old)"
    exit 0
fi
mkdir -p "$work/src" "$work/obj"
echo "  NEWLIB  $prefix (PIC newlib-nano $version; log in $log)"

fail() {
    echo "newlib-pic.sh: $1 failed; last lines of $log:" >&2
    tail -n 40 "$log" >&2
    exit 1
}

: >"$log"
tar -xf "$tarball" -C "$work/src" --strip-components=1 >>"$log" 2>&1 || fail "unpacking $tarball"
(
    cd "$work/obj"
    "$work/src/configure" --prefix="$abs_prefix" "${configure_flags[@]}" \
        CFLAGS_FOR_TARGET="$cflags_for_target"
) >>"$log" 2>&1 || fail "configure"
make -C "$work/obj" -j"$(nproc 2>/dev/null || echo 2)" all-target-newlib >>"$log" 2>&1 || fail "make all-target-newlib"
make -C "$work/obj" install-target-newlib >>"$log" 2>&1 || fail "make install-target-newlib"

# --- verify: code must not hold an absolute address anywhere -------------------------
# Absolute relocations are fine in data (the app linker turns them into R_ARM_RELATIVE
# entries that crt0 applies); in .text they would be patched into flash, which the app
# cannot write, so the app would jump or load through its link-time address.
libdir="$abs_prefix/$target/lib"
for lib in libc.a libm.a; do
    [ -f "$libdir/$lib" ] || fail "install ($libdir/$lib missing)"
    bad=$("$target-readelf" -rW "$libdir/$lib" | awk '
        /^File: /                  { file = $2 }
        /^Relocation section /     { sec = $3; gsub(/\047/, "", sec) }
        sec ~ /^\.rel\.text/ && $3 ~ /^R_ARM_(ABS32|THM_MOVW_ABS_NC|THM_MOVT_ABS|MOVW_ABS_NC|MOVT_ABS)$/ {
            print file " " sec " " $3 " " $5
        }')
    if [ -n "$bad" ]; then
        echo "$bad" | head -n 20 >>"$log"
        fail "PIC check of $lib (absolute relocations in code)"
    fi
done

rm -rf "$work"
touch "$abs_prefix/.complete"
echo "  NEWLIB  done: $(du -sh "$abs_prefix" | cut -f1) in $prefix"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages one make target needs (or prints the one command to run).
#
# Usage: tools/deps.sh [run|debug|test] [BOARD]
#   run    what building and booting BOARD needs: host compiler, BOARD's cross compiler and
#          C library (newlib source for Cortex-M, picolibc for RISC-V), BOARD's QEMU
#   debug  run + gdb-multiarch
#   test   everything `make test` uses, for every board (the default; CI calls it so)
# As root (CI, containers) it installs what is missing; otherwise, or with
# CAIRN_DEPS_NO_INSTALL=1, it prints the exact apt-get line and fails. It prints nothing
# when everything is there.
set -euo pipefail

what=${1:-test}
board=${2:-qemu-mps2-an385}

# command-or-file to probe : Debian package that provides it
# libssl-dev: the host tools sign apps with OpenSSL's libcrypto (elf2tbf, tbfsign).
host=("gcc:gcc" "make:make" "xz:xz-utils" "/usr/include/openssl/evp.h:libssl-dev")
arm=(
  "arm-none-eabi-gcc:gcc-arm-none-eabi"
  "/usr/src/newlib:newlib-source"
  # newlib's headers alone (no libraries): the kernel's mbed TLS modules include assert.h,
  # string.h and stdlib.h; Debian's ARM gcc finds none without libnewlib-arm-none-eabi,
  # which --no-install-recommends leaves out.
  "/usr/include/newlib/assert.h:libnewlib-dev"
)
arm_qemu=("qemu-system-arm:qemu-system-arm")
riscv=(
  "riscv64-unknown-elf-gcc:gcc-riscv64-unknown-elf"
  "/usr/lib/picolibc/riscv64-unknown-elf/include/picolibc.h:picolibc-riscv64-unknown-elf"
)
riscv_qemu=("qemu-system-riscv32:qemu-system-misc")
testing=(
  "gdb-multiarch:gdb-multiarch"
  "/usr/include/cmocka.h:libcmocka-dev"
  "clang:clang"
  "python3:python3"
  "/usr/lib/python3/dist-packages/pexpect/__init__.py:python3-pexpect"
  "clang-format:clang-format"
  "cppcheck:cppcheck"
  "git:git"
)

# Which architecture a board's kernel is built for (its board.mk says).
board_arch=$(sed -n 's/^BOARD_ARCH *:\?= *//p' "boards/$board/board.mk" 2>/dev/null || true)
case "$what" in
run | debug)
  if [[ $board_arch == riscv ]]; then
    need=("${host[@]}" "${riscv[@]}" "${riscv_qemu[@]}")
  else
    need=("${host[@]}" "${arm[@]}" "${arm_qemu[@]}")
  fi
  [[ $what == debug ]] && need+=("gdb-multiarch:gdb-multiarch")
  ;;
test)
  need=("${host[@]}" "${arm[@]}" "${arm_qemu[@]}" "${riscv[@]}" "${riscv_qemu[@]}"
    "${testing[@]}")
  ;;
*)
  echo "usage: tools/deps.sh [run|debug|test] [BOARD]" >&2
  exit 2
  ;;
esac

missing=()
for entry in "${need[@]}"; do
  probe=${entry%%:*}
  pkg=${entry##*:}
  if [[ $probe == /* ]]; then
    [[ -e $probe ]] || missing+=("$pkg")
  else
    command -v "$probe" >/dev/null 2>&1 || missing+=("$pkg")
  fi
done
# libFuzzer ships with clang's runtime package.
if [[ $what == test ]] && command -v clang >/dev/null 2>&1; then
  if ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 &&
    ! ls /usr/lib/llvm-*/lib/clang/*/lib/*/libclang_rt.fuzzer*.a >/dev/null 2>&1; then
    missing+=("libclang-rt-dev")
  fi
fi

# The kernel's ECDSA verifier is built from Debian's mbedtls source package
# (tools/mbedtls.sh): apt needs a deb-src line for the archive the deb lines name (without
# one, mbedtls.sh takes the same tarball from Debian's pool and checks its SHA-256).
have_deb_src() {
  grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/
}
add_deb_src() {
  local f=/etc/apt/sources.list.d/debian.sources
  if [[ -f $f ]]; then
    # deb822: the same stanzas with deb-src (one file of our own; theirs stays as it is).
    sed -n '/^Types:/s/.*/Types: deb-src/p; /^\(URIs\|Suites\|Components\|Signed-By\):/p; /^$/p' \
      "$f" >/etc/apt/sources.list.d/cairn-deb-src.sources
  else
    grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
      >/etc/apt/sources.list.d/cairn-deb-src.list
  fi
}
need_src=0
have_deb_src || need_src=1

[[ ${#missing[@]} -eq 0 && $need_src -eq 0 ]] && exit 0
if [[ ${#missing[@]} -eq 0 ]]; then
  if [[ $(id -u) -ne 0 || ${CAIRN_DEPS_NO_INSTALL:-0} == 1 ]]; then
    echo "The kernel's ECDSA verifier is built from Debian's mbedtls source package: add a" >&2
    echo "deb-src line for Debian's main archive (as root: tools/deps.sh adds one) and run" >&2
    echo "apt-get update." >&2
    exit 1
  fi
  echo "deps: adding a deb-src line (mbedtls source package)"
  add_deb_src
  apt-get update -qq
  exit 0
fi

# Sorted and unique, so the line is the same whatever the order of the probes.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 || ${CAIRN_DEPS_NO_INSTALL:-0} == 1 ]]; then
  if [[ ${CAIRN_DEPS_NO_INSTALL:-0} != 1 ]] && command -v sudo >/dev/null 2>&1 &&
    sudo -n true 2>/dev/null; then
    echo "deps: installing ${missing[*]} with sudo"
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $cmd
    exit 0
  fi
  sudo=$([[ $(id -u) -ne 0 ]] && echo "sudo " || true)
  echo "Missing packages for make $what. Install them with:" >&2
  echo "  ${sudo}apt-get update && ${sudo}$cmd" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
[[ $need_src -eq 1 ]] && add_deb_src
apt-get update -qq
DEBIAN_FRONTEND=noninteractive $cmd

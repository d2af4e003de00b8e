#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages Cairn needs (or prints the exact command when not root).
set -euo pipefail

# command-or-file to probe : Debian package that provides it
need=(
  "arm-none-eabi-gcc:gcc-arm-none-eabi"
  "/usr/lib/arm-none-eabi/newlib/libc.a:libnewlib-arm-none-eabi"
  "/usr/src/newlib:newlib-source"
  "qemu-system-arm:qemu-system-arm"
  "riscv64-unknown-elf-gcc:gcc-riscv64-unknown-elf"
  "/usr/lib/picolibc/riscv64-unknown-elf/include/picolibc.h:picolibc-riscv64-unknown-elf"
  "qemu-system-riscv32:qemu-system-misc"
  "gdb-multiarch:gdb-multiarch"
  "/usr/include/cmocka.h:libcmocka-dev"
  "gcc:gcc"
  "make:make"
  "clang:clang"
  "python3:python3"
  "clang-format:clang-format"
  "cppcheck:cppcheck"
)

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
if command -v clang >/dev/null 2>&1; then
  clang -print-runtime-dir >/dev/null 2>&1 || true
  if ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 &&
     ! ls /usr/lib/llvm-*/lib/clang/*/lib/*/libclang_rt.fuzzer*.a >/dev/null 2>&1; then
    missing+=("libclang-rt-dev")
  fi
fi

[[ ${#missing[@]} -eq 0 ]] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "deps: installing ${missing[*]} with sudo"
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $cmd
    exit 0
  fi
  echo "deps: missing Debian packages: ${missing[*]}" >&2
  echo "deps: run as root:  apt-get update && $cmd" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive $cmd

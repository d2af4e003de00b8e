#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Kernel flash and RAM of the production and core images, and what each optional feature costs.
# Usage: bench/sizes.sh [BUILD_DIR]   (BOARD as for make; builds the images it measures)
#
# Flash = text + data (what the image puts in flash); RAM = data + bss, the kernel and
# panic stacks included (NOLOAD sections count as bss). A feature's cost is what the
# production image saves without it (make KVARIANT=no-x kernel, boards/common/features.mk):
# its own code, data and strings, and what only it used of the rest.
set -euo pipefail

build=${1:-build}
board=${BOARD:-qemu-mps2-an385}
board_cross=$(sed -n 's/^BOARD_CROSS *:\?= *//p' "boards/$board/board.mk")
cross=${CROSS:-${board_cross:-arm-none-eabi-}}
mk() { make --no-print-directory BOARD="$board" BUILD="$build" "$@" >/dev/null 2>&1; }
# flash and RAM of one image: "FLASH RAM"
sizes() {
  local text data bss
  read -r text data bss _ < <("${cross}size" "$1" | tail -1)
  echo "$((text + data)) $((data + bss))"
}

mk kernel kernel-core
read -r prod_flash prod_ram < <(sizes "$build/$board/cairn.elf")
read -r core_flash core_ram < <(sizes "$build/$board-core/cairn.elf")
row() { printf '%-66s %8s %8s %s\n' "$@"; }
echo
row "Kernel images ($board; bytes)" flash RAM "target / peer"
row "production (make run): every feature the board has (below)" "$prod_flash" "$prod_ram" -
row "core (make kernel-core): no optional feature" "$core_flash" "$core_ram" \
  "<= 16384 / <= 3072; FreeRTOS-MPU kernel alone 20315"
# The core image holds two drivers besides the kernel: the console (with the UART
# multiplexer it shares with the kernel's own output) and the alarm. FreeRTOS-MPU's
# 20,315 B is its kernel without drivers: the row below is the core image's flash with
# those two drivers' code and data taken out, attributed by bench/flash_attr.py (line
# table and symbols). An attribution of the image above, not a smaller image.
src_of() { local s; for s in "$@"; do [[ -f $s ]] && printf '%s,' "$s"; done; }
declare -A part
while read -r name bytes; do part[$name]=$bytes; done < <(bench/flash_attr.py --cross "$cross" \
  "$build/$board-core/cairn.elf" "console=$(src_of capsules/console.c capsules/uart_mux.c)" \
  "alarm=$(src_of capsules/alarm.c capsules/alarm_mux.c)")
row "  of which console driver + UART multiplexer (attribution)" "${part[console]}" - ""
row "  of which alarm driver (attribution)" "${part[alarm]}" - ""
row "  core without those two drivers: the kernel (attribution)" "${part[rest]}" - \
  "FreeRTOS-MPU kernel alone 20315"

echo
row "Optional feature (production image without it saves)" flash RAM ""
while read -r f on; do
  [[ $on == 1 ]] || continue
  v=no-${f,,}
  mk KVARIANT="$v" kernel
  read -r flash ram < <(sizes "$build/$board-$v/cairn.elf")
  row "  FEATURE_$f" "$((prod_flash - flash))" "$((prod_ram - ram))" ""
done < <(make --no-print-directory BOARD="$board" kernel-features)
echo "A feature's cost counts what only it uses (e.g. the UART input path for the process"
echo "console); the costs do not add up to production - core exactly."

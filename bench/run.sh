#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the micro-benchmarks under QEMU icount, prints one table, then kernel sizes.
# Usage: bench/run.sh [BUILD_DIR]   (images from `make bench-apps`, default build/)
#
# Every run boots the kernel with a set of bench apps; the measuring app prints
# `bench: ...` lines and ends QEMU through the test driver. Under -icount shift=0 a guest
# instruction takes 1 ns, so instruction counts are exact and runs are repeatable.
set -euo pipefail

build=${1:-build}
board=${BOARD:-qemu-mps2-an385}
# The emulator command line and apps address, from the board's own description.
qemu_cmd=$(sed -n 's/^BOARD_QEMU *:\?= *//p' "boards/$board/board.mk")
apps_addr=$(sed -n 's/^BOARD_APPS_ADDR *:\?= *//p' "boards/$board/board.mk")
apps_size=$(sed -n 's/^BOARD_APPS_SIZE *:\?= *//p' "boards/$board/board.mk")
app_arch=$(sed -n 's/^BOARD_APP_ARCH *:\?= *//p' "boards/$board/board.mk")
board_cross=$(sed -n 's/^BOARD_CROSS *:\?= *//p' "boards/$board/board.mk")
# The runs need the test kernel (test driver: null command, notify, exit); the sizes
# reported are those of the production kernel `make run` boots.
kernel=$build/$board-test/cairn.elf
prod_kernel=$build/$board/cairn.elf
mkappflash=$build/tools/mkappflash
# Fixed-address apps (BOARD_APP_ARCH) come as TABs of per-slot images, from apps-ARCH.
apps=$build/apps${app_arch:+-$app_arch}
ext=${app_arch:+tab}
ext=${ext:-tbf}
flash_opts=()
[[ -n $app_arch ]] && flash_opts+=(--arch "$app_arch" --region-start "$apps_addr")
[[ -n $apps_size ]] && flash_opts+=(--region-size "$apps_size")
out=$build/bench
cross=${CROSS:-${board_cross:-arm-none-eabi-}}
mkdir -p "$out"

for f in "$kernel" "$prod_kernel" "$mkappflash"; do
  [[ -e $f ]] || { echo "bench: $f missing (make kernel kernel-test tools bench-apps)" >&2; exit 1; }
done

results=$out/results.txt
: >"$results"
failed=0

# run LABEL APP... : boot the apps, keep the bench lines, relabelled with LABEL.
# After a failed run the rest are skipped: they would only time out the same way.
run() {
  local label=$1
  shift
  if [[ $failed -ne 0 ]]; then
    echo "bench: run '$label' skipped" >&2
    return
  fi
  local tbfs=() a
  for a in "$@"; do
    [[ -e $apps/$a/$a.$ext ]] || { echo "bench: $apps/$a/$a.$ext missing" >&2; exit 1; }
    tbfs+=("$apps/$a/$a.$ext")
  done
  "$mkappflash" -o "$out/$label.bin" "${flash_opts[@]}" "${tbfs[@]}" >/dev/null
  local rc=0
  # shellcheck disable=SC2086 # the board's command line is a list of words
  timeout 60 $qemu_cmd -display none -monitor none \
    -serial stdio -icount shift=0,sleep=off \
    -kernel "$kernel" -device "loader,file=$out/$label.bin,addr=$apps_addr" \
    </dev/null >"$out/$label.log" 2>&1 || rc=$?
  local lines
  lines=$(tr -d '\r' <"$out/$label.log" | grep -ao 'bench: .*' || true)
  if [[ $rc -ne 0 || -z $lines ]]; then
    echo "bench: run '$label' failed (exit $rc, log $out/$label.log)" >&2
    failed=1
    return
  fi
  # "bench: NAME k=v ..." -> "LABEL/NAME k=v ...": the same app measures in several runs.
  echo "$lines" | sed -E "s|^bench: ([^ ]+)|$label/\1|" >>"$results"
}

run null bench_null
run upcall_1proc bench_subscribe
run wakeup_1proc bench_wakeup
run wakeup_2proc bench_wakeup bench_wakeup_peer
run pingpong_2proc bench_ping bench_pong
run latency_1proc bench_alarm
run latency_4proc bench_alarm bench_alarm_peer bench_alarm_peer bench_alarm_peer
run latency_8proc bench_alarm bench_alarm_peer bench_alarm_peer bench_alarm_peer \
  bench_alarm_peer bench_alarm_peer bench_alarm_peer bench_alarm_peer

echo
echo "Syscall costs on $board under QEMU icount (1 instruction = 1 ns; 1 alarm tick = 1 ns x 10^9 / alarm Hz, instr_per_op from the alarm clock)"
printf '%-36s %10s %8s %14s %s\n' "case" "ticks" "iters" "instr/op" "other"
awk '{
  name = $1; ticks = ""; iters = ""; per = ""; rest = ""
  for (i = 2; i <= NF; i++) {
    split($i, kv, "=")
    if (kv[1] == "ticks") ticks = kv[2]
    else if (kv[1] == "iters") iters = kv[2]
    else if (kv[1] == "instr_per_op") per = kv[2]
    else rest = rest " " $i
  }
  printf "%-36s %10s %8s %14s%s\n", name, ticks, iters, per, rest
}' "$results"
cat <<'NOTE'
  null/*: one syscall and the loop around it (null/empty_loop is the loop alone)
  upcall_1proc: subscribe + arm an already-due alarm + yield-wait + upcall, per round
  wakeup_Nproc: arm an already-due alarm + yield-wait + upcall, N processes doing it
  pingpong_2proc: two processes waking each other (test driver notify + yield-wait-for)
  latency_Nproc: alarm 100 us ahead, now (in the upcall) - expiration; N-1 peers also
    keep alarms armed (avg_ns/max_ns include idle time, so they are ns, not instructions)
NOTE

echo
echo "Production kernel image ($prod_kernel):"
"${cross}size" "$prod_kernel"
echo "Test kernel image, with the test driver ($kernel):"
"${cross}size" "$kernel"

# Memory rows. Kernel flash = text + data of the production image; kernel RAM = data +
# bss, the kernel and panic stacks included (NOLOAD sections count as bss). The blink
# run reports the RAM block the loader gives userland/apps/blink (its whole RAM with the
# kernel's part); the minimal run boots 140 copies of userland/apps/minimal and reports
# how many the pool holds. Neither ends by itself: QEMU is stopped after 5 s.
mem_boot() { # LABEL APP... : boot them, keep the console log
  local label=$1 tbfs=() a
  shift
  for a in "$@"; do tbfs+=("$apps/$a/$a.tbf"); done
  "$mkappflash" -o "$out/$label.bin" "${tbfs[@]}" >/dev/null
  # shellcheck disable=SC2086 # the board's command line is a list of words
  timeout 5 $qemu_cmd -display none -monitor none -serial stdio -icount shift=0,sleep=off \
    -kernel "$kernel" -device "loader,file=$out/$label.bin,addr=$apps_addr" \
    </dev/null >"$out/$label.log" 2>&1 || true
}
mem_boot mem_blink blink
mapfile -t minimal140 < <(for _ in $(seq 140); do echo minimal; done)
mem_boot mem_max "${minimal140[@]}"
read -r text data bss _ < <("${cross}size" "$prod_kernel" | tail -1)
blink_block=$(tr -d '\r' <"$out/mem_blink.log" | sed -n "s/^loader: 'blink' slot 0: .*ram 0x[0-9a-f]* (\([0-9]*\) B)$/\1/p")
pcb=$(tr -d '\r' <"$out/mem_max.log" | sed -n 's/.*B of RAM + \([0-9]*\) B kernel part.*/\1/p' | head -1)
max_apps=$(tr -d '\r' <"$out/mem_max.log" | sed -n 's/^kernel: \([0-9]*\) process.* loaded$/\1/p')
echo
echo "Memory"
printf '%-60s %8s\n' "kernel flash, production image (text + data)" "$((text + data)) B"
printf '%-60s %8s\n' "kernel RAM (data + bss, kernel and panic stacks included)" "$((data + bss)) B"
printf '%-60s %8s\n' "process control block (the kernel part of every block)" "${pcb:-?} B"
printf '%-60s %8s\n' "whole RAM of the blink app (its block, kernel part included)" "${blink_block:-?} B"
printf '%-60s %8s\n' "minimal apps running at once (of 140 in flash)" "${max_apps:-?}"

echo
echo "Capsules (objects before linking; the linker drops unused sections):"
"${cross}size" "$build/$board"/obj/capsules/*.o | sed "s|$build/$board/obj/||"
exit $failed

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
core_kernel=$build/$board-core/cairn.elf
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

for f in "$kernel" "$prod_kernel" "$core_kernel" "$mkappflash"; do
  [[ -e $f ]] || { echo "bench: $f missing (make kernel kernel-test kernel-core tools bench-apps)" >&2; exit 1; }
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
# Busy peers: each keeps re-arming an alarm of its own, so the measured alarm may queue
# behind their upcalls (what an app sees on a loaded system).
run latency_4proc bench_alarm bench_alarm_peer bench_alarm_peer bench_alarm_peer
run latency_8proc bench_alarm bench_alarm_peer bench_alarm_peer bench_alarm_peer \
  bench_alarm_peer bench_alarm_peer bench_alarm_peer bench_alarm_peer
# Idle peers: each has an alarm armed 10 s ahead and sleeps, so only the kernel's cost of
# more processes (and more armed alarms) shows.
idle3="bench_alarm_idle bench_alarm_idle bench_alarm_idle"
idle7="$idle3 $idle3 bench_alarm_idle"
# shellcheck disable=SC2086 # lists of app names
run latency_4proc_idle bench_alarm $idle3
# shellcheck disable=SC2086
run latency_8proc_idle bench_alarm $idle7

# Rows measured from an instruction trace (bench/trace.py): spans between two addresses,
# averaged over many repetitions, for what no app can time itself.
trace() {
  local label=$1
  shift
  if [[ $failed -ne 0 ]]; then
    return
  fi
  local v
  if ! v=$(python3 bench/trace.py --build "$build" --board "$board" --value "$@" 2>"$out/$label.trace.err"); then
    echo "bench: trace '$label' failed ($out/$label.trace.err)" >&2
    failed=1
    return
  fi
  echo "trace/$label instr=$v" >>"$results"
}
board_arch=$(sed -n 's/^BOARD_ARCH *:\?= *//p' "boards/$board/board.mk")
if [[ $board_arch != cortex-m ]]; then
  echo "bench: trace rows skipped on $board (bench/trace.py knows the Cortex-M port only)" >&2
  failed_trace=1
fi
[[ ${failed_trace:-0} -ne 0 ]] || trace preempt --apps bench_spin bench_spin --marker cm_systick_handler --through cm_to_process \
  --skip 2 --count 4
[[ ${failed_trace:-0} -ne 0 ]] || trace block --apps bench_ping bench_pong --marker bench_ping:yield_wait_for@svc \
  --end bench_pong:yield_wait_for@ret
[[ ${failed_trace:-0} -ne 0 ]] || trace irq_1proc --apps bench_alarm --marker cm_irq_handler --end bench_alarm:on_alarm
[[ ${failed_trace:-0} -ne 0 ]] || trace irq_2proc --apps bench_alarm bench_alarm_idle --marker cm_irq_handler \
  --end bench_alarm:on_alarm
# shellcheck disable=SC2086
[[ ${failed_trace:-0} -ne 0 ]] || trace irq_4proc --apps bench_alarm $idle3 --marker cm_irq_handler --end bench_alarm:on_alarm
# shellcheck disable=SC2086
[[ ${failed_trace:-0} -ne 0 ]] || trace irq_8proc --apps bench_alarm $idle7 --marker cm_irq_handler --end bench_alarm:on_alarm

# get NAME FIELD: a value from the results ("" if missing).
get() {
  awk -v n="$1" -v f="$2" '$1 == n { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) print kv[2] } }' "$results"
}
half() { awk -v v="$1" 'BEGIN { if (v != "") printf "%.1f", v / 2 }'; }
growth() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { if (a != "" && b != "") printf "%+.1f", (b - a) / n }'; }
row() { printf '%-72s %9s %9s %9s %8s\n' "$@"; }

echo
echo "Cairn on $board under QEMU icount: 1 instruction = 1 ns. Instructions per"
echo "operation unless a row says ns. Peers: FreeRTOS-MPU (MPU wrappers v2) and Zephyr 3.2"
echo "userspace measured in the same QEMU the same way; - where they have no such figure."
row "row (what exactly is measured: doc/performance.md)" "Cairn" "FreeRTOS" "Zephyr" "target"
row "null command round trip: wrapper in, loop out" "$(get null/null_command instr_per_op)" 183 83 "<= 80"
row "  yield-no-wait with nothing queued: wrapper in, loop out" "$(get null/yield_nowait_empty instr_per_op)" - - -
row "  memop sbrk(0): wrapper in, loop out" "$(get null/memop_sbrk0 instr_per_op)" - - -
row "preemptive switch: timeslice interrupt -> next process runs (1)" "$(get trace/preempt instr)" 105 388 "<= 100"
row "blocking switch: yield-wait trap -> next process runs (1)" "$(get trace/block instr)" 105 388 "<= 200"
row "ping-pong round trip, 2 processes (notify + yield-wait-for)" "$(get pingpong_2proc/ping_pong_round_trip instr_per_op)" 1756 1661 "<= 800"
row "timer interrupt -> first instruction of the app's upcall, 1 process" "$(get trace/irq_1proc instr)" - "360 (2)" "<= 300"
row "  the same, 2 processes (1 idle, with an alarm armed) (4)" "$(get trace/irq_2proc instr)" - - -
row "  the same, 4 processes (3 idle, each with an alarm armed)" "$(get trace/irq_4proc instr)" - - -
row "  the same, 8 processes (7 idle, each with an alarm armed)" "$(get trace/irq_8proc instr)" - - -
row "  growth per extra process with an alarm (2 -> 8 processes) (4)" "$(growth "$(get trace/irq_2proc instr)" "$(get trace/irq_8proc instr)" 6)" - - "<= +10"
echo "Software wakeup path (an alarm already due when armed: no interrupt, a deferred call):"
row "  arm + yield-wait + upcall, 1 process, per wakeup" "$(get wakeup_1proc/alarm_wakeup instr_per_op)" - - -
row "  the same, 2 processes taking turns, per wakeup (3)" "$(half "$(get wakeup_2proc/alarm_wakeup instr_per_op)")" - - -
row "  subscribe + arm + yield-wait + upcall, 1 process" "$(get upcall_1proc/subscribe_arm_upcall instr_per_op)" - - -
echo "Alarm latency an app observes (now() in its upcall - expiration; ns, one counter tick resolution):"
for n in 1proc 4proc_idle 8proc_idle 4proc 8proc; do
  case $n in
  1proc) what="1 process" ;;
  4proc_idle) what="4 processes, 3 idle peers with alarms" ;;
  8proc_idle) what="8 processes, 7 idle peers with alarms" ;;
  4proc) what="4 processes, 3 busy peers re-arming alarms (queueing)" ;;
  8proc) what="8 processes, 7 busy peers re-arming alarms (queueing)" ;;
  esac
  row "  $what: avg / max ns" "$(get "latency_$n/alarm_latency" avg_ns) / $(get "latency_$n/alarm_latency" max_ns)" - - -
done
cat <<'NOTE'
(1) Kernel instructions from the first instruction of the exception handler to the
    exception return into the next process (trace). The peers' one "switch between two
    isolated tasks" figure is shown on both rows; the issue compares the preemptive row
    with FreeRTOS-MPU's and the blocking row with Zephyr's.
(2) Zephyr: interrupt to the first instruction of the thread it wakes.
(3) Measured per iteration of the measuring process, halved: the other process wakes
    once between two of its wakeups.
(4) From 1 to 2 processes the cost steps up once: after the upcall's alarm another one is
    still armed, so the expiry re-arms the hardware for it instead of disarming it.
    Growth is measured from there on.
Raw results: build/bench/results.txt; how to reproduce a row: doc/performance.md.
NOTE

echo
echo "Production kernel image ($prod_kernel):"
"${cross}size" "$prod_kernel"
echo "Test kernel image, with the test driver ($kernel):"
"${cross}size" "$kernel"

# Memory rows. Kernel flash = text + data of the core and production images; kernel RAM =
# data + bss, the kernel and panic stacks included (NOLOAD sections count as bss). The blink
# run reports the RAM block the loader gives userland/apps/blink (its whole RAM with the
# kernel's part); the minimal run boots 140 copies of userland/apps/minimal and reports
# how many the pool holds. Neither ends by itself: QEMU is stopped after 15 s (wall clock:
# booting 140 apps takes about 3 s of it on an idle machine, more on a loaded one).
mem_boot() { # LABEL APP... : boot them, keep the console log
  local label=$1 tbfs=() a
  shift
  : >"$out/$label.log"
  # Fixed-address apps (RISC-V) have one image per slot: no 140 copies of one app.
  [[ -z $app_arch ]] || return 0
  for a in "$@"; do tbfs+=("$apps/$a/$a.tbf"); done
  "$mkappflash" -o "$out/$label.bin" "${tbfs[@]}" >/dev/null
  # shellcheck disable=SC2086 # the board's command line is a list of words
  timeout 15 $qemu_cmd -display none -monitor none -serial stdio -icount shift=0,sleep=off \
    -kernel "$kernel" -device "loader,file=$out/$label.bin,addr=$apps_addr" \
    </dev/null >"$out/$label.log" 2>&1 || true
}
mem_boot mem_blink blink
mapfile -t minimal140 < <(for _ in $(seq 140); do echo minimal; done)
mem_boot mem_max "${minimal140[@]}"
read -r text data bss _ < <("${cross}size" "$prod_kernel" | tail -1)
read -r ctext cdata cbss _ < <("${cross}size" "$core_kernel" | tail -1)
blink_block=$(tr -d '\r' <"$out/mem_blink.log" | sed -n "s/^loader: 'blink' slot 0: .*ram 0x[0-9a-f]* (\([0-9]*\) B)$/\1/p")
pcb=$(tr -d '\r' <"$out/mem_max.log" | sed -n 's/.*B of RAM + \([0-9]*\) B kernel part.*/\1/p' | head -1)
max_apps=$(tr -d '\r' <"$out/mem_max.log" | sed -n 's/^kernel: \([0-9]*\) process.* loaded$/\1/p')
echo
mrow() { printf '%-62s %10s %22s %10s\n' "$@"; }
mrow "Memory (bytes unless said)" "Cairn" "best peer" "target"
mrow "kernel flash, core image (5) (text + data)" "$((ctext + cdata))" "FreeRTOS-MPU 20315 (5)" "<= 16384"
mrow "kernel RAM, core image (data + bss, stacks included)" "$((cdata + cbss))" "FreeRTOS 2617 + heap" "<= 3072"
mrow "kernel flash, production image, every feature (text + data)" "$((text + data))" - -
mrow "kernel RAM, production image (data + bss, stacks included)" "$((data + bss))" - -
mrow "process control block (the kernel part of every block)" "${pcb:-?}" - -
mrow "whole RAM of the blink app (its block, kernel part included)" "${blink_block:-?}" "Tock 916" "<= 512"
mrow "minimal apps running at once (of 140 in flash)" "${max_apps:-?}" - ">= 48"
echo "(5) FreeRTOS-MPU's figure is its kernel alone, without drivers. Cairn's core image"
echo "    (make kernel-core) has the scheduler, syscalls, grants, loader, MPU, fault reports"
echo "    and the console and alarm drivers, no optional feature; the production image"
echo "    (make run) has every feature the board has: what each costs is listed below."
[[ -n ${blink_block} && -n ${max_apps} ]] ||
  echo "? : no figure on this board (its apps are linked for fixed addresses: no 140 copies)."

# Both images' flash and RAM again, with what each optional feature costs.
BOARD=$board bench/sizes.sh "$build"
exit $failed

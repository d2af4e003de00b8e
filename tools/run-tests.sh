#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every host test program, QEMU test and walkthrough, then prints "N passed, N failed".
# Usage: run-tests.sh BUILD_DIR "BOARD..." HOST_TEST... -- QEMU_TEST... [-- WALKTHROUGH...]
# A walkthrough (tests/walkthrough/*.py) drives make in a fresh copy of the tree, as a
# newcomer would, and prints one PASS or FAIL line per step.
# The QEMU tests run once per board; each test names the kernel variant it boots
# (build/BOARD[-variant]/cairn.elf) and may be limited to some boards.
set -u
build=$1
boards=$2
shift 2
host=()
while [[ $# -gt 0 && $1 != -- ]]; do host+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
qemu=()
while [[ $# -gt 0 && $1 != -- ]]; do qemu+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
walk=("$@")

passed=0
failed=0
logdir=build/tests/host
mkdir -p "$logdir"
# The host programs run side by side (as many as CPUs; each writes only its own log), and
# are reported in the given order once all have ended.
jobs=${CAIRN_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
for t in "${host[@]}"; do
  name=$(basename "$t")
  rm -f "$logdir/$name.rc"
  while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do wait -n; done
  ( "$t" >"$logdir/$name.log" 2>&1; echo $? >"$logdir/$name.rc" ) &
done
wait
for t in "${host[@]}"; do
  name=$(basename "$t")
  log=$logdir/$name.log
  rc=$(cat "$logdir/$name.rc" 2>/dev/null || echo 1)
  # cmocka's summary lines count the individual tests of the program.
  p=$(grep -oE 'PASSED *\] *[0-9]+' "$log" | grep -o '[0-9]*$' | tail -1)
  f=$(grep -oE 'FAILED *\] *[0-9]+' "$log" | grep -o '[0-9]*$' | tail -1)
  p=${p:-0}
  f=${f:-0}
  if [[ $rc -ne 0 && $f -eq 0 ]]; then
    f=1 # crashed (sanitizer report, abort) before cmocka could count
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  if [[ $f -ne 0 ]]; then
    echo "FAIL $name ($p passed, $f failed; log $log)"
    grep -E 'FAIL|ERROR|runtime error|AddressSanitizer' "$log" | head -20 | sed 's/^/  /'
  else
    echo "PASS $name ($p tests)"
  fi
done

for board in $boards; do
  [[ ${#qemu[@]} -gt 0 ]] || break
  echo "--- QEMU tests on $board"
  out=$(python3 tools/qemu-run.py --build "$build" --board "$board" \
    --out "build/tests/qemu/$board" "${qemu[@]}")
  rc=$?
  echo "$out" | grep -v '^qemu: ' | grep -v '^SKIP '
  p=$(echo "$out" | grep -c '^PASS ')
  f=$(echo "$out" | grep -c '^FAIL ')
  # A runner that stopped early (a bad .test file, a crash) left tests unrun: a failure,
  # never a silently shorter count.
  if [[ $rc -ne 0 && $f -eq 0 ]]; then
    echo "FAIL qemu-run.py on $board exited $rc before reporting every test"
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
done

# Debian's python3 has python3-pexpect (tools/deps.sh); another python3 first in PATH may not.
py=python3
[[ -x /usr/bin/python3 ]] && py=/usr/bin/python3
for t in "${walk[@]}"; do
  echo "--- walkthrough $(basename "$t")"
  out=$("$py" "$t" 2>&1)
  rc=$?
  echo "$out" | grep -E '^(PASS|FAIL|  )'
  p=$(echo "$out" | grep -c '^PASS ')
  f=$(echo "$out" | grep -c '^FAIL ')
  if [[ $rc -ne 0 && $f -eq 0 ]]; then
    f=1
    echo "FAIL $(basename "$t") (exit $rc)"
    echo "$out" | tail -20 | sed 's/^/  /'
  fi
  passed=$((passed + p))
  failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]

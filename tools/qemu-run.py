#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# QEMU test runner: boots a kernel + apps image under icount and checks its console.
"""Run Cairn QEMU tests.

A test is a file tests/qemu/NAME.test of directives, applied in order:
  # text              what the test checks (first comment line is its description)
  apps: A B ...        apps placed in flash, in order (build/apps/A/A.tbf); A*N is N
                       copies of A
  flash-opts: ...      extra mkappflash options (--corrupt N, --truncate-last)
  timeout: SECONDS     safety net for the whole run (default 20)
  expect: REGEX        wait until REGEX matches the console output after the last match
  expect-count: N RE   wait until RE matched N times after the last match
  send: TEXT           type TEXT (escapes \\r \\n) once the previous expect matched
  reject: REGEX        fail if REGEX appears anywhere in the output (checked at the end)
  exit: CODE           the run must end by itself with this semihosting exit code
  kernel: VARIANT      which kernel image boots: test (default: test driver and debug
                       shell commands), fuzz (test, restarting faulted apps forever) or
                       prod (what `make run` boots)
  boards: B ...        run only on these boards (default: every board)
  realtime: N          also run the whole test N more times without -icount (real host
                       time), each of which must pass too: races hide under icount
Without `exit:`, QEMU is stopped after the last directive passes.
"""
import argparse
import os
import re
import select
import subprocess
import sys
import time

# Console on stdio, nothing else attached to the host; the board adds machine and CPU.
QEMU_IO = ["-display", "none", "-monitor", "none", "-serial", "stdio"]
ICOUNT = ["-icount", "shift=0,sleep=off"]
KERNEL_VARIANTS = {"test": "-test", "fuzz": "-fuzz", "prod": ""}


def board_conf(board):
    """BOARD_QEMU and BOARD_APPS_ADDR from boards/BOARD/board.mk (the build reads it too)."""
    conf = {}
    with open(os.path.join("boards", board, "board.mk")) as f:
        for line in f:
            m = re.match(r"^(BOARD_QEMU|BOARD_APPS_ADDR)\s*:?=\s*(.*?)\s*$", line)
            if m:
                conf[m.group(1)] = m.group(2)
    if "BOARD_QEMU" not in conf or "BOARD_APPS_ADDR" not in conf:
        raise SystemExit(f"boards/{board}/board.mk lacks BOARD_QEMU or BOARD_APPS_ADDR")
    return conf["BOARD_QEMU"].split() + QEMU_IO, conf["BOARD_APPS_ADDR"]


def parse(path):
    steps, opts = [], {"apps": [], "flash": [], "timeout": 20.0, "desc": "", "kernel": "test",
                       "realtime": 0, "boards": None}
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            if line.startswith("#"):
                if not opts["desc"] and not line.startswith("# SPDX"):
                    opts["desc"] = line[1:].strip()
                continue
            key, _, val = line.partition(":")
            key, val = key.strip(), val.strip()
            if key == "apps":
                for word in val.split():
                    name, _, count = word.partition("*")
                    opts["apps"] += [name] * (int(count) if count else 1)
            elif key == "flash-opts":
                opts["flash"] = val.split()
            elif key == "timeout":
                opts["timeout"] = float(val)
            elif key == "kernel":
                if val not in KERNEL_VARIANTS:
                    raise SystemExit(f"{path}:{n}: unknown kernel variant '{val}' "
                                     f"(one of {', '.join(KERNEL_VARIANTS)})")
                opts["kernel"] = val
            elif key == "boards":
                opts["boards"] = val.split()
            elif key == "realtime":
                opts["realtime"] = int(val)
            elif key in ("expect", "reject"):
                steps.append((key, re.compile(val), n))
            elif key == "expect-count":
                cnt, _, rx = val.partition(" ")
                steps.append((key, (int(cnt), re.compile(rx.strip())), n))
            elif key == "send":
                steps.append((key, val.encode().decode("unicode_escape"), n))
            elif key == "exit":
                steps.append((key, int(val), n))
            else:
                raise SystemExit(f"{path}:{n}: unknown directive '{key}'")
    return opts, steps


def build_flash(opts, out, mkappflash, appdir):
    tbfs = []
    for a in opts["apps"]:
        t = os.path.join(appdir, a, a + ".tbf")
        if not os.path.exists(t):
            raise RuntimeError(f"app image {t} not built")
        tbfs.append(t)
    if not tbfs:
        return None
    subprocess.run([mkappflash, "-o", out] + opts["flash"] + tbfs, check=True,
                   stdout=subprocess.DEVNULL)
    return out


def kernel_path(opts, a):
    if a.kernel:
        return a.kernel
    return os.path.join(a.build, a.board + KERNEL_VARIANTS[opts["kernel"]], "cairn.elf")


def run_test(path, a):
    """Run the test once under icount, then `realtime` more times without it."""
    name = os.path.splitext(os.path.basename(path))[0]
    opts, steps = parse(path)
    if opts["boards"] is not None and a.board not in opts["boards"]:
        print(f"SKIP {name} (not for {a.board})")
        return None
    kernel = kernel_path(opts, a)
    if not os.path.exists(kernel):
        raise RuntimeError(f"kernel image {kernel} not built (make kernels)")
    os.makedirs(a.out, exist_ok=True)
    flash = build_flash(opts, os.path.join(a.out, name + ".apps.bin"), a.mkappflash, a.apps)
    qemu, apps_addr = board_conf(a.board)
    ok = run_once(name, opts, steps, qemu, apps_addr, kernel, flash, a.out, a.verbose, True)
    for i in range(1, opts["realtime"] + 1):
        if not ok:
            break
        ok = run_once(f"{name}[realtime {i}/{opts['realtime']}]", opts, steps, qemu, apps_addr,
                      kernel, flash, a.out, a.verbose, False)
    return ok


def run_once(name, opts, steps, qemu, apps_addr, kernel, flash, outdir, verbose, icount):
    log_path = os.path.join(outdir, re.sub(r"[^\w.-]+", "_", name).strip("_") + ".log")
    started = time.monotonic()
    cmd = qemu + (ICOUNT if icount else []) + ["-kernel", kernel]
    if flash:
        cmd += ["-device", f"loader,file={flash},addr={apps_addr}"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out = b""
    pos = 0  # output consumed by matched expects
    deadline = time.monotonic() + opts["timeout"]
    failure = None
    rejects = [s for s in steps if s[0] == "reject"]
    exit_code = None

    def pump(wait):
        nonlocal out
        r, _, _ = select.select([proc.stdout], [], [], wait)
        if r:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if chunk:
                out += chunk
                return True
        return False

    for kind, arg, line in steps:
        if failure:
            break
        if kind == "reject":
            continue
        if kind == "send":
            try:
                proc.stdin.write(arg.encode())
                proc.stdin.flush()
            except BrokenPipeError:
                failure = f"line {line}: QEMU exited before input could be sent"
            continue
        if kind in ("expect", "expect-count"):
            rx, need = (arg, 1) if kind == "expect" else (arg[1], arg[0])
            while True:
                # surrogateescape round-trips every byte, so pos stays a byte offset even
                # when a process writes bytes that are not UTF-8 (the fuzz app does).
                text = out[pos:].decode(errors="surrogateescape")
                ms = list(rx.finditer(text))
                if len(ms) >= need:
                    pos += len(text[:ms[need - 1].end()].encode(errors="surrogateescape"))
                    break
                if proc.poll() is not None and not pump(0):
                    failure = f"line {line}: QEMU exited ({proc.returncode}) before /{rx.pattern}/ " \
                              f"matched {need} time(s) (saw {len(ms)})"
                    break
                if time.monotonic() > deadline:
                    failure = f"line {line}: timeout waiting for /{rx.pattern}/ x{need} (saw {len(ms)})"
                    break
                pump(0.05)
            continue
        if kind == "exit":
            while proc.poll() is None and time.monotonic() < deadline:
                pump(0.05)
            if proc.poll() is None:
                failure = f"line {line}: timeout waiting for exit {arg}"
            else:
                while pump(0):
                    pass
                exit_code = proc.returncode
                if exit_code != arg:
                    failure = f"line {line}: exit code {exit_code}, expected {arg}"
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    while pump(0):
        pass
    text = out.decode(errors="replace")
    if not failure:
        for _, rx, line in rejects:
            m = rx.search(text)
            if m:
                failure = f"line {line}: rejected /{rx.pattern}/ appeared: {m.group(0)!r}"
                break
    err = proc.stderr.read().decode(errors="replace")
    with open(log_path, "w") as f:
        f.write(text)
        if err:
            f.write("\n--- qemu stderr ---\n" + err)
    if failure:
        print(f"FAIL {name} ({time.monotonic() - started:.1f} s): {failure}")
        tail = "\n".join(text.splitlines()[-25:])
        print("  --- last console lines (full log: %s) ---" % log_path)
        print("  " + tail.replace("\n", "\n  "))
        return False
    print(f"PASS {name} ({time.monotonic() - started:.1f} s)" +
          (f" ({opts['desc']})" if verbose and opts["desc"] else ""))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="build folder holding the kernels")
    ap.add_argument("--board", default="qemu-mps2-an385")
    ap.add_argument("--kernel", help="boot this image in every test, whatever it asks for")
    ap.add_argument("--mkappflash", default="build/tools/mkappflash")
    ap.add_argument("--apps", default="build/apps")
    ap.add_argument("--out", default="build/tests/qemu")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("tests", nargs="+")
    a = ap.parse_args()
    passed = failed = skipped = 0
    for t in a.tests:
        try:
            ok = run_test(t, a)
        except Exception as e:  # a broken test file or missing image is a failure, loudly
            print(f"FAIL {os.path.basename(t)}: {e}")
            ok = False
        if ok is None:
            skipped += 1
            continue
        passed += ok
        failed += not ok
    print(f"qemu: {passed} passed, {failed} failed" + (f", {skipped} not for this board"
                                                        if skipped else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

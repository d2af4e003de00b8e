#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Instruction trace of a bench run, attributed by symbol: where one operation's instructions go.
"""Boot the test kernel with bench apps under QEMU icount, log every executed instruction
(`-d exec,nochain` with one instruction per translation block) and measure the period
between successive executions of a marker address, attributing each instruction to the
function (kernel or app) it belongs to.

    bench/trace.py --apps bench_ping bench_pong --marker bench_ping:command
    bench/trace.py --apps bench_null --marker bench_null:command --list 1

--marker SYM (a kernel symbol) or APP:SYM (a symbol of that app's ELF, placed where the
app sits in the flash image) starts a period each time the CPU executes its first
instruction; SYM@svc is the first svc instruction inside SYM and SYM@ret the instruction
after it (where a trapped process resumes). --end SYM ends the measured span just before
that address executes instead of at the next marker (e.g. from the timer's handler to the
upcall's first instruction); --through SYM ends it just after. A marker seen again
before the end is counted in the span (--restart: starts the span over). After --skip periods (boot, warm-up) it averages
--count periods, prints instructions per period and the per-symbol split, and with
--list N prints the instruction sequence of N periods. QEMU stops as soon as enough
periods were seen; --value prints only the average.

Only the kernel and the functions named by --marker/--end/--through are logged (QEMU
-dfilter), so a span may include long stretches of app code that are not counted: use
app symbols only as span limits, and count kernel work. Counts are instructions executed
(QEMU icount); exception entry and return cost no instructions under icount. An
instruction logged twice in a row is counted once (icount re-executes device accesses).
"""
import argparse
import bisect
import os
import re
import shlex
import struct
import subprocess
import sys
import tempfile
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP_LINK_BASE = 0x80000000  # where app ELFs are linked (position-independent code)


def board_value(board, key):
    with open(os.path.join(ROOT, "boards", board, "board.mk")) as f:
        for line in f:
            m = re.match(r"^%s\s*:?=\s*(.*)$" % key, line.strip())
            if m:
                return m.group(1)
    sys.exit("trace: %s missing in boards/%s/board.mk" % (key, board))


def symbols(elf, cross, base=0, prefix=""):
    """(address, name, size) of every function of elf, shifted by base."""
    out = subprocess.run([cross + "nm", "-n", "-S", "--defined-only", elf],
                         capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            parts.insert(1, "0")
        if len(parts) != 4 or parts[2] not in "tTwW":
            continue
        addr = (int(parts[0], 16) & ~1) + base
        syms.append((addr & 0xFFFFFFFF, prefix + parts[3], int(parts[1], 16)))
    return syms


def svc_offset(code, start, size):
    """Offset of the first Thumb svc (0xDFxx halfword) in code[start:start+size]."""
    for off in range(0, size - 1, 2):
        if code[start + off + 1] == 0xDF:
            return off
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--board", default=os.environ.get("BOARD", "qemu-mps2-an385"))
    ap.add_argument("--build", default="build")
    ap.add_argument("--kernel", help="kernel ELF (default: the board's test kernel)")
    ap.add_argument("--apps", nargs="+", required=True, help="app names under BUILD/apps")
    ap.add_argument("--marker", required=True, help="SYM or APP:SYM starting each period")
    ap.add_argument("--end", help="SYM or APP:SYM ending the span before it executes")
    ap.add_argument("--through", help="SYM or APP:SYM ending the span after it executes")
    ap.add_argument("--skip", type=int, default=50, help="periods to skip first")
    ap.add_argument("--count", type=int, default=20, help="periods to average")
    ap.add_argument("--list", type=int, default=0, help="print the trace of N periods")
    ap.add_argument("--limit", type=int, default=50_000_000,
                    help="give up after N logged instructions")
    ap.add_argument("--value", action="store_true", help="print only the average")
    ap.add_argument("--restart", action="store_true",
                    help="a marker seen again before the end starts the span over")
    args = ap.parse_args()

    cross = os.environ.get("CROSS", "arm-none-eabi-")
    kernel = args.kernel or os.path.join(args.build, args.board + "-test", "cairn.elf")
    apps_addr = int(board_value(args.board, "BOARD_APPS_ADDR"), 0)
    qemu = shlex.split(board_value(args.board, "BOARD_QEMU"))

    tmp = tempfile.mkdtemp(prefix="cairn-trace-")
    image = os.path.join(tmp, "apps.bin")
    tbfs = [os.path.join(args.build, "apps", a, a + ".tbf") for a in args.apps]
    subprocess.run([os.path.join(args.build, "tools", "mkappflash"), "-o", image] + tbfs,
                   check=True, stdout=subprocess.DEVNULL)

    syms = symbols(kernel, cross)
    named = {name: (addr, size, None) for addr, name, size in syms}
    kernel_end = max(a + max(sz, 2) for a, _, sz in syms)
    with open(image, "rb") as f:
        flash = f.read()
    for app, tbf in zip(args.apps, tbfs):
        with open(tbf, "rb") as f:
            data = f.read()
        off = flash.find(data)
        if off < 0:
            sys.exit("trace: %s not found in the image" % tbf)
        header_size = struct.unpack_from("<H", data, 2)[0]
        base = apps_addr + off + header_size - APP_LINK_BASE
        elf = os.path.join(args.build, "apps", app, app + ".elf")
        app_syms = symbols(elf, cross, base, app + ":")
        syms += app_syms
        for addr, name, size in app_syms:
            named.setdefault(name, (addr, size, (flash, addr - apps_addr)))
    syms.sort()
    addrs = [a for a, _, _ in syms]

    def lookup(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return syms[i][1] if i >= 0 else "?"

    ranges = ["0x0..0x%x" % (kernel_end - 1)]

    def resolve(spec):
        if spec is None:
            return None
        if re.match(r"^0x[0-9a-fA-F]+$", spec):
            return int(spec, 16)
        name, _, what = spec.partition("@")
        if name not in named:
            sys.exit("trace: unknown symbol %s" % name)
        addr, size, where = named[name]
        if where is not None:
            ranges.append("0x%x..0x%x" % (addr, addr + max(size, 2) - 1))
        if not what:
            return addr
        if where is None:
            sys.exit("trace: @%s only for app symbols" % what)
        off = svc_offset(where[0], where[1], size)
        if off is None or what not in ("svc", "ret"):
            sys.exit("trace: no svc in %s (or @%s unknown)" % (name, what))
        return addr + off + (2 if what == "ret" else 0)

    marker = resolve(args.marker)
    end = resolve(args.end or args.through)
    through = args.through is not None

    fifo = os.path.join(tmp, "log")
    os.mkfifo(fifo)
    cmd = qemu + ["-display", "none", "-monitor", "none", "-serial", "null",
                  "-icount", "shift=0,sleep=off", "-kernel", kernel,
                  "-device", "loader,file=%s,addr=0x%x" % (image, apps_addr),
                  "-d", "exec,nochain", "-dfilter", ",".join(ranges), "-singlestep", "-D", fifo]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pcre = re.compile(r"\[[0-9a-f]+/([0-9a-f]+)/")
    periods = -1  # index of the period being counted (-1: before the first marker)
    in_span = False
    per_sym = Counter()
    span_sym = Counter()
    per_pc = Counter()
    span_pc = Counter()
    total = 0
    listing = []
    span_list = []
    seen = 0
    prev_pc = None

    def close_span():
        nonlocal total
        per_sym.update(span_sym)
        per_pc.update(span_pc)
        total += sum(span_sym.values())
        if periods - args.skip < args.list:
            listing.extend(span_list)
    try:
        with open(fifo) as log:
            for line in log:
                m = pcre.search(line)
                if not m:
                    continue
                pc = int(m.group(1), 16)
                if pc == prev_pc:
                    # Under icount an instruction that touches a device is executed a
                    # second time (QEMU retranslates it to end its block) and logged
                    # twice, but counted once; no kernel instruction branches to itself.
                    continue
                prev_pc = pc
                seen += 1
                if seen > args.limit:
                    sys.exit("trace: marker not seen often enough in %d instructions" % args.limit)
                if pc == marker:
                    if end is None:
                        # Periods: each marker closes the span it started.
                        if in_span and periods >= args.skip:
                            close_span()
                        periods += 1
                        if periods >= args.skip + args.count:
                            break
                    elif not in_span:
                        periods += 1
                    elif not args.restart:
                        # A marker again before the end: the span goes on.
                        span_sym[lookup(pc)] += 1
                        span_pc[(pc, lookup(pc))] += 1
                        span_list.append((pc, lookup(pc), periods - args.skip))
                        continue
                    in_span = True
                    span_sym = Counter()
                    span_pc = Counter()
                    span_list = []
                elif end is not None and pc == end and in_span:
                    in_span = False
                    if through:
                        span_sym[lookup(pc)] += 1
                        span_pc[(pc, lookup(pc))] += 1
                        span_list.append((pc, lookup(pc), periods - args.skip))
                    if periods >= args.skip:
                        close_span()
                    if periods + 1 >= args.skip + args.count:
                        break
                    continue
                if periods < args.skip or not in_span:
                    continue
                sym = lookup(pc)
                span_sym[sym] += 1
                span_pc[(pc, sym)] += 1
                span_list.append((pc, sym, periods - args.skip))
    finally:
        proc.kill()
        proc.wait()
        os.unlink(fifo)
        os.unlink(image)
        os.rmdir(tmp)

    n = periods - args.skip + (1 if end is not None and not in_span else 0)
    # Kernel functions inlined by LTO (the main loop into the reset handler, the syscall
    # path into the SVC handler): name each kernel address by its innermost function.
    kpcs = sorted(pc for pc in {pc for pc, _, _ in listing} | {pc for pc, _ in per_pc}
                  if pc < kernel_end)
    inner = {}
    if kpcs:
        out = subprocess.run([cross + "addr2line", "-f", "-i", "-e", kernel] +
                             ["0x%x" % pc for pc in kpcs], capture_output=True, text=True,
                             check=True).stdout.splitlines()
        # With -i, each address prints 2 lines per inlining level; a query of a marker
        # address ("0x0") separates them unambiguously, so ask again one by one if the
        # counts do not line up.
        if len(out) == 2 * len(kpcs):
            inner = {pc: out[2 * i] for i, pc in enumerate(kpcs)}
        else:
            for pc in kpcs:
                o = subprocess.run([cross + "addr2line", "-f", "-i", "-e", kernel, "0x%x" % pc],
                                   capture_output=True, text=True, check=True).stdout.split()
                inner[pc] = o[0] if o else "?"
    per_fn = Counter()
    for (pc, sym), c in per_pc.items():
        name = inner.get(pc, sym)
        per_fn[name if name == sym or name == "??" else "%s (in %s)" % (name, sym)] += c
    if n < args.count:
        sys.exit("trace: only %d periods seen" % max(n, 0))
    if args.value:
        print("%.1f" % (total / n))
        return
    lim = args.end or args.through
    what = "%s -> %s" % (args.marker, lim) if lim else "period of %s" % args.marker
    print("%s: %.1f instructions (average of %d)" % (what, total / n, n))
    for sym, c in per_fn.most_common():
        print("  %8.1f  %s" % (c / n, sym))
    last = None
    for pc, sym, k in listing:
        if k != last:
            print("--- period %d" % k)
            last = k
        name = inner.get(pc, sym)
        print("  %08x  %s" % (pc, sym if name in (sym, "??") else "%s (in %s)" % (name, sym)))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Attributes a kernel image's flash (text + data) to groups of source files, for bench/sizes.sh.
"""Usage: bench/flash_attr.py [--cross PREFIX] ELF NAME=FILE[,FILE...] ...

Prints one line per group, "NAME BYTES", then "rest BYTES"; the lines add up to the
image's flash (text + data, as `size` counts it).

Code: every instruction (and literal-pool word) is attributed through the line table
(`objdump -d -l --inlines`) to the innermost .c or .S file of its inline chain: a
driver's function inlined into the kernel's main loop counts for the driver, a kernel
function inlined into a driver (a grant entry) for the kernel, and a header's inline
helper for the .c file that called it. Data (tables, operation structs, initialised
variables) is attributed by symbol: an object counts for a group if one of the group's
files defines it. Everything else (message text, instructions without line
information such as the assembly, alignment padding) is the rest.
"""
import argparse
import os
import re
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def code_files(cross, elf):
    """{address: (size, innermost .c/.S file)} for every decoded instruction or word."""
    out = run(cross + "objdump", "-d", "-l", "--inlines", "--no-show-raw-insn", elf)
    chain, last_was_loc, rows = [], False, []
    for line in out.splitlines():
        m = re.match(r"^(?:inlined by )?(\S+?\.[chS]):\d+", line)
        if m:
            # A location line starts a new chain unless it continues one ("inlined by").
            if not line.startswith("inlined by ") and not last_was_loc:
                chain = []
            chain.append(m.group(1))
            last_was_loc = True
            continue
        m = re.match(r"^\s*([0-9a-f]+):\t", line)
        if m:
            src = next((f for f in chain if f.endswith((".c", ".S"))), None)
            rows.append((int(m.group(1), 16), src))
        last_was_loc = False
    rows.sort()
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cross", default="arm-none-eabi-")
    ap.add_argument("elf")
    ap.add_argument("groups", nargs="+", help="NAME=FILE[,FILE...] (paths as in the repo)")
    a = ap.parse_args()
    groups = []
    for g in a.groups:
        name, files = g.split("=", 1)
        groups.append((name, [f for f in files.split(",") if f]))

    def group_of(path):
        if not path:
            return None
        for name, files in groups:
            if any(path == f or path.endswith("/" + f) for f in files):
                return name
        return None

    total = {name: 0 for name, _ in groups}
    # Flash as `size` counts it: allocated sections that are not NOBITS, excluding the
    # debug sections; their sum is the image's text + data.
    flash = 0
    ranges = []
    for line in run(a.cross + "readelf", "-SW", a.elf).splitlines():
        m = re.match(r"^\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)"
                     r"\s+\S+\s+(\S*)", line)
        if m and "A" in m.group(5) and m.group(2) != "NOBITS":
            size = int(m.group(4), 16)
            flash += size
            ranges.append((int(m.group(3), 16), size))

    rows = code_files(a.cross, a.elf)
    code_end = {}
    for i, (addr, src) in enumerate(rows):
        nxt = rows[i + 1][0] if i + 1 < len(rows) else addr + 2
        # objdump decodes rodata after the code too: only count up to a symbol's end.
        code_end[addr] = (min(nxt - addr, 4), src)

    # Function symbols bound the code; objects are data.
    funcs, objects = [], []
    for line in run(a.cross + "readelf", "-sW", a.elf).splitlines():
        f = line.split()
        if len(f) >= 8 and f[3] in ("FUNC", "OBJECT") and f[6] != "UND":
            addr, size = int(f[1], 16) & ~1, int(f[2], 0)
            if size and any(s <= addr < s + n for s, n in ranges):
                (funcs if f[3] == "FUNC" else objects).append((addr, size, f[7]))
    in_func = set()
    for addr, size, _ in funcs:
        in_func.update(range(addr, addr + size))
    for addr, (size, src) in code_end.items():
        g = group_of(src)
        if g and addr in in_func:
            total[g] += size

    # Objects by the file that defines them (the name without GCC's .N / .lto_priv suffixes).
    defs = {}
    for name, files in groups:
        for f in files:
            if os.path.exists(f):
                defs[name] = defs.get(name, "") + open(f, encoding="utf-8").read()
    for addr, size, sym in objects:
        base = re.sub(r"\.(lto_priv\.\d+|\d+|constprop\.\d+)+$", "", sym)
        for name, text in defs.items():
            if re.search(r"^[^(\n]*\b%s\b[^(\n]*=" % re.escape(base), text, re.M):
                total[name] += size
                break

    for name, _ in groups:
        print(name, total[name])
    print("rest", flash - sum(total.values()))


if __name__ == "__main__":
    sys.exit(main())

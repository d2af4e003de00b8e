# SPDX-License-Identifier: Apache-2.0
# gdb command cairn-apps: load each app's symbols at the flash and RAM addresses it runs at.
"""Sourced by the gdb script tools/debug.py writes, after it defined CAIRN_APPS (per app in
the flash image: name, entry address, ELF files with their sections' link addresses).

A position-independent Cortex-M app is linked with flash at 0x80000000 and RAM at 0
(userland/app.ld); at run time its binary starts at the process's app_start and its RAM
at mem_start, both known only once the kernel's loader has placed it. So `cairn-apps`
runs the target to the first app's first instruction (the loader has placed every app
by then), reads each process's addresses from the kernel's process_table, and adds each
ELF with every allocated section at its run-time address (add-symbol-file -s). A
fixed-address app (RISC-V) is linked where it runs: the ELF of its flash slot is added
as it is. `break main` then resolves in every loaded app.
"""
import gdb  # noqa: F401 (provided by gdb)

FLASH_LINK = 0x80000000


def _read(addr, n):
    """n bytes of memory at addr. When the CPU is stopped in an app, QEMU's gdb stub reads
    with the app's rights and the MPU refuses kernel memory; then the monitor's physical
    read (xp) gets it."""
    try:
        return bytes(gdb.selected_inferior().read_memory(addr, n))
    except gdb.MemoryError:
        base = addr & ~3
        words = (addr + n - base + 3) // 4
        text = gdb.execute(f"monitor xp /{words}wx {base:#x}", to_string=True)
        data = b""
        for line in text.splitlines():
            for tok in line.partition(":")[2].split():
                data += int(tok, 16).to_bytes(4, "little")
        return data[addr - base:addr - base + n]


def _u32(addr):
    return int.from_bytes(_read(addr, 4), "little")


def _processes():
    """(name, app_start, mem_start) of each process in the kernel's process table. Only
    addresses and field offsets come from the kernel's debug information; the values are
    read with _read."""
    # process_table and process_count are kernel statics; the table they describe lives
    # at the bottom of the process pool (kernel/process.h).
    table = _u32(int(gdb.parse_and_eval("(unsigned long)&process_table")))
    n = _u32(int(gdb.parse_and_eval("(unsigned long)&process_count")))

    def off(field):
        return int(gdb.parse_and_eval(f"(unsigned long)&((struct process *)0)->{field}"))
    def size(field):
        return int(gdb.parse_and_eval(f"sizeof(((struct process *)0)->{field})"))
    out = []
    for i in range(n):
        p = _u32(table + 4 * i)
        if p == 0:
            continue
        name_len = int.from_bytes(_read(p + off("name_len"), size("name_len")), "little")
        name = _read(_u32(p + off("name")), name_len).decode("ascii", "replace")
        out.append((name, _u32(p + off("app_start")), _u32(p + off("mem_start"))))
    return out


def _add(app, binary, ram):
    """The add-symbol-file line for one app whose binary starts at `binary` and whose RAM
    starts at `ram`, or None if no ELF of it is known."""
    for elf in app["elfs"]:
        secs = elf["sections"]
        text = secs.get(".text")
        if text is None:
            continue
        if text != FLASH_LINK:  # fixed address: linked where it runs; take its slot's
            if text == binary:
                return f"add-symbol-file {elf['path']} -o 0"
            continue

        def at(a):
            return binary + (a - FLASH_LINK) if a >= FLASH_LINK else ram + a
        line = f"add-symbol-file {elf['path']} {at(text):#x}"
        for name, a in sorted(secs.items()):
            if name != ".text":
                line += f" -s {name} {at(a):#x}"
        return line
    return None


def load_symbols():
    by_name = {a["name"]: a for a in CAIRN_APPS}  # noqa: F821 (defined by the script)
    for name, binary, ram in _processes():
        app = by_name.get(name)
        line = _add(app, binary, ram) if app else None
        if line is None:
            print(f"cairn-apps: '{name}': no ELF known (built elsewhere?), no symbols")
            continue
        gdb.execute(line, to_string=True)
        print(f"cairn-apps: '{name}' symbols at flash {binary:#010x}, RAM {ram:#010x}")


class CairnApps(gdb.Command):
    """cairn-apps: run to the first app's entry (the loader has then placed every app),
    load every app's symbols at its run-time addresses, and stop there."""

    def __init__(self):
        super().__init__("cairn-apps", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        # Bit 0 of a Thumb entry only says "Thumb": the instruction is at the even address.
        bps = [gdb.Breakpoint(f"*{a['entry'] & ~1:#x}", internal=True)
               for a in CAIRN_APPS]  # noqa: F821
        try:
            gdb.execute("continue")
        finally:
            for b in bps:
                b.delete()
        load_symbols()
        print("cairn-apps: stopped before the first app runs; e.g. `break main`, `continue`.")


class CairnSymbols(gdb.Command):
    """cairn-symbols: load every app's symbols now (the target must be past the loader)."""

    def __init__(self):
        super().__init__("cairn-symbols", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        load_symbols()


CairnApps()
CairnSymbols()

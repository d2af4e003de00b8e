#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Generates the attack matrix: every way a process traps x every stack pointer condition.
"""Attack matrix generator.

Writes two files from the lists and rules below:
  userland/apps/attack/cases.h    the trap kinds and stack pointer conditions, in order, as
                                  X-macro lists (the app runs case N = trap N / len(SPS),
                                  condition N % len(SPS), where N is its restart count)
  tests/qemu/attack_matrix.test   per case: the marker the app prints, then either the
                                  app's own "served correctly" report or the kernel's
                                  fault dump for exactly that case, with the expected
                                  reason and fault status lines

Usage: attack_matrix.py          regenerate both files
       attack_matrix.py --check  exit 1 if either file differs from what would be written
"""
import os
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
HEADER = os.path.join(ROOT, "userland", "apps", "attack", "cases.h")
TEST = os.path.join(ROOT, "tests", "qemu", "attack_matrix.test")

# Ways to trap: (name, family). svc: a syscall the kernel serves when the stack is fine;
# svc_fault: a syscall the kernel refuses by faulting the process; sync: an instruction
# that raises a synchronous fault; irq: spinning until an interrupt preempts.
TRAPS = [
    ("yield_no_wait", "svc"),  # an upcall pending, the flag pointer at its stacked xPSR
    ("yield_wait", "svc"),  # an alarm upcall is pending: it runs, then yield returns
    ("yield_wait_for", "svc"),  # the same upcall, returned as values
    ("subscribe", "svc"),
    ("command", "svc"),
    ("allow_rw", "svc"),
    ("allow_ro", "svc"),
    ("allow_ura", "svc"),  # served: NOSUPPORT (no driver takes such buffers)
    ("memop", "svc"),
    ("exit_restart", "svc"),  # served: the next incarnation starts, no fault dump
    ("unknown_class", "svc_fault"),
    ("udf", "sync"),
    ("div_by_zero", "sync"),
    ("scs_load", "sync"),
    ("ldm_unaligned", "sync"),
    ("strd_unaligned", "sync"),
    ("bkpt", "sync"),
    ("exec_ram", "sync"),
    ("preempt", "irq"),
]

# Stack pointer conditions: (name, the 32-byte frame below SP is in the process's
# accessible RAM). The test places the attack app between two counters: the loader places
# blocks largest first from the top, in flash order among equals, and the test pins the
# three RAM requests (mkappflash --set, each above what the app needs) so that with PMSAv7
# all three blocks are 8 kB, and with PMSAv8's exact blocks the first counter's is the
# largest and the second's the smallest. "below" and "other" are then a neighbour's RAM.
SPS = [
    ("valid", True),  # 256 bytes below its own SP, 8-byte aligned
    ("odd_word", True),  # the same minus 4: the hardware pads the frame (xPSR bit 9)
    ("unaligned", True),  # valid + 2: SP bits 1:0 are zero on M-profile, so valid
    ("brk_top", True),  # SP = break: the frame's last word is the last word below it
    ("below_ram", False),  # 64 bytes below its RAM (the counter placed below)
    ("kernel_part", False),  # kernel break + 64: its own grant / control block area
    ("kernel_ram", False),  # 64 kB RAM base + 0x800, kernel data and stack
    ("other_process", False),  # 256 bytes above its RAM block (the counter above)
    ("flash", False),  # its own flash (readable, never writable)
    ("brk_straddle", False),  # break + 16: half the frame above the break
    ("brk_above", False),  # break + 32: the frame's first byte is the break
]

MSTKERR = r"MPU fault stacking on exception entry \(MSTKERR\)"
# The cause lines each synchronous fault prints when stacking works (print order).
SYNC_CAUSE = {
    "udf": [r"undefined instruction \(UNDEFINSTR\)"],
    "div_by_zero": [r"divide by zero \(DIVBYZERO\)"],
    "scs_load": [r"precise data bus error \(PRECISERR\)", r"faulting address: 0xe000ed00 \(BFAR\)"],
    "ldm_unaligned": [r"unaligned access \(UNALIGNED\)"],
    "strd_unaligned": [r"unaligned access \(UNALIGNED\)"],
    "bkpt": [r"escalated to HardFault \(FORCED\)"],
    "exec_ram": [r"instruction fetch from a protected address \(IACCVIOL\)"],
}
# With a bad SP the trap's own exception and the derived MemManage are both pending: the
# one not taken must be reported as cleared (HardFault outranks MemManage; MemManage the
# rest; a MemManage trap merges with its derived one).
PENDING_LINE = {
    "svc": r"the fault hit while stacking an svc: its pending SVCall was cleared",
    "svc_fault": r"the fault hit while stacking an svc: its pending SVCall was cleared",
    "udf": r"also pending, cleared: UsageFault",
    "div_by_zero": r"also pending, cleared: UsageFault",
    "scs_load": r"also pending, cleared: BusFault",
    "ldm_unaligned": r"also pending, cleared: UsageFault",
    "strd_unaligned": r"also pending, cleared: UsageFault",
    "bkpt": r"also pending, cleared: MemManage",
}
# Bad-SP fault lines in print order: CFSR bits low to high, then HFSR, then extras.
BAD_SP_CAUSE = {
    "udf": [MSTKERR, r"undefined instruction \(UNDEFINSTR\)"],
    "div_by_zero": [MSTKERR, r"divide by zero \(DIVBYZERO\)"],
    "scs_load": [MSTKERR, r"precise data bus error \(PRECISERR\)"],
    "ldm_unaligned": [MSTKERR, r"unaligned access \(UNALIGNED\)"],
    "strd_unaligned": [MSTKERR, r"unaligned access \(UNALIGNED\)"],
    "bkpt": [MSTKERR, r"escalated to HardFault \(FORCED\)"],
    "exec_ram": [r"instruction fetch from a protected address \(IACCVIOL\)", MSTKERR],
}

# Boards whose QEMU model raises a bus error for an unprivileged SCS load. QEMU's
# lm3s6965evb ignores every bus error (the machine sets ignore_memory_transaction_failures):
# the load reads 0 and returns, so there every scs_load case is served, with the app's
# WRONG_RETURNED (0x8) as its report (no exception, so a bad SP is never stacked on).
BUS_ERROR_BOARDS = "qemu-mps2-an385,qemu-mps2-an505"
NO_BUS_ERROR_BOARDS = "qemu-lm3s6965evb"
WRONG_RETURNED = 0x8

CASE_MARK = 0xA77AC000  # app prints CASE_MARK + case, (trap << 8) | sp before it acts
DONE_MARK = 0xA77AD000  # app prints DONE_MARK + case, 0 after checking a served trap
END_MARK = 0xA77AE000  # app prints END_MARK, number of cases after the last one


def expectation(trap, family, sp_ok):
    """(None, None) if the kernel serves the trap; else (dump reason, lines in order)."""
    if sp_ok:
        if family in ("svc", "irq"):
            return None, None
        if family == "svc_fault":
            return r"system call with an unknown class number", []
        return r"CPU fault", SYNC_CAUSE[trap]
    lines = BAD_SP_CAUSE.get(trap, [MSTKERR])
    pending = PENDING_LINE.get(trap if family == "sync" else family)
    return r"CPU fault", lines + ([pending] if pending else [])


def header_text():
    out = [
        "// SPDX-License-Identifier: Apache-2.0",
        "// Attack matrix cases, generated by tests/qemu/attack_matrix.py: do not edit.",
        "#ifndef ATTACK_CASES_H",
        "#define ATTACK_CASES_H",
        "",
        "// clang-format off",
        "// X(name) for every way to trap, in case order.",
        "#define ATTACK_TRAPS(X) \\",
    ]
    out += [f"    X({n}) \\" for n, _ in TRAPS]
    out += ["", "// X(name) for every stack pointer condition, in case order.",
            "#define ATTACK_SPS(X) \\"]
    out += [f"    X({n}) \\" for n, _ in SPS]
    out += [
        "",
        f"#define ATTACK_N_TRAPS {len(TRAPS)}u",
        f"#define ATTACK_N_SPS   {len(SPS)}u",
        f"#define ATTACK_CASES   {len(TRAPS) * len(SPS)}u",
        f"#define ATTACK_CASE_MARK 0x{CASE_MARK:08X}u",
        f"#define ATTACK_DONE_MARK 0x{DONE_MARK:08X}u",
        f"#define ATTACK_END_MARK  0x{END_MARK:08X}u",
        "// clang-format on",
        "",
        "#endif",
        "",
    ]
    return "\n".join(out)


# Regex text that may run up to, but never across, the start of another fault dump.
WITHIN_DUMP = r"(?:(?!--- process)[\s\S])*?"


def test_text():
    n = len(TRAPS) * len(SPS)
    out = [
        "# SPDX-License-Identifier: Apache-2.0",
        "# Attack matrix (generated by tests/qemu/attack_matrix.py, do not edit): every trap kind x "
        "every stack pointer condition is served correctly or faults the attacker alone with the "
        "right dump; the counters around it are never restarted.",
        "#",
        "# The attack app runs case N in its N-th incarnation (its restart count); the fuzz",
        "# kernel restarts it forever. A served case prints DONE_MARK + N with 0 when its",
        "# results were right; a faulted case must produce one dump that shows restarts N.",
        "# 'reject: restarts N,' for a served case N catches a dump where none belongs.",
        "kernel: fuzz",
        "# The attack app's trap kinds and stack conditions are Cortex-M assembly (not ported to",
        "# RISC-V yet; there the kernel never touches the process's stack at all).",
        "boards: cortex-m",
        "apps: counter_sleep attack counter_sleep",
        "flash-opts: --set 0:min-ram=6000 --set 1:min-ram=5000 --set 2:min-ram=4500",
        "timeout: 120",
        "# The layout the conditions assume, per board: the attack's block between the two.",
        "expect: loader: 'counter_sleep' slot 0: .* ram {{ATTACK_ABOVE}} ",
        "expect: loader: 'attack' slot 1: .* ram {{ATTACK_RAM}} ",
        "expect: loader: 'counter_sleep' slot 2: .* ram {{ATTACK_BELOW}} ",
    ]
    rejects = []
    swallowed_done = []  # scs_load cases served on the boards without bus errors
    for ti, (trap, family) in enumerate(TRAPS):
        for si, (sp, sp_ok) in enumerate(SPS):
            c = ti * len(SPS) + si
            reason, lines = expectation(trap, family, sp_ok)
            code = (ti << 8) | si
            out.append(f"# case {c}: {trap} / {sp}: " +
                       ("served" if reason is None else "faulted, " + reason))
            out.append(f"expect: App 0x[0-9a-f]+ prints 0x{CASE_MARK + c:x} 0x{code:x}\\r?\\n")
            if trap == "scs_load":
                # No bus error, so no exception: the bad SP is never stacked on either.
                swallowed_done.append(c)
                out.append(f"expect[{NO_BUS_ERROR_BOARDS}]: App 0x[0-9a-f]+ prints "
                           f"0x{DONE_MARK + c:x} 0x{WRONG_RETURNED:x}\\r?\\n")
                rejects.append(f"reject[{NO_BUS_ERROR_BOARDS}]: restarts {c}, dropped")
                tag = f"[{BUS_ERROR_BOARDS}]"
            else:
                tag = ""
            if reason is None:
                if trap != "exit_restart":
                    out.append(f"expect: App 0x[0-9a-f]+ prints 0x{DONE_MARK + c:x} 0x0\\r?\\n")
                rejects.append(f"reject: restarts {c}, dropped")
            else:
                rx = (f"--- process 'attack' \\(slot 1, id \\d+\\) faulted: {reason} ---" +
                      "".join(WITHIN_DUMP + l for l in lines) +
                      WITHIN_DUMP + f"restarts {c}, dropped")
                out.append(f"expect{tag}: " + rx)
    out.append(f"expect: App 0x[0-9a-f]+ prints 0x{END_MARK:x} 0x{n:x}\\r?\\n")
    out += [
        "# The neighbours kept running and were never restarted.",
        "expect-count: 2 App 0x1 prints 0x",
        "expect-count: 2 App 0x3 prints 0x",
        "send: ps\\r",
        "expect: 0 counter_sleep\\s+\\S+\\s+\\d+\\s+\\d+\\s+\\d+\\s+0\\s",
        "expect: 2 counter_sleep\\s+\\S+\\s+\\d+\\s+\\d+\\s+\\d+\\s+0\\s",
        "reject: --- process '(?!attack')",
        "reject: Cairn kernel (panic|fault)",
        "# The app's own checks: a served trap returned the wrong values or stack pointer.",
        f"reject[{BUS_ERROR_BOARDS}]: prints 0xa77ad[0-9a-f]+ 0x[1-9a-f]",
        f"reject[{NO_BUS_ERROR_BOARDS}]: prints 0xa77ad(?!" +
        "|".join(f"{DONE_MARK + c - 0xA77AD000:03x}" for c in swallowed_done) +
        ")[0-9a-f]+ 0x[1-9a-f]",
    ]
    out += rejects
    return "\n".join(out) + "\n"


def main():
    files = {HEADER: header_text(), TEST: test_text()}
    if sys.argv[1:] == ["--check"]:
        stale = [p for p, t in files.items() if not os.path.exists(p) or open(p).read() != t]
        for p in stale:
            print(f"{os.path.relpath(p, ROOT)} is stale: run tests/qemu/attack_matrix.py")
        return 1 if stale else 0
    if sys.argv[1:]:
        print(__doc__)
        return 2
    for p, t in files.items():
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(t)
    return 0


if __name__ == "__main__":
    sys.exit(main())

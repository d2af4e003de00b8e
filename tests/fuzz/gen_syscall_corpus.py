#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes the seed corpus of the syscall fuzzer (tests/fuzz/corpus/syscall/) in its encoding.
#
# Each seed is a short scenario a friendly app would run (console write and read, an alarm,
# grants and breaks, two processes sharing the console, faults and restarts), so mutation
# starts from deep states instead of rediscovering the protocols. The encoding is described
# at the top of tests/fuzz/fuzz_syscall.c and in doc/testing.md; keep the two in step.
import os
import sys

# Process operations (low nibble of the op byte). 0x80: fast path, 0x40: slice expires.
COMMAND, SUBSCRIBE, ALLOW_RW, ALLOW_RO, MEMOP, YIELD, EXIT, ALLOW_URA = range(8)
BAD_CLASS, SCRIBBLE, SP, FAULT, SLICE, IRQ = range(8, 14)
FAST = 0x80

# Driver selector bytes.
D_ALARM, D_CONSOLE, D_LLDB, D_TEST = 0, 1, 2, 3
D_KV = 0x0F  # 7: no driver, unless bit 3: the key-value driver

# Pointer anchors (ptr byte = who | anchor << 2 | delta mode << 6).
A_MEM, A_BRK, A_REACH, A_KBRK, A_PCB, A_END, A_FLASH, A_APP = range(8)
A_FLASH_END, A_MID, A_RWBUF, A_SP, A_NULL = 8, 9, 10, 11, 12
SELF, NEXT, PREV = 0, 1, 2


def ptr(anchor, who=SELF, delta=None):
    if delta is None:
        return bytes([who | anchor << 2])
    return bytes([who | anchor << 2 | 1 << 6, delta & 0xFF])


def small(v):  # value byte, mode 0: 0..63
    assert 0 <= v < 64
    return bytes([v])


def op(kind, *parts, flags=0):
    return bytes([kind | flags]) + b"".join(parts)


def command(drv, cmd, a0=small(0), a1=small(0), flags=0):
    return op(COMMAND, bytes([drv, cmd]), a0, a1, flags=flags)


def subscribe(drv, sub, fn=ptr(A_APP), appdata=small(5)):
    return op(SUBSCRIBE, bytes([drv, sub]), fn, appdata)


def allow(kind, drv, slot, addr, length):
    return op(kind, bytes([drv, slot]), addr, bytes([length]))


def scribble(addr, n, k=0):
    return op(SCRIBBLE, addr, bytes([n - 1, k]))


def yield_wait():
    return op(YIELD, bytes([1]))


def yield_no_wait(flag):
    return op(YIELD, bytes([0]), flag)


def memop(o, arg=b""):
    return op(MEMOP, bytes([o]), arg)


# Events (outer loop while idle, or after IRQ): low 3 bits kind.
def rx(ch):
    return bytes([0 | (ch & 15) << 3])


TX_DONE = bytes([1])
ALARM_DUE = bytes([4])


def steps(n, event=TX_DONE):
    """Outer-loop bytes: kernel passes; when nothing runs, the byte is also the event."""
    return event * n




def others_wait(n=3):
    """The processes scheduled next (round-robin) run their entry call and block; each
    main-loop pass that runs one costs an outer-loop byte first."""
    return (TX_DONE + yield_wait()) * n


def kv_request(cmd, buffer):
    """A key-value command on the one-byte key 0 (the yield flag's byte) with one more
    buffer allowed, after room to put them in; then the process waits for the result."""
    return (
        memop(1, bytes([0x40]))
        + yield_no_wait(ptr(A_MEM, delta=4))
        + allow(ALLOW_RO, D_KV, 0, ptr(A_MEM, delta=4), 1)
        + buffer
        + subscribe(D_KV, 0)
        + command(D_KV, cmd)
        + yield_wait()
    )


def header(sizes=0x1B, flags=0):
    return bytes([sizes, flags])


SEEDS = {
    # p0 writes 16 of its bytes to the console and waits for the write-done upcall.
    "console_write": header()
    + steps(1)
    + scribble(ptr(A_MEM), 16)
    + allow(ALLOW_RO, D_CONSOLE, 1, ptr(A_MEM), 16)
    + subscribe(D_CONSOLE, 1)
    + command(D_CONSOLE, 1, small(16))
    + yield_wait()
    + others_wait()
    + steps(12),
    # p0 reads 4 typed bytes into an allowed buffer.
    "console_read": header()
    + steps(1)
    + allow(ALLOW_RW, D_CONSOLE, 1, ptr(A_MEM, delta=8), 4)
    + subscribe(D_CONSOLE, 2)
    + command(D_CONSOLE, 2, small(4))
    + yield_wait()
    + others_wait()
    + rx(1)
    + rx(2)
    + rx(3)
    + rx(4)
    + steps(6),
    # p0 arms an alarm and sleeps until it fires; then re-arms through the fast path.
    "alarm": header(flags=0xFC)
    + steps(1)
    + subscribe(D_ALARM, 0)
    + command(D_ALARM, 5, small(10))
    + yield_wait()
    + others_wait()
    + ALARM_DUE
    + steps(2)
    + command(D_ALARM, 5, small(3), flags=FAST)
    + yield_no_wait(ptr(A_MEM, delta=4))
    + ALARM_DUE
    + steps(4, ALARM_DUE),
    # Break moves and grants: sbrk up, grant allocations from three drivers, brk back down
    # below an allowed buffer (refused), restart.
    "brk_grants": header(sizes=0x00)
    + steps(1)
    + memop(1, bytes([0x40]))
    + memop(0, ptr(A_MID))
    + command(D_TEST, 4)
    + subscribe(D_TEST, 1)
    + allow(ALLOW_RW, D_TEST, 0, ptr(A_MEM, delta=16), 32)
    + memop(0, ptr(A_MEM, delta=8))
    + memop(6, small(0))
    + op(EXIT, bytes([1]), small(0))
    + others_wait()
    + steps(4),
    # Two processes write to the console at once; p1 also points an allow at p0's RAM.
    "two_writers": header()
    + steps(1)
    + scribble(ptr(A_MEM), 24, 3)
    + allow(ALLOW_RO, D_CONSOLE, 1, ptr(A_MEM), 24)
    + command(D_CONSOLE, 1, small(24))
    + yield_wait()
    + TX_DONE
    + scribble(ptr(A_MEM), 20, 7)
    + allow(ALLOW_RO, D_CONSOLE, 1, ptr(A_MEM, NEXT), 20)
    + allow(ALLOW_RO, D_CONSOLE, 1, ptr(A_MEM), 20)
    + command(D_CONSOLE, 1, small(20))
    + yield_wait()
    + others_wait(2)
    + steps(16),
    # Hostile stack pointers and faults, under the stop policy, then shell-like boots.
    "faults_stop": header(flags=0x02)
    + steps(1)
    + op(SP, ptr(A_MEM, PREV))
    + command(D_TEST, 0)
    + steps(1)
    + scribble(ptr(A_KBRK), 4)
    + steps(1)
    + op(FAULT)
    + bytes([0xC0 | 5 << 2 | 0, 0xC0 | 5 << 2 | 1, 0xC0 | 5 << 2 | 2])
    + steps(3),
    # Test driver notifications between processes and yield-wait-for.
    "notify": header()
    + steps(1)
    + subscribe(D_TEST, 0)
    + command(D_TEST, 6, small(1))
    + op(YIELD, bytes([2]), bytes([D_TEST]), bytes([0]))
    + subscribe(D_TEST, 0)
    + command(D_TEST, 6, small(0), flags=FAST)
    + yield_wait()
    + others_wait(2)
    + steps(4),
    # Key-value store: p0 stores a value under the one-byte key 0 (its yield flag), p1 asks
    # for the same key (it may not read p0's ids: NOSUPPORT) and then tries to replace it;
    # p0 reads its value back. The flash completes in bottom halves between the runs.
    "kv": header()
    + steps(1)
    + kv_request(2, allow(ALLOW_RO, D_KV, 1, ptr(A_MEM, delta=16), 32))
    + TX_DONE
    + kv_request(1, allow(ALLOW_RW, D_KV, 0, ptr(A_MEM, delta=64), 32))
    + others_wait(2)
    + steps(4)
    + allow(ALLOW_RW, D_KV, 0, ptr(A_MEM, delta=8), 16)
    + command(D_KV, 1)
    + yield_wait()
    + yield_wait()
    + TX_DONE
    + allow(ALLOW_RO, D_KV, 1, ptr(A_MEM, delta=8), 16)
    + command(D_KV, 2)
    + yield_wait()
    + steps(12),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "syscall")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

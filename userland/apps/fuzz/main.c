// SPDX-License-Identifier: Apache-2.0
// fuzz: on-target system-call fuzzer: random syscalls with hostile arguments, forever.
//
// Every class (and invalid class numbers), every driver on the board and numbers no
// driver has, random command/subscribe/allow numbers, arguments biased to the addresses
// an attacker would try: its own RAM edges, the break, its kernel-owned part, the RAM of
// other processes and of the kernel, MMIO, flash (its own, other apps', the kernel's),
// null, unaligned pointers, huge lengths and lengths that wrap. It moves its break up and
// down, blocks in yields, sometimes restarts itself and rarely does something fatal.
// A fault is an expected outcome: it runs on the fuzz kernel, whose policy restarts a
// faulted process forever. What must never happen is harm to anyone else.
//
// The one thing it never does is end the system: test driver command 1 (exit) and exit-
// terminate (which would stop the fuzzer for good) are skipped; everything else,
// including notifying other processes (test driver command 6), is fair game.
//
// Reproducible: each incarnation seeds its PRNG from FUZZ_SEED, the restart count (test
// driver command 5) and where its RAM is (so two fuzzers differ), and prints the seed:
//   fuzz: incarnation N seed 0xS ...
// Under QEMU's icount the whole run replays exactly; a single incarnation replays with
// CFLAGS_EXTRA=-DFUZZ_REPLAY_SEED=0xS (every incarnation then starts from that seed).
// Every PROGRESS_EVERY syscalls it prints "fuzz: incarnation N: C syscalls, U upcalls".
//
// Oracles: the fuzzer also checks the kernel's answers that it can predict (valid return
// variants and error codes, subscribe/allow swap previous values, failures echo the
// arguments, nonexistent drivers always fail, a buffer or function is accepted only
// inside its own memory, the break and memory layout it tracks) and prints
// "fuzz: ORACLE ..." on a mismatch. It keeps what the kernel may write (the yield flag
// byte, read-write buffers) out of its own live data, so a report is the kernel's fault.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cairn.h"

#define TEST_DRIVER       0xCA170u
#define TEST_CMD_EXIT     1
#define TEST_CMD_RESTARTS 5
#define TEST_CMD_BUSY     8

#ifndef FUZZ_SEED
#define FUZZ_SEED 0xCA1F0221u
#endif
#define PROGRESS_EVERY 65536u
// Oracle reports per incarnation, so one bug cannot flood the console.
#define ORACLE_REPORTS_MAX 8
// Bytes at the bottom of the stack (which grows down toward mem_start) that the fuzzer's
// calls never reach: the kernel may write there.
#define DEEP_STACK_SAFE 512u

// Where the board keeps what an attacker aims at. Cortex-M: the 64 kB system RAM is 64 kB
// aligned (the kernel at its bottom, then the processes), kernel flash from 0, app flash
// from 0x40000 (an385; the an505's are elsewhere and get only the random picks), and the
// devices and system control space. RISC-V (qemu-rv32-virt, Tock's map): kernel flash,
// app flash and RAM (kernel, then the process pool) from 0x80000000, and QEMU virt's
// devices, the test finisher among them (a store there would end the machine).
#if defined(__riscv)
#define SRAM_BASE()       0x80200000u
#define SRAM_SIZE         0x200000u
#define KERNEL_FLASH_BASE 0x80000000u
#define KERNEL_FLASH_SIZE 0x100000u
#define APP_FLASH_BASE    0x80100000u
#define APP_FLASH_SIZE    0x100000u
static const uint32_t mmio[] = {0x00100000u, 0x02000000u, 0x02004000u, 0x0200BFF8u,
                                0x0C000000u, 0x0C200000u, 0x10000000u, 0x10000005u};
#else
#define SRAM_BASE()       (me.ram_start & ~0xFFFFu)
#define SRAM_SIZE         0x10000u
#define KERNEL_FLASH_BASE 0u
#define KERNEL_FLASH_SIZE 0x40000u
#define APP_FLASH_BASE    0x40000u
#define APP_FLASH_SIZE    0x40000u
static const uint32_t mmio[] = {0x40000000u, 0x40002000u, 0x40004000u, 0xE000E000u,
                                0xE000E100u, 0xE000ED00u, 0xE000ED90u, 0xE000EF00u};
#endif

void fuzz_trap(uint32_t class_num, uint32_t regs[4]);

// ---- PRNG (xorshift32: a 32-bit state is all a replay needs) ----

static uint32_t rng;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint32_t below(uint32_t n)
{
    return n ? rnd() % n : 0;
}

static bool one_in(uint32_t n)
{
    return below(n) == 0;
}

// ---- what the process knows about itself, kept up to date by trap() ----

static struct {
    uint32_t ram_start, ram_end, flash_start, flash_end;
    uint32_t grant_start; // kernel-owned part starts here; only ever moves down
    uint32_t brk0;        // end of .bss: below it is live data
    uint32_t brk;         // the break, tracked through every memop that moves it
} me;

static uint32_t incarnation, seed;
// The alarm clock (alarm command 1), for naps of a given length.
static uint32_t alarm_hz = 25000000u;
static bool tracking; // set once the layout baseline is known
static uint32_t calls, upcalls, oracle_reports;
static volatile uint32_t write_done, alarms;
static uint8_t scratch[256] __attribute__((aligned(8)));
static char line[128];

// Subscribe/allow slots that have been set this incarnation: (class, driver, num) -> the
// two values the kernel must hand back on the next successful swap. Only slots some
// driver has can succeed, so a handful of entries suffice; a slot never set is (0, 0).
#define SHADOW_MAX 32
static struct shadow {
    uint32_t cls, driver, num, a, b;
    bool used;
} shadow[SHADOW_MAX];

static struct shadow *shadow_find(uint32_t cls, uint32_t driver, uint32_t num)
{
    for (unsigned i = 0; i < SHADOW_MAX; i++) {
        struct shadow *s = &shadow[i];
        if (!s->used) {
            *s = (struct shadow){cls, driver, num, 0, 0, true};
            return s;
        }
        if (s->cls == cls && s->driver == driver && s->num == num)
            return s;
    }
    return NULL;
}

// ---- output: one console line, written with everything else quiesced ----

static unsigned line_len;

static void put_str(const char *s)
{
    while (*s && line_len < sizeof line - 1)
        line[line_len++] = *s++;
}

static void put_hex(uint32_t v)
{
    put_str("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        if (line_len < sizeof line - 1)
            line[line_len++] = "0123456789abcdef"[(v >> shift) & 0xF];
}

static void put_dec(uint32_t v)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n && line_len < sizeof line - 1)
        line[line_len++] = tmp[--n];
}

static void say(void);

// ---- the trap, with bookkeeping and oracles ----

static bool is_variant(uint32_t v)
{
    return v <= SYSCALL_FAILURE_U64 || (v >= SYSCALL_SUCCESS && v <= SYSCALL_SUCCESS_U32_U64);
}

// The hardware drivers (LED, button, GPIO, ADC, screen) exist on some boards only: main asks each
// one's command 0 before tracking starts (it answers NODEVICE where the driver is absent, and
// allocates nothing where it is present).
static uint32_t board_drivers; // bit d: driver d (< 32) answered command 0
static bool has_screen;        // the screen (0x90001) answered command 0

static bool driver_exists_here(uint32_t d)
{
    // IPC, RNG, KV and temperature are in every board's table; on a board without the
    // hardware the last three answer NODEVICE to commands, but subscribe and allow work.
    return d == ALARM_DRIVER || d == CONSOLE_DRIVER || d == LOWLEVEL_DEBUG_DRIVER ||
           d == TEST_DRIVER || d == IPC_DRIVER || d == RNG_DRIVER || d == TEMPERATURE_DRIVER ||
           d == KV_DRIVER || (d < 32 && (board_drivers & (1u << d))) ||
           (d == SCREEN_DRIVER && has_screen);
}

static bool range_in(uint32_t addr, uint32_t len, uint32_t lo, uint32_t hi)
{
    return addr >= lo && addr <= hi && len <= hi - addr;
}

static void oracle(const char *what, uint32_t cls, const uint32_t in[4], const uint32_t out[4])
{
    if (oracle_reports >= ORACLE_REPORTS_MAX)
        return;
    oracle_reports++;
    line_len = 0;
    // In pieces: the fuzzer's own console writes copy random stretches of its flash, and
    // must never produce the report's marker.
    put_str("fuzz: ");
    put_str("ORA");
    put_str("CLE ");
    put_str(what);
    put_str(": class ");
    put_dec(cls);
    for (int i = 0; i < 4; i++) {
        put_str(i ? " " : " in ");
        put_hex(in[i]);
    }
    for (int i = 0; i < 4; i++) {
        put_str(i ? " " : " out ");
        put_hex(out[i]);
    }
    put_str("\n");
    say();
}

// Checks one syscall's answer against what the kernel must have answered, and updates
// the tracked layout. in[] are the arguments, out[] what came back in r0..r3.
static void check(uint32_t cls, const uint32_t in[4], const uint32_t out[4])
{
    uint32_t v = out[0];
    if (!tracking || cls == SYSCALL_CLASS_YIELD)
        return; // no return variant; what it wrote is checked by the caller
    if (!is_variant(v)) {
        oracle("invalid return variant", cls, in, out);
        return;
    }
    bool ok = v >= SYSCALL_SUCCESS;
    if (!ok && (out[1] == 0 || out[1] > STATUSCODE_NOACK))
        oracle("failure with an invalid error code", cls, in, out);
    switch (cls) {
    case SYSCALL_CLASS_COMMAND:
        if (ok && !driver_exists_here(in[0]))
            oracle("command to a nonexistent driver succeeded", cls, in, out);
        return;
    case SYSCALL_CLASS_SUBSCRIBE:
    case SYSCALL_CLASS_ALLOW_RW:
    case SYSCALL_CLASS_ALLOW_RO:
    case SYSCALL_CLASS_ALLOW_URA: {
        if (!ok) {
            // Tock: a failed subscribe/allow hands back the arguments it was given.
            if (v != SYSCALL_FAILURE_2U32 || out[2] != in[2] || out[3] != in[3])
                oracle("failure does not echo the arguments", cls, in, out);
            return;
        }
        if (v != SYSCALL_SUCCESS_2U32 || !driver_exists_here(in[0])) {
            oracle("unexpected success", cls, in, out);
            return;
        }
        if (cls == SYSCALL_CLASS_SUBSCRIBE) {
            uint32_t fn = in[2] & ~1u;
            if (in[2] && !range_in(fn, 4, me.ram_start, me.brk) &&
                !range_in(fn, 4, me.flash_start, me.flash_end))
                oracle("upcall function outside own memory accepted", cls, in, out);
        } else if (in[3]) {
            bool ram = range_in(in[2], in[3], me.ram_start, me.brk);
            bool flash = cls == SYSCALL_CLASS_ALLOW_RO &&
                         range_in(in[2], in[3], me.flash_start, me.flash_end);
            if (!ram && !flash)
                oracle("buffer outside own memory accepted", cls, in, out);
        }
        struct shadow *s = shadow_find(cls, in[0], in[1]);
        if (s) {
            if (out[1] != s->a || out[2] != s->b)
                oracle("swap returned other than the previous values", cls, in, out);
            s->a = in[2];
            s->b = in[3];
        }
        return;
    }
    case SYSCALL_CLASS_MEMOP:
        switch (in[0]) {
        case MEMOP_BRK:
            if (ok) {
                if (in[1] < me.ram_start || in[1] > me.grant_start)
                    oracle("break moved outside own RAM", cls, in, out);
                me.brk = in[1];
            }
            return;
        case MEMOP_SBRK:
            if (ok) {
                if (out[1] != me.brk)
                    oracle("sbrk returned another break", cls, in, out);
                uint32_t nb = out[1] + in[1];
                if (nb < me.ram_start || nb > me.grant_start)
                    oracle("break moved outside own RAM", cls, in, out);
                me.brk = nb;
            }
            return;
        case MEMOP_RAM_START:
        case MEMOP_RAM_END:
        case MEMOP_FLASH_START:
        case MEMOP_FLASH_END: {
            const uint32_t known[] = {me.ram_start, me.ram_end, me.flash_start, me.flash_end};
            if (!ok || out[1] != known[in[0] - MEMOP_RAM_START])
                oracle("memory layout changed", cls, in, out);
            return;
        }
        case MEMOP_GRANT_START:
            if (!ok || out[1] < me.brk || out[1] > me.grant_start)
                oracle("grant start outside [break, previous grant start]", cls, in, out);
            else
                me.grant_start = out[1];
            return;
        default:
            return;
        }
    case SYSCALL_CLASS_EXIT:
        if (ok)
            oracle("exit returned success", cls, in, out);
        return;
    default:
        oracle("invalid class number returned", cls, in, out);
        return;
    }
}

// When non-zero, the next trap's r1 becomes the address of byte (frame_byte - 1) of the
// exception frame that trap itself pushes: what a yield flag aimed at its own live frame
// (stacked r0..r3, r12, lr, pc, xPSR) looks like to the kernel.
// RISC-V stacks no frame on a trap: there it is never set.
static uint32_t frame_byte;
#if defined(__arm__)
#define FRAME_STACKED 1
#else
#define FRAME_STACKED 0
#endif

static struct syscall_return trap(uint32_t cls, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    uint32_t in[4] = {a0, a1, a2, a3};
    uint32_t r[4] = {a0, a1, a2, a3};
    calls++;
#if defined(__arm__)
    if (frame_byte) {
        uint32_t sp;
        __asm__ volatile("mov %0, sp" : "=r"(sp));
        // fuzz_trap pushes 4 registers (16 bytes, keeping 8-byte alignment), then the
        // svc stacks its 32-byte frame below them.
        in[1] = r[1] = sp - 16 - 32 + frame_byte - 1;
        frame_byte = 0;
    }
#endif
    fuzz_trap(cls, r);
    check(cls, in, r);
    return (struct syscall_return){r[0], {r[1], r[2], r[3]}};
}

// ---- upcalls ----

static void on_upcall(int a0, int a1, int a2, void *ud)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)ud;
    upcalls++;
}

static void on_write_done(int a0, int a1, int a2, void *ud)
{
    on_upcall(a0, a1, a2, ud);
    write_done = 1;
}

static void on_alarm(int a0, int a1, int a2, void *ud)
{
    on_upcall(a0, a1, a2, ud);
    alarms++;
}

// ---- quiescing, for blocking yields and output ----

static uint32_t fnptr(void (*fn)(int, int, int, void *))
{
    return (uint32_t)(uintptr_t)fn;
}

// Puts every subscription an event can arrive for back to a valid function (or none),
// which also drops the events queued for the old ones, then runs what is still queued.
// Afterwards nothing queued can fault the process and the queue has room, so a blocking
// yield on an armed alarm returns. False if the alarm cannot be subscribed (no grant
// memory left): then nothing may block.
static bool quiesce(void)
{
    bool alarm_ok = trap(SYSCALL_CLASS_SUBSCRIBE, ALARM_DRIVER, 0, fnptr(on_alarm), 0).variant ==
                    SYSCALL_SUCCESS_2U32;
    trap(SYSCALL_CLASS_SUBSCRIBE, CONSOLE_DRIVER, 1, fnptr(on_write_done), 0);
    trap(SYSCALL_CLASS_SUBSCRIBE, CONSOLE_DRIVER, 2, fnptr(on_upcall), 0);
    trap(SYSCALL_CLASS_SUBSCRIBE, TEST_DRIVER, 0, 0, 0);
    trap(SYSCALL_CLASS_SUBSCRIBE, TEST_DRIVER, 1, 0, 0);
    for (int i = 0; i < 16; i++) {
        scratch[0] = 0;
        trap(SYSCALL_CLASS_YIELD, YIELD_NO_WAIT, (uint32_t)(uintptr_t)scratch, 0, 0);
        if (!scratch[0])
            break;
    }
    return alarm_ok;
}

// Blocks for about `ticks` (or until another upcall), or just yields if that is unsafe.
static void nap(uint32_t ticks, bool alarm_ok)
{
    if (alarm_ok &&
        trap(SYSCALL_CLASS_COMMAND, ALARM_DRIVER, 5, ticks, 0).variant == SYSCALL_SUCCESS_U32)
        trap(SYSCALL_CLASS_YIELD, YIELD_WAIT, 0, 0, 0);
    else
        trap(SYSCALL_CLASS_YIELD, YIELD_NO_WAIT, 0, 0, 0);
}

// Writes line[0..line_len) to the console and waits (bounded) until it is out.
static void say(void)
{
    static bool saying;
    if (saying)
        return;
    saying = true;
    bool alarm_ok = quiesce();
    trap(SYSCALL_CLASS_ALLOW_RO, CONSOLE_DRIVER, 1, (uint32_t)(uintptr_t)line, line_len);
    for (int tries = 0; tries < 1000; tries++) {
        write_done = 0;
        struct syscall_return r = trap(SYSCALL_CLASS_COMMAND, CONSOLE_DRIVER, 1, line_len, 0);
        if (r.variant == SYSCALL_SUCCESS) {
            for (int i = 0; i < 1000 && !write_done; i++)
                nap(alarm_hz / 1000, alarm_ok);
            break;
        }
        if (r.variant != SYSCALL_FAILURE || r.data[0] != STATUSCODE_BUSY)
            break; // no console: nothing to do about it
        // A write the fuzzer started is still going; its done upcall comes to us now.
        nap(alarm_hz / 1000, alarm_ok);
    }
    // Withdrawn and wiped: the fuzzer's own console writes (from any of its memory) must
    // never repeat a progress or oracle line that tests count or reject.
    trap(SYSCALL_CLASS_ALLOW_RO, CONSOLE_DRIVER, 1, 0, 0);
    for (unsigned i = 0; i < sizeof line; i++)
        line[i] = 0;
    line_len = 0;
    saying = false;
}

static void progress(void)
{
    line_len = 0;
    put_str("fuzz: incarnation ");
    put_dec(incarnation);
    put_str(": ");
    put_dec(calls);
    put_str(" syscalls, ");
    put_dec(upcalls);
    put_str(" upcalls\n");
    say();
}

// ---- argument pickers ----

static uint32_t smallish(void)
{
    uint32_t k = below(17);
    return one_in(2) ? k : k * 4;
}

// An address an attacker would try.
static uint32_t pick_ptr(void)
{
    uint32_t k = smallish(), p;
    switch (below(21)) {
    case 0:
        p = 0;
        break;
    case 1:
        p = me.ram_start + k; // own RAM start: the bottom of the stack
        break;
    case 2:
        p = me.ram_start - 1 - k; // just below own RAM: a neighbour or the kernel
        break;
    case 3:
        p = me.brk - k; // just below the break
        break;
    case 4:
        p = me.brk + k; // at and just above the break
        break;
    case 5:
        p = me.grant_start - k;
        break;
    case 6:
        p = me.grant_start + k; // the kernel-owned part: grants, control block
        break;
    case 7:
        p = me.ram_end - 1 - k;
        break;
    case 8:
        p = me.ram_end + k; // just above own RAM: the next process
        break;
    case 9:
        p = (uint32_t)(uintptr_t)scratch + below(sizeof scratch);
        break;
    case 10:
        p = SRAM_BASE() + below(me.ram_start - SRAM_BASE() + 1); // kernel RAM, processes below
        break;
    case 11:
        p = SRAM_BASE() + below(SRAM_SIZE); // anywhere in SRAM
        break;
    case 12:
        p = mmio[below(sizeof mmio / sizeof mmio[0])] + (one_in(2) ? k : below(0x1000));
        break;
    case 13:
        p = KERNEL_FLASH_BASE + below(KERNEL_FLASH_SIZE);
        break;
    case 14:
        p = APP_FLASH_BASE + below(APP_FLASH_SIZE); // other apps' images and headers
        break;
    case 15: {
        const uint32_t edges[] = {me.flash_start - 1 - k, me.flash_start + k, me.flash_end - k,
                                  me.flash_end + k};
        p = edges[below(4)];
        break;
    }
    case 16:
        p = me.flash_start + below(me.flash_end - me.flash_start + 1);
        break;
    case 17:
        p = me.brk0 + below(me.brk - me.brk0 + 1); // own heap
        break;
    case 18:
        p = 0xFFFFFFFFu - k;
        break;
    case 19:
        p = 0x80000000u + k;
        break;
    default:
        p = rnd();
        break;
    }
    if (one_in(8))
        p += 1 + below(3); // unaligned
    return p;
}

static uint32_t pick_len(uint32_t p)
{
    switch (below(14)) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return 1 + below(16);
    case 3:
        return below(256);
    case 4:
        return me.brk - p; // exactly up to the break
    case 5:
        return me.brk - p + 1; // one byte past it
    case 6:
        return me.ram_end - p;
    case 7:
        return me.grant_start - p;
    case 8:
        return 0xFFFFFFFFu;
    case 9:
        return 0x80000000u + smallish();
    case 10:
        return 0u - p; // ends exactly at 2^32
    case 11:
        return 0u - p + 1 + below(16); // wraps past 2^32
    default:
        return rnd();
    }
}

static uint32_t pick_word(void)
{
    switch (below(10)) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return smallish();
    case 3:
        return 0xFFFFFFFFu - below(2);
    case 4:
        return 0x7FFFFFFFu + below(2);
    case 5:
        return 1u << below(32);
    case 6:
    case 7:
        return pick_ptr();
    default:
        return rnd();
    }
}

static uint32_t pick_driver(void)
{
    switch (below(22)) {
    case 21:
        return KV_DRIVER;
    case 18:
        return IPC_DRIVER;
    case 19:
        return RNG_DRIVER;
    case 20:
        return TEMPERATURE_DRIVER;
    case 0:
    case 1:
    case 2:
    case 3:
        return ALARM_DRIVER;
    case 4:
    case 5:
    case 6:
    case 7:
        return CONSOLE_DRIVER;
    case 8:
        return LOWLEVEL_DEBUG_DRIVER;
    case 9:
    case 10:
    case 11:
    case 12:
        return TEST_DRIVER;
    case 13: {
        static const uint32_t none[] = {2, 3, 4, 5, 6, 7, 9, 0x10, 0x30000, 0x60001, 0x90001};
        return none[below(sizeof none / sizeof none[0])];
    }
    case 14:
        return TEST_DRIVER + (one_in(2) ? 1 : -1u);
    case 15:
        return 0xFFFFFFFFu - below(2);
    case 16:
        return 1u << below(32);
    default:
        return rnd();
    }
}

// A subscribe, allow or command number: mostly ones drivers have, sometimes anything.
static uint32_t pick_num(void)
{
    switch (below(12)) {
    case 0:
        return 4 + below(5);
    case 1:
        return 255 + below(3);
    case 2:
        return 0xFFFFFFFFu;
    case 3:
        return rnd();
    default:
        return below(4);
    }
}

// An upcall function. Most are the valid handler or none; many are refused by the kernel
// (outside own memory). Rarely one is accepted but fatal when an event is delivered to it
// (own RAM is never executable; an even address means ARM state; the last bytes of the
// image run off its end): rare enough that an incarnation lives for many thousand calls.
static uint32_t pick_fn(void)
{
    uint32_t r = below(100);
    if (r < 70)
        return fnptr(on_upcall);
    if (r < 80)
        return 0;
    if (one_in(4096)) {
        switch (below(3)) {
        case 0:
            return fnptr(on_upcall) & ~1u;
        case 1:
            return me.flash_end - 4 + (one_in(2) ? 1 : 0);
        default:
            return me.ram_start + DEEP_STACK_SAFE / 2 + 1;
        }
    }
    uint32_t p = pick_ptr();
    // Never the inside of its own image: a jump into the middle of code could loop
    // forever without trapping again. Its own RAM (not executable) only rarely.
    if (range_in(p & ~1u, 4, me.flash_start, me.flash_end))
        return fnptr(on_upcall);
    if (range_in(p & ~1u, 4, me.ram_start, me.brk) && !one_in(512))
        return fnptr(on_upcall);
    return p;
}

// The kernel may write into a yield flag or a read-write buffer; keep such writes off
// the fuzzer's own live data (stack above DEEP_STACK_SAFE, .data, .bss but scratch), so
// that an oracle report is never the fuzzer's own corruption. Anything the kernel must
// refuse anyway is left alone.
static bool hits_live_data(uint32_t p, uint32_t len)
{
    uint32_t live_lo = me.ram_start + DEEP_STACK_SAFE, live_hi = me.brk0;
    uint32_t s_lo = (uint32_t)(uintptr_t)scratch, s_hi = s_lo + sizeof scratch;
    if (!range_in(p, len ? len : 1, me.ram_start, me.brk))
        return false; // the kernel must refuse it (the oracle says if it does not)
    uint32_t end = p + (len ? len : 1);
    if (end <= live_lo || p >= live_hi)
        return false;
    return !(p >= s_lo && end <= s_hi);
}

static uint32_t tame_ptr(uint32_t p, uint32_t *len)
{
    if (!hits_live_data(p, *len))
        return p;
    *len = *len > sizeof scratch ? sizeof scratch : *len;
    return (uint32_t)(uintptr_t)scratch + below(sizeof scratch - *len + 1);
}

// ---- one random step ----

static void fuzz_command(void)
{
    uint32_t d = pick_driver(), cmd = pick_num();
    uint32_t a0 = pick_word(), a1 = pick_word();
    if (d == TEST_DRIVER && (cmd == TEST_CMD_EXIT || cmd == TEST_CMD_BUSY))
        cmd = 0; // never end the run, nor keep the kernel thread spinning
    // Output is slow (QEMU writes each UART byte to the host) and fills the test's log:
    // console writes stay short and printing debug commands are thinned out.
    if (d == CONSOLE_DRIVER && cmd == 1 && !one_in(4096))
        a0 = below(24);
    if (d == LOWLEVEL_DEBUG_DRIVER && cmd >= 1 && cmd <= 3 && !one_in(32))
        cmd = one_in(2) ? 0 : 4 + below(8);
    if (d == ALARM_DRIVER && (cmd == 5 || cmd == 6) && one_in(2))
        a1 = a0 = below(alarm_hz / 100); // alarms that fire soon
    trap(SYSCALL_CLASS_COMMAND, d, cmd, a0, a1);
}

static void fuzz_allow(void)
{
    static const uint32_t classes[] = {SYSCALL_CLASS_ALLOW_RW, SYSCALL_CLASS_ALLOW_RO,
                                       SYSCALL_CLASS_ALLOW_URA};
    uint32_t cls = classes[below(3)];
    uint32_t p = pick_ptr(), len = pick_len(p);
    if (cls != SYSCALL_CLASS_ALLOW_RO)
        p = tame_ptr(p, &len);
    trap(cls, pick_driver(), pick_num(), p, len);
}

static void fuzz_memop(void)
{
    uint32_t op = below(16), arg;
    if (op == MEMOP_BRK) {
        if (one_in(4))
            arg = pick_ptr();
        else
            arg = me.brk0 + 64 + below(me.grant_start - me.brk0 - 64 + 2); // up and down
        if (arg < me.brk0 + 64 && arg >= me.ram_start && !one_in(4096))
            arg = me.brk0 + 64; // rarely cut off its own data (fatal)
        trap(SYSCALL_CLASS_MEMOP, MEMOP_BRK, arg, 0, 0);
        return;
    }
    if (op == MEMOP_SBRK) {
        int32_t inc = (int32_t)smallish() * (one_in(2) ? 1 : -1);
        if (one_in(8))
            inc = (int32_t)pick_word();
        uint32_t target = me.brk + (uint32_t)inc;
        if (target < me.brk0 + 64 && target >= me.ram_start && !one_in(4096))
            inc = 0;
        trap(SYSCALL_CLASS_MEMOP, MEMOP_SBRK, (uint32_t)inc, 0, 0);
        return;
    }
    arg = pick_word();
    if (one_in(64))
        op = rnd();
    trap(SYSCALL_CLASS_MEMOP, op, arg, 0, 0);
}

static void fuzz_yield_no_wait(void)
{
    uint32_t len = 1, flag = tame_ptr(pick_ptr(), &len);
    if (FRAME_STACKED && one_in(2048)) {
        // The flag lands in its own exception frame: stacked r0..r3, r12, lr or xPSR.
        // Not the stacked pc: a changed return address can land on any svc of the
        // trap table, including exit-terminate, which would end the fuzzer for good.
        uint32_t b = below(28);
        frame_byte = 1 + (b < 24 ? b : b + 4);
    }
    trap(SYSCALL_CLASS_YIELD, YIELD_NO_WAIT, flag, pick_word(), pick_word());
}

// Yield-wait and yield-wait-for block; only with an alarm armed and nothing fatal queued.
static void fuzz_block(void)
{
    bool alarm_ok = quiesce();
    if (!alarm_ok ||
        trap(SYSCALL_CLASS_COMMAND, ALARM_DRIVER, 5, below(alarm_hz / 500), 0).variant !=
            SYSCALL_SUCCESS_U32)
        return;
    if (one_in(2))
        trap(SYSCALL_CLASS_YIELD, YIELD_WAIT, pick_word(), pick_word(), pick_word());
    else
        trap(SYSCALL_CLASS_YIELD, YIELD_WAIT_FOR, ALARM_DRIVER, 0, pick_word());
}

static void step(void)
{
    uint32_t r = below(1000);
    if (r < 300)
        fuzz_command();
    else if (r < 450)
        trap(SYSCALL_CLASS_SUBSCRIBE, pick_driver(), pick_num(), pick_fn(), pick_word());
    else if (r < 650)
        fuzz_allow();
    else if (r < 830)
        fuzz_memop();
    else if (r < 995)
        fuzz_yield_no_wait();
    else if (r < 997)
        fuzz_block();
    else if (r < 998)
        // Exit with an unknown kind returns an error; 0 (terminate) is never chosen.
        trap(SYSCALL_CLASS_EXIT, 2 + below(100), pick_word(), pick_word(), pick_word());
    else if (one_in(1024)) {
        // The fatal or final ones, about once per 500k calls each.
        switch (below(3)) {
        case 0:
            trap(8 + below(248), pick_word(), pick_word(), pick_word(), pick_word());
            break;
        case 1:
            trap(SYSCALL_CLASS_YIELD, 3 + (one_in(2) ? below(8) : rnd() % 0xFFFFFFF0u), pick_word(),
                 pick_word(), pick_word());
            break;
        default:
            trap(SYSCALL_CLASS_EXIT, EXIT_RESTART, pick_word(), 0, 0);
            break;
        }
    }
}

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7FEB352Du;
    x ^= x >> 15;
    x *= 0x846CA68Bu;
    x ^= x >> 16;
    return x ? x : 1;
}

static uint32_t query(uint32_t op)
{
    return trap(SYSCALL_CLASS_MEMOP, op, 0, 0, 0).data[0];
}

int main(void)
{
    struct syscall_return r = trap(SYSCALL_CLASS_COMMAND, TEST_DRIVER, TEST_CMD_RESTARTS, 0, 0);
    incarnation = r.variant == SYSCALL_SUCCESS_U32 ? r.data[0] : 0;
    // The layout queries are trusted as the baseline the oracles compare against.
    me.ram_start = query(MEMOP_RAM_START);
    // Two fuzzers side by side (different RAM) do different things.
#ifdef FUZZ_REPLAY_SEED
    seed = FUZZ_REPLAY_SEED;
#else
    seed = mix(FUZZ_SEED ^ (incarnation * 0x9E3779B9u) ^ mix(me.ram_start));
#endif
    rng = seed;
    me.ram_end = query(MEMOP_RAM_END);
    me.flash_start = query(MEMOP_FLASH_START);
    me.flash_end = query(MEMOP_FLASH_END);
    me.grant_start = me.ram_end;
    me.brk0 = me.brk = query(MEMOP_SBRK);
    me.grant_start = query(MEMOP_GRANT_START);
    for (uint32_t d = LED_DRIVER; d <= ADC_DRIVER; d++)
        if (trap(SYSCALL_CLASS_COMMAND, d, 0, 0, 0).variant >= SYSCALL_SUCCESS)
            board_drivers |= 1u << d;
    has_screen = trap(SYSCALL_CLASS_COMMAND, SCREEN_DRIVER, 0, 0, 0).variant >= SYSCALL_SUCCESS;
    struct syscall_return hz = trap(SYSCALL_CLASS_COMMAND, ALARM_DRIVER, 1, 0, 0);
    if (hz.variant == SYSCALL_SUCCESS_U32 && hz.data[0])
        alarm_hz = hz.data[0];
    tracking = true;
    // A heap, so that "just below the break" is not live .bss.
    trap(SYSCALL_CLASS_MEMOP, MEMOP_SBRK, 256, 0, 0);

    line_len = 0;
    put_str("fuzz: incarnation ");
    put_dec(incarnation);
    put_str(" seed ");
    put_hex(seed);
    put_str(" ram ");
    put_hex(me.ram_start);
    put_str("-");
    put_hex(me.ram_end);
    put_str(" break ");
    put_hex(me.brk);
    put_str("\n");
    say();

    uint32_t next_report = PROGRESS_EVERY;
    for (;;) {
        step();
        if (calls >= next_report) {
            next_report += PROGRESS_EVERY;
            progress();
        }
    }
}

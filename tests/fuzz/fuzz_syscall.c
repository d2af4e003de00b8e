// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: hostile processes drive the real kernel and capsules over fake hardware.
//
// Four processes (one MPU block each, PMSAv7 rounding, packed next to each other) run
// under the real main loop (kernel_loop_once): scheduler, syscall paths (slow and fast),
// fault policy, grants, and the capsules console, uart_mux, alarm, alarm_mux, low-level
// debug, test driver and key-value store (kv over kvstore, on a fake NOR flash outside the
// arena; each process's fake TBF header gives it its own storage ids, so the leak oracle
// also checks that no process ever receives a value another process stored). The host arch asks
// this file what the running process does next (host_switch_hook); the input bytes answer: a
// syscall with biased arguments, a memory scribble, a stack pointer move, a CPU fault, the end of
// its timeslice, or an interrupt. Between process runs the input injects UART bytes, UART transmit
// completions, time steps of the alarm counter and shell-like process control (stop, resume, fault,
// kill, boot). Input encoding: doc/testing.md.
//
// Every stretch of kernel execution is a "section": the whole arena (flash, kernel RAM
// gaps, process blocks) is snapshotted when the kernel is entered and compared when it
// returns to a process or to this loop. Oracles, each with its own failure message:
//   write:     a changed byte lies in memory the process cannot reach (kernel-owned: its
//              grants, PCB, free part), or in a read-write buffer the process has allowed,
//              or is the yield-no-wait flag of the process that yielded (0 or 1), or is a
//              zero written by a restart or a break move; never in flash or outside blocks;
//   leak:      process i's memory holds only its own tag bytes (0x80+16i..0x8F+16i), the
//              kernel's 0 and 1, and typed UART input (0xC0..0xCF); checked for every
//              changed byte and every byte that became reachable; the console transmits
//              for process i only bytes of that alphabet;
//   pcb:       control block and grant invariants (mem_start <= app_brk <= kernel_brk <= PCB,
//              allow_hwm <= app_brk, grant chain walks exactly to the PCB, queue bounds,
//              state valid, dead processes hold nothing, MPU plan matches the breaks);
//   mpu:       the reach (first byte the MPU denies) lies in [app_brk, kernel_brk];
//   model:     allow and subscribe return the previous buffer/upcall this file recorded,
//              accepted buffers lie in the process's memory, and every queued upcall is
//              the one the process currently subscribes for its origin;
//   filter:    process 3's TBF has a Permissions TLV (alarm commands 0, 2 and 5 only): every
//              subscribe, command and allow it makes outside that answers NODEVICE exactly
//              as a missing driver does (the kernel's filter, kernel/syscall.c);
//   sanitizer: ASan (grant and allowed memory is poisoned outside the accessors) and UBSan.
#define _GNU_SOURCE // memfd_create
#include <sanitizer/asan_interface.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../host/host_arena.h"
#include "process.h"
#include "sched.h"
#include <cairn/debug.h>
#include <cairn/deferred.h>
#include <cairn/errorcode.h>
#include <cairn/grant.h>
#include <cairn/kernel.h>
#include <cairn/procinfo.h>
#include <cairn/tbf.h>

#include "alarm.h"
#include "alarm_mux.h"
#include "console.h"
#include "kv.h"
#include "kvstore.h"
#include "lowlevel_debug.h"
#include "test_driver.h"
#include "uart_mux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
void kernel_set_config_for_test(const struct kernel_config *cfg);
void deferred_call_reset_for_test(void);
void grant_reset_for_test(void);
void host_irq_raise(unsigned irq);

#define NPROC 4
#if NPROC > PROCESS_MAX
#error "the fuzzer needs PROCESS_MAX >= NPROC"
#endif

// Arena: [flash images][kernel RAM gap][process blocks, packed][kernel RAM gap].
#define FLASH_SLOT 0x400u
#define TBF_HDR    0x40u
#define FLASH_LEN  (NPROC * FLASH_SLOT)
#define RAM_BASE   0x2000u // offset of the first block (aligned for a 4 kB block)
#define ARENA_LEN  0x6400u // blocks take at most 4 x 4 kB, then a gap to the end
#define FILL       0xA5u   // arena filler: "someone else's data" for the leak oracle
#define INPUT_BASE 0xC0u   // typed console input bytes: 0xC0..0xCF
#define TAG_BASE   0x80u   // process i's bytes: 0x80 + 16 i .. 0x8F + 16 i

enum { IRQ_UART = 0, IRQ_ALARM = 1, IRQ_FLASH = 2 };

// ---- input ------------------------------------------------------------------------------

static struct {
    const uint8_t *d;
    size_t n, pos;
    bool end; // read past the end: the run stops at the next decision
} in;

static uint8_t u8(void)
{
    if (in.pos < in.n)
        return in.d[in.pos++];
    in.end = true;
    return 0;
}

static uint32_t u32(void)
{
    uint32_t v = u8();
    v |= (uint32_t)u8() << 8;
    v |= (uint32_t)u8() << 16;
    return v | (uint32_t)u8() << 24;
}

// ---- diagnostics -----------------------------------------------------------------------

static bool trace_on;
static uint64_t n_inputs, n_syscalls, n_sections;
static const char *section_what = "boot";

#define TRACE(...)                                                                                 \
    do {                                                                                           \
        if (trace_on)                                                                              \
            fprintf(stderr, __VA_ARGS__);                                                          \
    } while (0)

static void dump_processes(void)
{
    for (unsigned i = 0; i < NPROC; i++) {
        const struct process *p = process_table[i];
        if (!p)
            continue;
        fprintf(stderr,
                "  proc %u: id 0x%x state %u mem 0x%08x+0x%x brk 0x%08x reach 0x%08x kbrk "
                "0x%08x pcb 0x%08x hwm 0x%08x sp 0x%08x q %u restarts %u\n",
                i, (unsigned)p->id, (unsigned)p->state, (unsigned)p->mem_start,
                (unsigned)p->mem_len, (unsigned)p->app_brk,
                (unsigned)arch_mpu_ram_reach(p->mem_start, p->mem_len, p->app_brk),
                (unsigned)p->kernel_brk, (unsigned)host_addr(p), (unsigned)p->allow_hwm,
                (unsigned)p->ctx.sp, (unsigned)p->q_len, (unsigned)p->restarts);
    }
}

// An oracle failed: say exactly what, where in the run, then abort so libFuzzer keeps the
// input as a crash reproducer.
__attribute__((format(printf, 2, 3), noreturn)) static void fail(const char *oracle,
                                                                 const char *fmt, ...)
{
    fprintf(stderr, "\nfuzz_syscall: ORACLE FAILED [%s]: ", oracle);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  during: %s (section %llu of this input, input byte %zu of %zu)\n",
            section_what, (unsigned long long)n_sections, in.pos, in.n);
    dump_processes();
    fprintf(stderr, "  rerun with FUZZ_SYSCALL_TRACE=1 to see every operation\n");
    abort();
}

// ---- memory: the kernel's view and the fuzzer's own ------------------------------------
// The arena is one memfd mapped twice: `arena` (below 4 GB) is what the kernel sees and
// poisons; `view` is a second mapping of the same pages that this file reads and writes
// (a process's own loads and stores, snapshots), so ASan's poisoning of grant and allowed
// memory applies to the kernel only, and plain memcmp/memcpy work at full speed. `snap` is
// the arena as it was when the kernel was last entered; it is kept equal to the arena
// outside kernel sections (process stores go to both).

// The oracles' scans run after every step: no coverage feedback from them (it would only
// add noise and cost), and word-sized compares.
#define SCAN __attribute__((no_sanitize("coverage", "address")))

static uint8_t *arena, *view;
static uint8_t snap[ARENA_LEN], image[ARENA_LEN];

SCAN static uint8_t raw_get(uint32_t addr)
{
    return view[addr - host_addr(arena)];
}

SCAN static void raw_set(uint32_t addr, uint8_t v)
{
    view[addr - host_addr(arena)] = v;
    snap[addr - host_addr(arena)] = v;
}

// First offset >= from where arena and snapshot differ, or ARENA_LEN.
SCAN static size_t next_diff(size_t from)
{
    size_t i = from;
    for (; i < ARENA_LEN && (i & 7u); i++)
        if (view[i] != snap[i])
            return i;
    for (; i < ARENA_LEN; i += 8)
        if (*(const uint64_t *)(view + i) != *(const uint64_t *)(snap + i))
            break;
    for (; i < ARENA_LEN; i++)
        if (view[i] != snap[i])
            return i;
    return ARENA_LEN;
}

SCAN static uint8_t tag(unsigned x, unsigned k)
{
    return (uint8_t)(TAG_BASE + 16u * x + (k & 15u));
}

SCAN static bool in_alphabet(unsigned x, uint8_t b)
{
    return b == 0 || b == 1 || (b & 0xF0u) == INPUT_BASE || (b & 0xF0u) == TAG_BASE + 16u * x;
}

// ---- fake hardware ------------------------------------------------------------------------

static struct uart_mux mux;
static struct uart_mux_dev debug_dev, console_dev;
static struct console console;
static struct lowlevel_debug lldb;
static struct alarm_mux amux;
static struct valarm valarm;
static struct alarm_capsule alarm_cap;
static struct test_driver testdrv;
static bool stop_requested; // the test driver asked to end the run

static struct fake_uart {
    struct uart hil;
    struct uart_client *client;
    const uint8_t *tx_buf;
    uint32_t tx_len;
    uint8_t *rx_buf;
    uint32_t rx_len;
    bool rx_cancel;
    uint8_t fifo[32];
    unsigned fifo_n;
} fu;

static int fu_transmit(struct uart *u, const uint8_t *buf, uint32_t len)
{
    (void)u;
    if (fu.tx_buf)
        return BUSY;
    if (len == 0)
        return SIZE;
    // Console output of process i: only i's bytes may go out as its output.
    if (mux.tx_owner == &console_dev) {
        procid_t pid = console.tx_pid;
        unsigned x = PROCID_INDEX(pid);
        if (!pid || x >= NPROC)
            fail("leak", "console transmits %u bytes with no writer (tx_pid 0x%x)", (unsigned)len,
                 (unsigned)pid);
        for (uint32_t i = 0; i < len; i++)
            if (!in_alphabet(x, buf[i]))
                fail("leak",
                     "console output of process %u (pid 0x%x) holds byte 0x%02x at %u of %u, "
                     "not that process's",
                     x, (unsigned)pid, buf[i], (unsigned)i, (unsigned)len);
        TRACE("    uart: console p%u writes %u bytes\n", x, (unsigned)len);
    } else if (trace_on) {
        fprintf(stderr, "    uart: ");
        fwrite(buf, 1, len, stderr);
        fputc('\n', stderr);
    }
    fu.tx_buf = buf;
    fu.tx_len = len;
    return OK;
}

static void fu_tx_complete(void)
{
    if (!fu.tx_buf)
        return;
    const uint8_t *b = fu.tx_buf;
    fu.tx_buf = NULL;
    if (fu.client && fu.client->tx_done)
        fu.client->tx_done(fu.client, b, fu.tx_len, OK);
}

static int fu_receive(struct uart *u, uint8_t *buf, uint32_t len)
{
    (void)u;
    if (fu.rx_buf)
        return BUSY;
    if (len == 0)
        return SIZE;
    fu.rx_buf = buf;
    fu.rx_len = len;
    fu.rx_cancel = false;
    return OK;
}

static int fu_receive_abort(struct uart *u)
{
    (void)u;
    if (!fu.rx_buf)
        return ALREADY;
    fu.rx_cancel = true;
    host_irq_raise(IRQ_UART);
    return OK;
}

static void fu_set_client(struct uart *u, struct uart_client *c)
{
    (void)u;
    fu.client = c;
}

static const struct uart_ops fu_ops = {fu_transmit, fu_receive, fu_receive_abort, fu_set_client};

// Bottom half of the UART: finish the transmit, deliver typed bytes one by one.
static void fu_service(void)
{
    fu_tx_complete();
    if (fu.rx_buf && fu.rx_cancel) {
        uint8_t *b = fu.rx_buf;
        fu.rx_buf = NULL;
        fu.client->rx_done(fu.client, b, 0, CANCEL);
    }
    unsigned i = 0;
    while (i < fu.fifo_n && fu.rx_buf) {
        uint8_t *b = fu.rx_buf;
        uint32_t n = 0;
        while (n < fu.rx_len && i < fu.fifo_n)
            b[n++] = fu.fifo[i++];
        if (n < fu.rx_len) {
            // Partial: keep the rest of the request outstanding (mux asks for 1 byte).
            fu.rx_buf += n;
            fu.rx_len -= n;
            break;
        }
        fu.rx_buf = NULL;
        fu.client->rx_done(fu.client, b, n, OK);
    }
    memmove(fu.fifo, fu.fifo + i, fu.fifo_n - i);
    fu.fifo_n -= i;
}

// The debug writer polls the UART for fault dumps, as the CMSDK driver does.
static void fu_poll_tx(void)
{
    fu_tx_complete();
}

static void debug_sink(char c)
{
    // Synchronous output only happens on a kernel panic: show it.
    fputc(c, stderr);
}

static struct fake_alarm {
    struct alarm_hw hil;
    struct alarm_hw_client *client;
    uint32_t now, reference, dt;
    bool armed;
} fa;

static uint32_t fa_now(struct alarm_hw *a)
{
    (void)a;
    return fa.now;
}

static uint32_t fa_frequency(struct alarm_hw *a)
{
    (void)a;
    return 32768;
}

static void fa_set(struct alarm_hw *a, uint32_t reference, uint32_t dt)
{
    (void)a;
    fa.armed = true;
    fa.reference = reference;
    fa.dt = dt;
    if (alarm_due(fa.now, reference, dt))
        host_irq_raise(IRQ_ALARM); // already due: fires soon, never inside set
}

static void fa_disarm(struct alarm_hw *a)
{
    (void)a;
    fa.armed = false;
}

static void fa_set_client(struct alarm_hw *a, struct alarm_hw_client *c)
{
    (void)a;
    fa.client = c;
}

static const struct alarm_hw_ops fa_ops = {fa_now, fa_frequency, fa_set, fa_disarm, fa_set_client};

static void fa_advance(uint32_t dt)
{
    fa.now += dt;
    if (fa.armed && alarm_due(fa.now, fa.reference, fa.dt))
        host_irq_raise(IRQ_ALARM);
}

static void fa_service(void)
{
    if (fa.armed && alarm_due(fa.now, fa.reference, fa.dt)) {
        fa.armed = false;
        if (fa.client)
            fa.client->fired(fa.client, fa.now);
    }
}

// The key-value store's NOR flash: pages erase to 0xFF, writes clear bits. An operation
// takes effect when it starts; its completion is an interrupt that the input raises with
// the UART's transmit completions (hw_event), so never from inside the call (the HIL's
// promise) and at any point of the processes' work.
#define KV_PAGE  1024u
#define KV_NPAGE 4u
static struct fake_flash {
    struct flash hil;
    struct flash_client *client;
    bool busy;
    uint8_t mem[KV_PAGE * KV_NPAGE];
} ff;

static int ff_start(uint32_t off, uint32_t len)
{
    if (ff.busy)
        return BUSY;
    if (off % 4u || len % 4u || off > sizeof ff.mem || len > sizeof ff.mem - off)
        return INVAL;
    ff.busy = true;
    TRACE("    flash: operation at 0x%x, %u bytes\n", (unsigned)off, (unsigned)len);
    return OK;
}

static int ff_write(struct flash *f, uint32_t off, const uint8_t *buf, uint32_t len)
{
    (void)f;
    int err = ff_start(off, len);
    if (err == OK)
        for (uint32_t i = 0; i < len; i++)
            ff.mem[off + i] &= buf[i];
    return err;
}

static int ff_erase(struct flash *f, uint32_t off)
{
    (void)f;
    int err = off % KV_PAGE ? INVAL : ff_start(off, KV_PAGE);
    if (err == OK)
        memset(ff.mem + off, 0xFF, KV_PAGE);
    return err;
}

static void ff_set_client(struct flash *f, struct flash_client *c)
{
    (void)f;
    ff.client = c;
}

static const struct flash_ops ff_ops = {ff_write, ff_erase, ff_set_client};

static void ff_service(void)
{
    if (ff.busy) {
        ff.busy = false;
        ff.client->done(ff.client, OK);
    }
}

static struct kvstore kvs;
static struct kv_capsule kvcap;

static void kv_done(struct kvstore *s, int err)
{
    (void)s;
    TRACE("    key-value store: operation done, %d\n", err);
    kv_capsule_store_done(&kvcap, err);
}

static bool service_irq(unsigned irq)
{
    if (irq == IRQ_UART)
        fu_service();
    else if (irq == IRQ_ALARM)
        fa_service();
    else if (irq == IRQ_FLASH)
        ff_service();
    else
        return false;
    return true;
}

static void test_exit(int code)
{
    TRACE("    test driver: exit %d requested\n", code);
    stop_requested = true;
}

// Hardware events: typed bytes, transmit (and flash) completion, time passing.
static void hw_event(uint8_t e)
{
    switch (e & 7u) {
    case 0:
    case 5: {
        unsigned n = (e & 7u) == 5 ? 4 : 1;
        for (unsigned i = 0; i < n && fu.fifo_n < sizeof fu.fifo; i++)
            fu.fifo[fu.fifo_n++] = (uint8_t)(INPUT_BASE | ((e >> 3) + i) % 16u);
        host_irq_raise(IRQ_UART);
        break;
    }
    case 1:
        host_irq_raise(IRQ_UART);
        if (ff.busy)
            host_irq_raise(IRQ_FLASH);
        break;
    case 2:
        fa_advance(e >> 3);
        break;
    case 3:
        fa_advance(1u << (e >> 3));
        break;
    case 4:
        if (fa.armed)
            fa_advance(fa.reference + fa.dt - fa.now);
        break;
    default:
        host_irq_raise(IRQ_UART);
        if (ff.busy)
            host_irq_raise(IRQ_FLASH);
        if (fa.armed)
            fa_advance(fa.reference + fa.dt - fa.now);
        break;
    }
    TRACE("  event 0x%02x (time 0x%08x, fifo %u)\n", e, (unsigned)fa.now, fu.fifo_n);
}

// ---- the board -------------------------------------------------------------------------

static const struct driver drivers[] = {
    {ALARM_DRIVER_NUM, alarm_command, &alarm_cap},
    {CONSOLE_DRIVER_NUM, console_command, &console},
    {LOWLEVEL_DEBUG_DRIVER_NUM, lowlevel_debug_command, &lldb},
    {KV_DRIVER_NUM, kv_command, &kvcap},
    {TEST_DRIVER_NUM, test_driver_command, &testdrv},
};

static struct kernel_config config = {
    .drivers = drivers,
    .n_drivers = sizeof drivers / sizeof drivers[0],
    .timeslice_us = 10000,
    .service_irq = service_irq,
};

// ---- model of what each process did (independent of the kernel's records) ---------------

#define MAX_SLOTS 4
#define NDRV      4 // drivers with grants: alarm, console, test driver, key-value

static struct grant *model_grant(unsigned d)
{
    return d == 0   ? &alarm_cap.grant
           : d == 1 ? &console.grant
           : d == 2 ? &testdrv.grant
                    : &kvcap.grant;
}

static int model_driver(uint32_t num)
{
    for (unsigned d = 0; d < NDRV; d++)
        if (model_grant(d)->driver_num == num)
            return (int)d;
    return -1;
}

struct buf {
    uint32_t addr, len;
};

static struct pmodel {
    uint32_t mem_start, mem_len, flash_start;
    procid_t pid;                   // incarnation the records below describe
    struct buf up[NDRV][MAX_SLOTS]; // fn, appdata
    struct buf ro[NDRV][MAX_SLOTS], rw[NDRV][MAX_SLOTS];
    // The process filled its memory up to here (this incarnation, pid filled_pid).
    procid_t filled_pid;
    uint32_t filled;
    // State when the current section began.
    procid_t pid0;
    bool live0;
    uint32_t brk0, reach0;
} m[NPROC];

// The syscall whose effects the current section contains, if any.
static struct {
    bool on;
    unsigned x;
    procid_t pid;
    uint32_t cls, a[4];
} pend;

static bool dead(const struct process *p)
{
    return p->state == PROC_FAULTED || p->state == PROC_TERMINATED;
}

static uint32_t reach_of(const struct process *p)
{
    return arch_mpu_ram_reach(p->mem_start, p->mem_len, p->app_brk);
}

static void model_forget(unsigned x)
{
    struct pmodel *pm = &m[x];
    memset(pm->up, 0, sizeof pm->up);
    memset(pm->ro, 0, sizeof pm->ro);
    memset(pm->rw, 0, sizeof pm->rw);
    pm->pid = process_table[x]->id;
}

static bool in_rw_buffer(unsigned x, uint32_t a)
{
    for (unsigned d = 0; d < NDRV; d++)
        for (unsigned s = 0; s < MAX_SLOTS; s++) {
            const struct buf *b = &m[x].rw[d][s];
            if (b->len && a >= b->addr && a - b->addr < b->len)
                return true;
        }
    return false;
}

// ---- sections: snapshot when the kernel is entered, oracles when it leaves -------------

static void section_begin(const char *what)
{
    section_what = what;
    for (unsigned x = 0; x < NPROC; x++) {
        const struct process *p = process_table[x];
        m[x].pid0 = p->id;
        m[x].live0 = !dead(p);
        m[x].brk0 = p->app_brk;
        m[x].reach0 = reach_of(p);
    }
}

static int block_of(uint32_t a)
{
    for (unsigned x = 0; x < NPROC; x++)
        if (a >= m[x].mem_start && a - m[x].mem_start < m[x].mem_len)
            return (int)x;
    return -1;
}

// First address in [from, to) of process x's memory holding a byte not its own, or to.
SCAN static uint32_t first_foreign(unsigned x, uint32_t from, uint32_t to)
{
    for (uint32_t a = from; a < to; a++)
        if (!in_alphabet(x, raw_get(a)))
            return a;
    return to;
}

static void check_writes(void)
{
    uint32_t base = host_addr(arena);
    for (size_t off = next_diff(0); off < ARENA_LEN; off = next_diff(off + 1)) {
        uint32_t a = base + (uint32_t)off;
        uint8_t was = snap[off], now = view[off];
        snap[off] = now; // checked: the next section starts from here
        if (off < FLASH_LEN)
            fail("write", "flash byte 0x%08x changed 0x%02x -> 0x%02x", (unsigned)a, was, now);
        int xb = block_of(a);
        if (xb < 0)
            fail("write",
                 "kernel RAM byte 0x%08x (outside every process block) changed 0x%02x -> "
                 "0x%02x",
                 (unsigned)a, was, now);
        unsigned x = (unsigned)xb;
        const struct process *p = process_table[x];
        const struct pmodel *pm = &m[x];
        if (a < pm->reach0) {
            bool renewed = p->id != pm->pid0;
            bool ok = (renewed && now == 0) || in_rw_buffer(x, a) ||
                      // zeroed by a break move up in this section
                      (p->app_brk > pm->brk0 && a >= pm->brk0 && a < reach_of(p) && now == 0) ||
                      (pend.on && pend.x == x && pend.cls == SYSCALL_CLASS_YIELD &&
                       pend.a[0] == YIELD_NO_WAIT && pend.a[1] == a && a < pm->brk0 && now <= 1);
            if (!ok)
                fail("write",
                     "process %u's byte 0x%08x (offset 0x%x, reachable, break 0x%08x) changed "
                     "0x%02x -> 0x%02x: not an allowed buffer, the yield flag or a zeroing",
                     x, (unsigned)a, (unsigned)(a - pm->mem_start), (unsigned)pm->brk0, was, now);
        }
        if (!dead(p) && a < reach_of(p) && !in_alphabet(x, now))
            fail("leak",
                 "process %u's reachable byte 0x%08x (offset 0x%x) became 0x%02x (was 0x%02x)", x,
                 (unsigned)a, (unsigned)(a - p->mem_start), now, was);
    }
    // Bytes that became reachable (break moved up, new incarnation) must be clean too: the
    // kernel may have left its own data there without writing anything in this section.
    for (unsigned x = 0; x < NPROC; x++) {
        const struct process *p = process_table[x];
        if (dead(p))
            continue;
        bool same = p->id == m[x].pid0 && m[x].live0;
        uint32_t from = same ? m[x].reach0 : p->mem_start, to = reach_of(p);
        uint32_t a = first_foreign(x, from, to);
        if (a < to) {
            uint8_t b = raw_get(a);
            fail("leak",
                 "process %u can now reach byte 0x%08x (offset 0x%x) holding 0x%02x, not "
                 "its own (reach 0x%08x -> 0x%08x%s)",
                 x, (unsigned)a, (unsigned)(a - p->mem_start), b, (unsigned)m[x].reach0,
                 (unsigned)to, same ? "" : ", new incarnation");
        }
    }
}

static bool range_in(uint32_t a, uint32_t len, uint32_t lo, uint32_t hi)
{
    return a >= lo && a <= hi && len <= hi - a;
}

// Process FILTERED_X's Permissions TLV (tbf_header_write): one entry, the alarm's
// commands FILTERED_CMDS (a bit per command number); every other driver is refused.
#define FILTERED_X    3u
#define FILTERED_CMDS ((1u << 0) | (1u << 2) | (1u << 5))

// What the filter must have answered a call of FILTERED_X with arguments a: true (and the
// variant in *variant) if the call is refused.
static bool filter_refuses(uint32_t cls, const uint32_t *a, uint32_t *variant)
{
    if (cls == SYSCALL_CLASS_COMMAND) {
        *variant = SYSCALL_FAILURE;
        return a[0] != ALARM_DRIVER_NUM || a[1] >= 32 || !((FILTERED_CMDS >> a[1]) & 1u);
    }
    *variant = SYSCALL_FAILURE_2U32;
    return (cls == SYSCALL_CLASS_SUBSCRIBE || cls == SYSCALL_CLASS_ALLOW_RW ||
            cls == SYSCALL_CLASS_ALLOW_RO || cls == SYSCALL_CLASS_ALLOW_URA) &&
           a[0] != ALARM_DRIVER_NUM;
}

// The syscall of this section was served: fold what it did into the model, checking the
// values it returned against the model's records.
static void resolve_pending(void)
{
    if (!pend.on)
        return;
    pend.on = false;
    struct process *p = process_table[pend.x];
    struct pmodel *pm = &m[pend.x];
    TRACE("    -> 0x%x 0x%x 0x%x\n", (unsigned)p->ctx.regs[0], (unsigned)p->ctx.regs[1],
          (unsigned)p->ctx.regs[2]);
    uint32_t refused_variant;
    if (pend.x == FILTERED_X && p->id == pend.pid &&
        filter_refuses(pend.cls, pend.a, &refused_variant) &&
        (p->ctx.regs[0] != refused_variant || p->ctx.regs[1] != NODEVICE ||
         p->ctx.regs[2] != pend.a[2] || p->ctx.regs[3] != pend.a[3]))
        fail("filter",
             "class %u driver 0x%x number %u of process %u returned (%u, %u, 0x%x, 0x%x), "
             "expected (%u, NODEVICE, 0x%x, 0x%x)",
             (unsigned)pend.cls, (unsigned)pend.a[0], (unsigned)pend.a[1], pend.x,
             (unsigned)p->ctx.regs[0], (unsigned)p->ctx.regs[1], (unsigned)p->ctx.regs[2],
             (unsigned)p->ctx.regs[3], (unsigned)refused_variant, (unsigned)pend.a[2],
             (unsigned)pend.a[3]);
    if (p->id != pend.pid || pm->pid != pend.pid || p->ctx.regs[0] != SYSCALL_SUCCESS_2U32)
        return;
    uint32_t cls = pend.cls, *a = pend.a;
    if (cls != SYSCALL_CLASS_SUBSCRIBE && cls != SYSCALL_CLASS_ALLOW_RW &&
        cls != SYSCALL_CLASS_ALLOW_RO)
        return;
    int d = model_driver(a[0]);
    const struct grant *g = d >= 0 ? model_grant((unsigned)d) : NULL;
    unsigned n = !g                               ? 0
                 : cls == SYSCALL_CLASS_SUBSCRIBE ? g->n_upcalls
                 : cls == SYSCALL_CLASS_ALLOW_RO  ? g->n_ro
                                                  : g->n_rw;
    if (a[1] >= n || a[1] >= MAX_SLOTS)
        fail("model", "class %u on driver 0x%x slot %u succeeded but the driver has %u such slots",
             (unsigned)cls, (unsigned)a[0], (unsigned)a[1], n);
    struct buf *b = cls == SYSCALL_CLASS_SUBSCRIBE  ? &pm->up[d][a[1]]
                    : cls == SYSCALL_CLASS_ALLOW_RO ? &pm->ro[d][a[1]]
                                                    : &pm->rw[d][a[1]];
    if (p->ctx.regs[1] != b->addr || p->ctx.regs[2] != b->len)
        fail("model",
             "class %u driver 0x%x slot %u of process %u returned previous (0x%x, 0x%x), "
             "expected (0x%x, 0x%x)",
             (unsigned)cls, (unsigned)a[0], (unsigned)a[1], pend.x, (unsigned)p->ctx.regs[1],
             (unsigned)p->ctx.regs[2], (unsigned)b->addr, (unsigned)b->len);
    if (cls != SYSCALL_CLASS_SUBSCRIBE && a[3] && !range_in(a[2], a[3], p->mem_start, p->app_brk) &&
        !(cls == SYSCALL_CLASS_ALLOW_RO &&
          range_in(a[2], a[3], p->app_start, p->flash_start + p->flash_len)))
        fail("model", "allow class %u accepted [0x%08x, +0x%x) outside process %u's memory",
             (unsigned)cls, (unsigned)a[2], (unsigned)a[3], pend.x);
    b->addr = a[2];
    b->len = a[3];
}

static void check_process(unsigned x)
{
    const struct process *p = process_table[x];
    const struct pmodel *pm = &m[x];
    uint32_t pcb = pm->mem_start + pm->mem_len - process_kernel_part();
    if (!p || host_addr(p) != pcb)
        fail("pcb", "slot %u holds PCB %p, expected 0x%08x", x, (const void *)p, (unsigned)pcb);
    if (p->index != x || p->mem_start != pm->mem_start || p->mem_len != pm->mem_len ||
        p->flash_start != pm->flash_start)
        fail("pcb", "process %u's fixed fields changed (index %u, mem 0x%08x+0x%x, flash 0x%08x)",
             x, (unsigned)p->index, (unsigned)p->mem_start, (unsigned)p->mem_len,
             (unsigned)p->flash_start);
    if (!(p->mem_start <= p->app_brk && p->app_brk <= p->kernel_brk && p->kernel_brk <= pcb))
        fail("pcb", "process %u: not mem_start <= app_brk <= kernel_brk <= PCB", x);
    if (p->allow_hwm < p->mem_start || p->allow_hwm > p->app_brk)
        fail("pcb", "process %u: allow_hwm 0x%08x outside [mem_start, app_brk]", x,
             (unsigned)p->allow_hwm);
    if (p->state > PROC_TERMINATED ||
        (p->state == PROC_STOPPED &&
         (p->stopped_from == PROC_STOPPED || p->stopped_from > PROC_TERMINATED)))
        fail("pcb", "process %u: invalid state %u (stopped from %u)", x, (unsigned)p->state,
             (unsigned)p->stopped_from);
    if (p->q_len > p->q_cap || p->q_head >= p->q_cap ||
        (p->q_cap != UPCALL_QUEUE_SMALL && p->q_cap != UPCALL_QUEUE_LEN))
        fail("pcb", "process %u: queue head %u length %u capacity %u", x, (unsigned)p->q_head,
             (unsigned)p->q_len, (unsigned)p->q_cap);
    if (!grant_chain_ok(p))
        fail("pcb", "process %u: grant blocks from 0x%08x do not chain to the PCB", x,
             (unsigned)p->kernel_brk);
    uint32_t reach = reach_of(p);
    if (reach < p->app_brk || reach > p->kernel_brk)
        fail("mpu", "process %u: reach 0x%08x outside [app_brk 0x%08x, kernel_brk 0x%08x]", x,
             (unsigned)reach, (unsigned)p->app_brk, (unsigned)p->kernel_brk);
    // A dead process's plan is stale (it is replanned when booted) and never loaded.
    if (!dead(p) && (p->mpu.ram != p->mem_start || p->mpu.ram_len != p->mem_len ||
                     p->mpu.brk != p->app_brk || p->mpu.kbrk != p->kernel_brk))
        fail("mpu", "process %u: MPU plan (brk 0x%08x, kbrk 0x%08x) is not for its breaks", x,
             (unsigned)p->mpu.brk, (unsigned)p->mpu.kbrk);
    if (dead(p)) {
        if (p->q_len || p->kernel_brk != pcb || process_alive(p->id))
            fail("pcb", "dead process %u still holds upcalls, grants or a live pid", x);
        return;
    }
    if (process_get(p->id) != p || !process_alive(p->id))
        fail("pcb", "live process %u: its pid 0x%x does not look it up", x, (unsigned)p->id);
    // Every queued upcall is the one this incarnation subscribes now for its origin.
    for (unsigned i = 0; i < p->q_len; i++) {
        struct upcall_task task;
        process_queue_peek(p, i, &task);
        const struct upcall_task *t = &task;
        if (t->origin == TASK_ORIGIN_KERNEL) {
            if (t->fn != p->entry)
                fail("model", "process %u: entry task calls 0x%08x", x, (unsigned)t->fn);
            continue;
        }
        int d = model_driver(t->origin >> 8);
        unsigned s = t->origin & 0xFFu;
        const struct buf *up = d >= 0 && s < MAX_SLOTS ? &pm->up[d][s] : NULL;
        if (!up || t->fn != up->addr || t->appdata != up->len)
            fail("model",
                 "process %u: queued upcall %u (origin 0x%x, fn 0x%08x, appdata 0x%x) is not "
                 "its current subscription (fn 0x%08x, appdata 0x%x)",
                 x, i, (unsigned)t->origin, (unsigned)t->fn, (unsigned)t->appdata,
                 up ? (unsigned)up->addr : 0u, up ? (unsigned)up->len : 0u);
    }
    // Buffers it lent stay inside what it may access: the break cannot drop below them.
    for (unsigned d = 0; d < NDRV; d++)
        for (unsigned s = 0; s < MAX_SLOTS; s++) {
            const struct buf *b = &pm->rw[d][s];
            if (b->len && (!range_in(b->addr, b->len, p->mem_start, p->app_brk) ||
                           b->addr + b->len > p->allow_hwm))
                fail("model", "process %u: allowed RW buffer [0x%08x, +0x%x) outside its memory", x,
                     (unsigned)b->addr, (unsigned)b->len);
        }
}

static void section_end(void)
{
    n_sections++;
    check_writes();
    resolve_pending();
    for (unsigned x = 0; x < NPROC; x++) {
        if (process_table[x]->id != m[x].pid)
            model_forget(x);
        check_process(x);
    }
}

// ---- what a process does: decoded from the input when the kernel runs it ----------------

static unsigned proc_of_ctx(const struct arch_ctx *ctx)
{
    for (unsigned x = 0; x < NPROC; x++)
        if (&process_table[x]->ctx == ctx)
            return x;
    fail("pcb", "kernel switched to a context that belongs to no process");
}

// An address chosen near something interesting: RAM edges, breaks, PCB, flash, other
// processes, null, the top of the address space, kernel RAM, raw values.
static uint32_t ptr(unsigned x)
{
    uint8_t s = u8();
    unsigned who = s & 3u;
    const struct process *p = process_table[who == 1   ? (x + 1) % NPROC
                                            : who == 2 ? (x + NPROC - 1) % NPROC
                                                       : x];
    uint32_t v;
    switch ((s >> 2) & 15u) {
    case 0:
        v = p->mem_start;
        break;
    case 1:
        v = p->app_brk;
        break;
    case 2:
        v = reach_of(p);
        break;
    case 3:
        v = p->kernel_brk;
        break;
    case 4:
        v = host_addr(p);
        break;
    case 5:
        v = p->mem_start + p->mem_len;
        break;
    case 6:
        v = p->flash_start;
        break;
    case 7:
        v = p->app_start;
        break;
    case 8:
        v = p->flash_start + p->flash_len;
        break;
    case 9:
        v = p->mem_start + (p->app_brk - p->mem_start) / 2;
        break;
    case 10:
        v = m[p->index].rw[1][1].len ? m[p->index].rw[1][1].addr : p->mem_start + 16;
        break;
    case 11:
        v = p->ctx.sp;
        break;
    case 12:
        v = 0;
        break;
    case 13:
        return u32();
    case 14:
        v = host_addr(arena) + FLASH_LEN + 0x100u; // kernel RAM gap
        break;
    default:
        v = 0xFFFFFFFFu;
        break;
    }
    switch (s >> 6) {
    case 1:
        v += (uint32_t)(int32_t)(int8_t)u8();
        break;
    case 2:
        v += (uint32_t)((int32_t)(int8_t)u8() * 4);
        break;
    case 3:
        v += (uint32_t)((int32_t)(int8_t)u8() * 32);
        break;
    }
    return v;
}

static uint32_t length(unsigned x, uint32_t addr)
{
    uint8_t l = u8();
    switch (l >> 6) {
    case 0:
        return l & 63u;
    case 1:
        return process_table[x]->app_brk - addr + (l & 15u) - 8u;
    case 2:
        return 1u << (l & 31u);
    default:
        return u32();
    }
}

static uint32_t value(unsigned x)
{
    uint8_t v = u8();
    switch (v >> 6) {
    case 0:
        return v & 63u;
    case 1:
        return ptr(x);
    case 2:
        return u32();
    default:
        return 0xFFFFFFFFu - (v & 63u);
    }
}

static uint32_t driver(void)
{
    uint8_t d = u8();
    switch (d & 7u) {
    case 0:
    case 5:
        return ALARM_DRIVER_NUM;
    case 1:
    case 6:
        return CONSOLE_DRIVER_NUM;
    case 2:
        return LOWLEVEL_DEBUG_DRIVER_NUM;
    case 3:
        return TEST_DRIVER_NUM;
    case 4:
        return u32();
    default:
        if (d & 8u)
            return KV_DRIVER_NUM;
        return 2u + (d >> 4); // numbers no driver has
    }
}

static uint32_t small(unsigned mod)
{
    uint8_t b = u8();
    return b < 0xF0u ? b % mod : u32();
}

enum op {
    OP_COMMAND,
    OP_SUBSCRIBE,
    OP_ALLOW_RW,
    OP_ALLOW_RO,
    OP_MEMOP,
    OP_YIELD,
    OP_EXIT,
    OP_ALLOW_URA,
    OP_BAD_CLASS,
    OP_SCRIBBLE,
    OP_SP,
    OP_FAULT,
    OP_SLICE,
    OP_IRQ,
    OP_SCRIBBLE2,
    OP_COMMAND2,
};

// Decode one syscall into the context's trap registers. False if op is not a syscall.
static bool decode_syscall(unsigned x, enum op op, struct arch_ctx *ctx)
{
    uint32_t cls, a[4] = {0, 0, 0, 0};
    switch (op) {
    case OP_COMMAND:
    case OP_COMMAND2:
        cls = SYSCALL_CLASS_COMMAND;
        a[0] = driver();
        a[1] = small(8);
        a[2] = value(x);
        a[3] = value(x);
        break;
    case OP_SUBSCRIBE:
        cls = SYSCALL_CLASS_SUBSCRIBE;
        a[0] = driver();
        a[1] = small(4);
        a[2] = ptr(x);
        a[3] = value(x);
        break;
    case OP_ALLOW_RW:
    case OP_ALLOW_RO:
    case OP_ALLOW_URA:
        cls = op == OP_ALLOW_RW   ? SYSCALL_CLASS_ALLOW_RW
              : op == OP_ALLOW_RO ? SYSCALL_CLASS_ALLOW_RO
                                  : SYSCALL_CLASS_ALLOW_URA;
        a[0] = driver();
        a[1] = small(3);
        a[2] = ptr(x);
        a[3] = length(x, a[2]);
        break;
    case OP_MEMOP: {
        cls = SYSCALL_CLASS_MEMOP;
        uint8_t o = u8();
        a[0] = o % 13u == 12u ? 12u + u8() : o % 13u;
        if (a[0] == MEMOP_BRK || a[0] == MEMOP_HINT_STACK_TOP || a[0] == MEMOP_HINT_HEAP_START)
            a[1] = ptr(x);
        else if (a[0] == MEMOP_SBRK)
            a[1] = (uint32_t)((int32_t)(int8_t)u8() * (1 << ((o >> 4) & 7u)));
        else
            a[1] = value(x);
        break;
    }
    case OP_YIELD: {
        cls = SYSCALL_CLASS_YIELD;
        uint8_t y = u8();
        a[0] = y & 3u;
        if (a[0] == YIELD_NO_WAIT)
            a[1] = ptr(x);
        else if (a[0] == YIELD_WAIT_FOR) {
            a[1] = driver();
            a[2] = small(4);
        } else if (a[0] == 3)
            a[0] = 3u + (y >> 2); // no such yield
        break;
    }
    case OP_EXIT: {
        cls = SYSCALL_CLASS_EXIT;
        uint8_t e = u8();
        a[0] = e % 3u == 2u ? 2u + (e >> 2) : e % 3u;
        a[1] = value(x);
        break;
    }
    case OP_BAD_CLASS:
        cls = 8u + u8();
        a[0] = value(x);
        break;
    default:
        return false;
    }
    ctx->svc_num = cls;
    memcpy(ctx->regs, a, sizeof a);
    pend = (typeof(pend)){true, x, process_table[x]->id, cls, {a[0], a[1], a[2], a[3]}};
    n_syscalls++;
    TRACE("  p%u syscall class %u (0x%x, 0x%x, 0x%x, 0x%x) sp 0x%08x\n", x, (unsigned)cls,
          (unsigned)a[0], (unsigned)a[1], (unsigned)a[2], (unsigned)a[3], (unsigned)ctx->sp);
    return true;
}

// The process writes bytes of its own alphabet; outside what the MPU lets it reach, the
// first store faults. True if it faulted.
static bool scribble(unsigned x)
{
    const struct process *p = process_table[x];
    uint32_t addr = ptr(x), len = 1u + (u8() & 63u);
    uint8_t k = u8();
    bool ok = range_in(addr, len, p->mem_start, reach_of(p));
    TRACE("  p%u scribble [0x%08x, +%u)%s\n", x, (unsigned)addr, (unsigned)len,
          ok ? "" : ": MPU fault");
    if (!ok)
        return true;
    for (uint32_t i = 0; i < len; i++)
        raw_set(addr + i, tag(x, k + i));
    return false;
}

static enum switch_reason leave(enum switch_reason why, const char *what)
{
    section_begin(what);
    return why;
}

// A process uses all the memory it can reach (crt0 copies .data, the stack grows), so its
// bytes are its own tags, never zero: then any kernel store into them shows, whatever value
// it writes. Done when the process runs, for bytes that became reachable since.
SCAN static void fill_reachable(unsigned x)
{
    const struct process *p = process_table[x];
    struct pmodel *pm = &m[x];
    if (pm->filled_pid != p->id) {
        pm->filled_pid = p->id;
        pm->filled = p->mem_start;
    }
    uint32_t r = reach_of(p);
    for (uint32_t a = pm->filled; a < r; a++)
        raw_set(a, tag(x, a));
    pm->filled = r;
}

static enum switch_reason process_runs(struct arch_ctx *ctx)
{
    unsigned x = proc_of_ctx(ctx);
    section_end(); // the kernel is done: everything since the last snapshot is checked
    fill_reachable(x);
    for (;;) {
        if (in.end || stop_requested) {
            host_slice_expired = true;
            return leave(SWITCH_TIMESLICE, "end of input");
        }
        uint8_t o = u8();
        enum op op = (enum op)(o & 15u);
        if (decode_syscall(x, op, ctx)) {
            if (o & 0x40u)
                host_slice_expired = true; // the slice runs out during the call
            if (!(o & 0x80u))
                return leave(SWITCH_SYSCALL, "syscall (slow path)");
            // The port serves it in the trap, as the Cortex-M SVC handler does.
            section_begin("syscall (fast path)");
            int r = kernel_fast_syscall(ctx);
            if (r == FAST_SYSCALL_DEFER)
                return SWITCH_SYSCALL; // untouched: the slow path serves it in this section
            section_end();
            // DONE: back to the kernel; GONE: the call ended this incarnation, and the
            // context already belongs to the next one (nothing of the trap is saved).
            if (r == FAST_SYSCALL_DONE || r == FAST_SYSCALL_GONE)
                return leave(SWITCH_SYSCALL_DONE, "after a fast syscall");
            continue;
        }
        switch (op) {
        case OP_SCRIBBLE:
        case OP_SCRIBBLE2:
            if (scribble(x))
                return leave(SWITCH_FAULT, "MPU fault on a scribble");
            break;
        case OP_SP:
            ctx->sp = ptr(x);
            TRACE("  p%u sp = 0x%08x\n", x, (unsigned)ctx->sp);
            break;
        case OP_FAULT:
            TRACE("  p%u CPU fault\n", x);
            return leave(SWITCH_FAULT, "CPU fault");
        case OP_SLICE:
            TRACE("  p%u timeslice ends\n", x);
            host_slice_expired = true;
            return leave(SWITCH_TIMESLICE, "timeslice expired");
        default:
            hw_event(u8());
            return leave(SWITCH_INTERRUPT, "interrupt");
        }
    }
}

// ---- one input -----------------------------------------------------------------------------

static void boot(void)
{
    uint8_t sizes = u8(), flags = u8();
    ASAN_UNPOISON_MEMORY_REGION(arena, ARENA_LEN);
    memcpy(view, image, ARENA_LEN);
    memcpy(snap, image, ARENA_LEN);

    memset(&mux, 0, sizeof mux);
    memset(&debug_dev, 0, sizeof debug_dev);
    memset(&console_dev, 0, sizeof console_dev);
    memset(&console, 0, sizeof console);
    memset(&amux, 0, sizeof amux);
    memset(&valarm, 0, sizeof valarm);
    memset(&alarm_cap, 0, sizeof alarm_cap);
    memset(&testdrv, 0, sizeof testdrv);
    memset(&fu, 0, sizeof fu);
    memset(&fa, 0, sizeof fa);
    memset(&kvcap, 0, sizeof kvcap);
    memset(&kvs, 0, sizeof kvs);
    memset(&ff, 0xFF, sizeof ff); // erased flash: an empty store
    ff.busy = false;
    ff.client = NULL;
    memset(&pend, 0, sizeof pend);
    fu.hil.ops = &fu_ops;
    fa.hil.ops = &fa_ops;
    ff.hil.ops = &ff_ops;
    ff.hil.info = (struct flash_info){ff.mem, 0x10000000u, sizeof ff.mem, KV_PAGE, 4};
    fa.now = (uint32_t)(flags >> 2) << 26; // some runs start near the counter's wrap
    stop_requested = false;
    host_slice_expired = false;
    n_sections = 0;
    while (arch_irq_next_pending() >= 0)
        arch_irq_complete((unsigned)arch_irq_next_pending());

    deferred_call_reset_for_test();
    grant_reset_for_test();
    debug_init(debug_sink, fu_poll_tx);
    uart_mux_init(&mux, &fu.hil);
    uart_mux_dev_init(&debug_dev, &mux);
    uart_mux_dev_init(&console_dev, &mux);
    debug_attach_uart(&debug_dev.hil);
    lowlevel_debug_init(&lldb);
    console_init(&console, &console_dev);
    alarm_mux_init(&amux, &fa.hil);
    valarm_init(&valarm, &amux);
    alarm_capsule_init(&alarm_cap, &valarm.hil);
    test_driver_init(&testdrv, test_exit);
    if (kvstore_init(&kvs, &ff.hil, kv_done) != OK)
        fail("pcb", "the key-value store does not mount on erased flash");
    kv_capsule_init(&kvcap, &kvs);

    switch (flags & 3u) {
    case 2:
        config.fault_policy = FAULT_POLICY_STOP;
        break;
    case 3:
        config.fault_policy = FAULT_POLICY_RESTART;
        config.restart_threshold = 1;
        break;
    default:
        config.fault_policy = FAULT_POLICY_RESTART;
        config.restart_threshold = 0xFFFFFFFFu;
        break;
    }
    kernel_set_config_for_test(&config);

    // Blocks of 512 B to 4 kB, packed largest first so each is aligned to its size.
    uint32_t len[NPROC];
    unsigned order[NPROC];
    for (unsigned x = 0; x < NPROC; x++) {
        len[x] = 512u << ((sizes >> (2 * x)) & 3u);
        order[x] = x;
    }
    for (unsigned i = 1; i < NPROC; i++)
        for (unsigned j = i; j > 0 && len[order[j]] > len[order[j - 1]]; j--) {
            unsigned t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    uint32_t at = host_addr(arena) + RAM_BASE;
    for (unsigned i = 0; i < NPROC; i++) {
        unsigned x = order[i];
        m[x] = (struct pmodel){.mem_start = at, .mem_len = len[x]};
        at += len[x];
    }
    static const char names[NPROC][4] = {"pa", "pb", "pc", "pd"};
    static struct process *table[NPROC];
    process_table_init(table, NPROC);
    for (unsigned x = 0; x < NPROC; x++) {
        uint32_t flash = host_addr(arena) + x * FLASH_SLOT;
        m[x].flash_start = flash;
        struct process *p =
            process_create(x, flash, FLASH_SLOT, flash + TBF_HDR, (flash + TBF_HDR) | 1u, names[x],
                           2, m[x].mem_start, m[x].mem_len);
        if (!p)
            fail("pcb", "process %u could not be created", x);
        // As the loader does: the header parsed in place, its Permissions TLV (if any) kept.
        struct tbf_header h;
        if (tbf_parse((const uint8_t *)(uintptr_t)flash, FLASH_SLOT, &h) != TBF_OK)
            fail("pcb", "process %u's TBF header does not parse", x);
        process_set_permissions(p, &h);
        if (process_filtered(p) != (x == FILTERED_X))
            fail("filter", "process %u filtered %d", x, process_filtered(p));
    }
    // The first section: creation itself. Nothing was reachable before it.
    for (unsigned x = 0; x < NPROC; x++) {
        model_forget(x);
        m[x].pid0 = 0;
        m[x].live0 = false;
        m[x].reach0 = m[x].brk0 = m[x].mem_start;
    }
    section_end(); // creation wrote the PCBs: kernel-owned
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    in.d = data;
    in.n = size;
    in.pos = 0;
    in.end = false;
    n_inputs++;
    boot();
    while (!in.end && !stop_requested) {
        uint8_t o = u8();
        if (o >= 0xC0u) {
            // Shell-like control of a slot, or a hardware event while nothing runs.
            unsigned x = o & 3u, action = (o >> 2) & 7u;
            if (action >= PROCESS_ACTION_RESUME && action <= PROCESS_ACTION_BOOT) {
                TRACE("  control: action %u on p%u\n", action, x);
                section_begin("process control");
                process_control(x, (enum process_action)action);
                section_end();
            } else {
                hw_event(u8());
            }
            continue;
        }
        section_begin("kernel main loop");
        bool ran = kernel_loop_once();
        section_end();
        if (!ran)
            hw_event(o); // idle: the next thing that happens is an interrupt
    }
    process_table_init(NULL, 0);
    ASAN_UNPOISON_MEMORY_REGION(arena, ARENA_LEN);
    return 0;
}

static void put16(uint8_t *b, unsigned *at, uint32_t v)
{
    b[*at] = (uint8_t)v;
    b[*at + 1] = (uint8_t)(v >> 8);
    *at += 2;
}

static void put32(uint8_t *b, unsigned *at, uint32_t v)
{
    put16(b, at, v & 0xFFFFu);
    put16(b, at, v >> 16);
}

// Process x's TBF header (doc/tbf.md), which the kernel parses again for the key-value
// capsule's Storage Permissions: Main, KernelVersion 2.3 and, for x < 3, a Storage
// Permissions TLV giving process x the write, read and modify id x + 1 alone (process 2
// may not write; process 3 has none, and its filter refuses it the driver anyway). Each
// process reads only what it wrote itself, so a value of another's showing up in its
// memory is a leak. Process 3 (FILTERED_X) has a Permissions TLV instead, of one entry:
// the alarm, commands FILTERED_CMDS.
static void tbf_header_write(uint8_t *b, unsigned x)
{
    unsigned at = TBF_BASE_HEADER_SIZE;
    put16(b, &at, TBF_TLV_MAIN);
    put16(b, &at, 12);
    put32(b, &at, 0);   // init_fn_offset
    put32(b, &at, 0);   // protected trailer
    put32(b, &at, 512); // minimum RAM
    put16(b, &at, TBF_TLV_KERNEL_VERSION);
    put16(b, &at, 4);
    put16(b, &at, 2);
    put16(b, &at, 3);
    if (x < 3) {
        put16(b, &at, TBF_TLV_STORAGE_PERMISSIONS);
        put16(b, &at, 16);
        put32(b, &at, x == 2 ? 0 : x + 1); // write id
        put16(b, &at, 1);
        put32(b, &at, x + 1); // read ids
        put16(b, &at, 1);
        put32(b, &at, x + 1); // modify ids
    } else {
        put16(b, &at, TBF_TLV_PERMISSIONS);
        put16(b, &at, 18);
        put16(b, &at, 1); // one entry, 2-byte aligned after the count
        put16(b, &at, (uint16_t)ALARM_DRIVER_NUM);
        put16(b, &at, (uint16_t)(ALARM_DRIVER_NUM >> 16));
        put32(b, &at, 0); // offset
        put32(b, &at, FILTERED_CMDS);
        put32(b, &at, 0);
        put16(b, &at, 0); // padding to 4
    }
    if (at > TBF_HDR)
        abort();
    unsigned hs = at;
    at = 0;
    put16(b, &at, 2);
    put16(b, &at, hs);
    put32(b, &at, FLASH_SLOT);
    put32(b, &at, 1); // enabled
    put32(b, &at, 0);
    at = 12;
    put32(b, &at, tbf_checksum(b, hs));
}

static struct timespec t_start;

static void print_stats(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double s = (double)(t.tv_sec - t_start.tv_sec) + (double)(t.tv_nsec - t_start.tv_nsec) / 1e9;
    if (s <= 0)
        s = 1e-9;
    fprintf(stderr,
            "fuzz_syscall: %llu sequences, %llu syscalls in %.1f s: %.0f sequences/s, %.0f "
            "syscalls/s\n",
            (unsigned long long)n_inputs, (unsigned long long)n_syscalls, s, (double)n_inputs / s,
            (double)n_syscalls / s);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    int fd = memfd_create("cairn-arena", 0);
    if (fd < 0 || ftruncate(fd, ARENA_LEN) != 0) {
        perror("fuzz_syscall: memfd");
        exit(1);
    }
    arena = host_map_low_fd(ARENA_LEN, fd);
    view = mmap(NULL, ARENA_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (!arena || view == MAP_FAILED) {
        fprintf(stderr, "fuzz_syscall: cannot map the arena below 4 GB twice\n");
        exit(1);
    }
    // Boot image: kernel RAM and process blocks hold filler ("someone else's data");
    // each fake flash has a header the kernel owns, then the binary in its process's bytes.
    memset(image, FILL, ARENA_LEN);
    for (unsigned x = 0; x < NPROC; x++) {
        tbf_header_write(image + x * FLASH_SLOT, x);
        for (unsigned i = TBF_HDR; i < FLASH_SLOT; i++)
            image[x * FLASH_SLOT + i] = tag(x, i);
    }
    trace_on = getenv("FUZZ_SYSCALL_TRACE") != NULL;
    host_switch_hook = process_runs;
    host_mpu_pmsav7 = true;
    clock_gettime(CLOCK_MONOTONIC, &t_start);
    atexit(print_stats);
    return 0;
}

// SPDX-License-Identifier: Apache-2.0
// conformance: checks the exact return variant and error code of every syscall class.
//
// Each case prints `conformance: <case>: ok` or `conformance: <case>: FAIL got ...`, then
// a summary `conformance: N passed, M failed`, and the run ends through the test driver
// (0xCA170 command 1) with exit code 0 if every case passed, else 1.
//
// Expected values are the Tock 2.x ABI as written in the spec digest (sections 2-4, 8) and
// in doc/syscalls/: variants 0/2 Failure(-2u32), 128/129/130 Success(-u32/-2u32); errors
// FAIL 1, ALREADY 3, INVAL 6, NOMEM 9, NOSUPPORT 10, NODEVICE 11. Where Tock's code and
// its documents disagree, the cases follow the code, and these match Tock exactly:
//   - subscribe and every allow class to a driver that has no such slot answer NOSUPPORT,
//     low-level debug (0x8) included (Tock's capsule keeps a grant with zero slots);
//   - memop 7/8/9 report the writeable flash regions of the app's TBF (this app has one);
//   - the app carries a KernelVersion TLV, without which neither kernel runs it.
//
// Order matters, because some effects cannot be undone within one run:
//   - the first printf allocates stdout's buffer and allows it to the console, which
//     raises the allow high-water mark; brk can never go below it again;
//   - the memop cases run before the allow cases that raise the mark to the break;
//   - events queued by the alarm are always drained before anything is printed, because
//     printf's completion event needs a free slot in the upcall queue;
//   - the null-upcall case leaves (maybe) a null record behind, so it runs last of the
//     queue cases.
// An invalid syscall class is not tested: it faults the process, by design.

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cairn.h"

#define TEST_DRIVER    0xCA170u
#define NO_SUCH_DRIVER 0xDEAD00u
// An address in kernel RAM: on the Cortex-M boards the system RAM is one 64 kB block
// aligned to 64 kB with the kernel's stack and data at its bottom and the process pool
// above, so its start follows from this process's own RAM (qemu-mps2-an385: 0x20000100,
// qemu-mps2-an505: 0x38000100); qemu-rv32-virt: the kernel's stack from 0x80200000.
#if defined(__riscv)
#define KERNEL_RAM 0x80200100u
#else
#define KERNEL_RAM kernel_ram()
#endif
// Far beyond any driver's slots.
#define BAD_SLOT 7u

enum {
    ERR_FAIL = 1,
    ERR_ALREADY = 3,
    ERR_INVAL = 6,
    ERR_NOMEM = 9,
    ERR_NOSUPPORT = 10,
    ERR_NODEVICE = 11,
};

enum {
    ALARM_CMD_FREQUENCY = 1,
    ALARM_CMD_NOW = 2,
    ALARM_CMD_STOP = 3,
    ALARM_CMD_SET_ABSOLUTE = 4,
    ALARM_CMD_SET_RELATIVE = 5,
    TEST_CMD_EXIT = 1,
    TEST_CMD_POOL_FREE = 2,
    TEST_CMD_BRKS = 3,
};

// The kernel queues at most this many upcalls per process; the next one is dropped.
#define UPCALL_QUEUE_DEPTH 8

static unsigned passed, failed;

// --- reporting ------------------------------------------------------------------------

static void ok(const char *name)
{
    passed++;
    printf("conformance: %s: ok\n", name);
}

static void check_ret(const char *name, struct syscall_return got, uint32_t variant, unsigned n,
                      uint32_t d0, uint32_t d1, uint32_t d2)
{
    const uint32_t want[3] = {d0, d1, d2};
    bool good = got.variant == variant;
    for (unsigned i = 0; good && i < n; i++)
        good = got.data[i] == want[i];
    if (good) {
        ok(name);
        return;
    }
    failed++;
    printf("conformance: %s: FAIL got variant %" PRIu32 " err %" PRIu32 " (r1-r3 0x%" PRIx32
           " 0x%" PRIx32 " 0x%" PRIx32 "), want variant %" PRIu32,
           name, got.variant, got.data[0], got.data[0], got.data[1], got.data[2], variant);
    for (unsigned i = 0; i < n; i++)
        printf(" r%u 0x%" PRIx32, i + 1, want[i]);
    printf("\n");
}

// A property that is not a return variant (a flag byte, an upcall count, a range).
static void check_value(const char *name, uint32_t got, uint32_t want)
{
    if (got == want) {
        ok(name);
        return;
    }
    failed++;
    printf("conformance: %s: FAIL got 0x%" PRIx32 " want 0x%" PRIx32 "\n", name, got, want);
}

static void check_true(const char *name, bool cond, uint32_t got)
{
    if (cond) {
        ok(name);
        return;
    }
    failed++;
    printf("conformance: %s: FAIL got 0x%" PRIx32 "\n", name, got);
}

#define EXPECT_SUCCESS(name, r)          check_ret(name, r, 128, 0, 0, 0, 0)
#define EXPECT_U32(name, r, v)           check_ret(name, r, 129, 1, v, 0, 0)
#define EXPECT_2U32(name, r, a, b)       check_ret(name, r, 130, 2, a, b, 0)
#define EXPECT_FAIL(name, r, err)        check_ret(name, r, 0, 1, err, 0, 0)
#define EXPECT_FAIL2(name, r, err, a, b) check_ret(name, r, 2, 3, err, a, b)
#define EXPECT_FAIL2_ERR(name, r, err)   check_ret(name, r, 2, 1, err, 0, 0)
#define EXPECT_VARIANT(name, r, variant) check_ret(name, r, variant, 0, 0, 0, 0)

// --- raw syscalls the library does not expose ---------------------------------------

// Yield-NoWait with an arbitrary flag address (libcairn always passes a stack byte).
#if defined(__riscv)
static void raw_yield_no_wait(uint32_t flag_address)
{
    register uint32_t a0 __asm__("a0") = 0;
    register uint32_t a1 __asm__("a1") = flag_address;
    register uint32_t a4 __asm__("a4") = SYSCALL_CLASS_YIELD;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a4)
                     :
                     : "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a2", "a3", "a5", "a6", "a7",
                       "memory");
}

// Exit with any exit number: only 0 and 1 exist, others must come back as a Failure.
static struct syscall_return raw_exit(uint32_t how, uint32_t code)
{
    register uint32_t a0 __asm__("a0") = how;
    register uint32_t a1 __asm__("a1") = code;
    register uint32_t a2 __asm__("a2") = 0;
    register uint32_t a3 __asm__("a3") = 0;
    register uint32_t a4 __asm__("a4") = SYSCALL_CLASS_EXIT;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4) : "memory");
    return (struct syscall_return){a0, {a1, a2, a3}};
}
#else
static void raw_yield_no_wait(uint32_t flag_address)
{
    register uint32_t r0 __asm__("r0") = 0;
    register uint32_t r1 __asm__("r1") = flag_address;
    __asm__ volatile("svc 0" : "+r"(r0), "+r"(r1) : : "r2", "r3", "r12", "lr", "memory", "cc");
}

// Exit with any exit number: only 0 and 1 exist, others must come back as a Failure.
static struct syscall_return raw_exit(uint32_t how, uint32_t code)
{
    register uint32_t r0 __asm__("r0") = how;
    register uint32_t r1 __asm__("r1") = code;
    register uint32_t r2 __asm__("r2") = 0;
    register uint32_t r3 __asm__("r3") = 0;
    __asm__ volatile("svc 6" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory", "cc");
    return (struct syscall_return){r0, {r1, r2, r3}};
}
#endif

static uint32_t memop_value(uint32_t op);

__attribute__((unused)) static uint32_t kernel_ram(void)
{
    return (memop_value(MEMOP_RAM_START) & ~0xFFFFu) + 0x100u;
}

static uint32_t memop_value(uint32_t op)
{
    return memop(op, 0).data[0];
}

// Persistent app state, as libtock-c apps declare it: a writeable flash region.
__attribute__((section(".wfr.app_state"), used)) static const uint8_t app_state[64] = {0xC5};

static uint32_t rd16(uint32_t addr)
{
    const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)addr;
    return p[0] | (uint32_t)p[1] << 8;
}

// The major version of this app's own KernelVersion TLV (0 if none): the kernel runs only
// apps that carry one (as Tock's loader), so a running app always finds it.
static uint32_t tbf_kernel_version(uint32_t tbf)
{
    uint32_t hs = rd16(tbf + 2);
    for (uint32_t pos = 16; pos + 4 <= hs;) {
        uint32_t type = rd16(tbf + pos), len = rd16(tbf + pos + 2);
        if (type == 8 && len == 4)
            return rd16(tbf + pos + 4);
        pos += 4 + ((len + 3) & ~3u);
    }
    return 0;
}

// --- upcall bookkeeping -------------------------------------------------------------

// The arguments of the last UPCALL_LOG upcalls, at index (upcall number % UPCALL_LOG).
#define UPCALL_LOG 16
static volatile unsigned upcalls;
static uint32_t upcall_args[UPCALL_LOG][3];
static void *upcall_userdata;

static void count_upcall(int a0, int a1, int a2, void *userdata)
{
    upcall_args[upcalls % UPCALL_LOG][0] = (uint32_t)a0;
    upcall_args[upcalls % UPCALL_LOG][1] = (uint32_t)a1;
    upcall_args[upcalls % UPCALL_LOG][2] = (uint32_t)a2;
    upcall_userdata = userdata;
    upcalls++;
}

static void other_upcall(int a0, int a1, int a2, void *userdata)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)userdata;
}

static uint32_t alarm_ticks(void)
{
    return command(ALARM_DRIVER, ALARM_CMD_NOW, 0, 0).data[0];
}

// Arms the process's alarm already due (dt = 0), then waits without yielding until the
// kernel has surely queued its event: the driver fires due alarms from a later pass of
// its loop or from the timer interrupt, both long before 1000 ticks (40 us) have passed.
// Returns the expiration the kernel reported (reference + dt).
static uint32_t queue_alarm_event(void)
{
    uint32_t expiration = command(ALARM_DRIVER, ALARM_CMD_SET_RELATIVE, 0, 0).data[0];
    uint32_t start = alarm_ticks();
    while (alarm_ticks() - start < 1000) {
    }
    return expiration;
}

// Runs every callable queued upcall; returns how many ran.
static unsigned drain(void)
{
    unsigned before = upcalls;
    while (yield_no_wait()) {
    }
    return upcalls - before;
}

// --- the cases ----------------------------------------------------------------------

static void test_command(void)
{
    EXPECT_SUCCESS("command_exists_test_driver", command(TEST_DRIVER, 0, 0, 0));
    EXPECT_SUCCESS("command_exists_console", command(CONSOLE_DRIVER, 0, 0, 0));
    EXPECT_SUCCESS("command_exists_alarm", command(ALARM_DRIVER, 0, 0, 0));
    EXPECT_SUCCESS("command_exists_lowlevel_debug", command(LOWLEVEL_DEBUG_DRIVER, 0, 0, 0));
    EXPECT_FAIL("command_nodevice", command(NO_SUCH_DRIVER, 0, 0, 0), ERR_NODEVICE);
    EXPECT_FAIL("command_nodevice_nonzero_cmd", command(NO_SUCH_DRIVER, 1, 2, 3), ERR_NODEVICE);
    EXPECT_FAIL("command_nosupport_test_driver", command(TEST_DRIVER, 99, 0, 0), ERR_NOSUPPORT);
    EXPECT_FAIL("command_nosupport_lowlevel_debug", command(LOWLEVEL_DEBUG_DRIVER, 99, 0, 0),
                ERR_NOSUPPORT);
    EXPECT_FAIL("command_nosupport_console", command(CONSOLE_DRIVER, 99, 0, 0), ERR_NOSUPPORT);
    // The frequency is the board's (its exact value is checked by conformance.test, per
    // board): here a Success-u32 of at least 1 kHz.
    struct syscall_return f = command(ALARM_DRIVER, ALARM_CMD_FREQUENCY, 0, 0);
    EXPECT_VARIANT("alarm_frequency", f, 129);
    printf("conformance: alarm frequency %" PRIu32 " Hz\n", f.data[0]);
    check_value("alarm_frequency_at_least_1khz", f.data[0] >= 1000u, 1);
    EXPECT_FAIL("alarm_cmd4_removed", command(ALARM_DRIVER, ALARM_CMD_SET_ABSOLUTE, 0, 0),
                ERR_NOSUPPORT);
    EXPECT_FAIL("alarm_stop_none_armed", command(ALARM_DRIVER, ALARM_CMD_STOP, 0, 0), ERR_ALREADY);
    struct syscall_return r = command(ALARM_DRIVER, ALARM_CMD_SET_RELATIVE, f.data[0], 0);
    EXPECT_VARIANT("alarm_arm_relative", r, 129);
    EXPECT_SUCCESS("alarm_stop_armed", command(ALARM_DRIVER, ALARM_CMD_STOP, 0, 0));
    EXPECT_FAIL("console_abort_no_read", command(CONSOLE_DRIVER, 3, 0, 0), ERR_ALREADY);
    EXPECT_VARIANT("test_pool_free", command(TEST_DRIVER, TEST_CMD_POOL_FREE, 0, 0), 129);
    uint32_t mem_start = memop_value(MEMOP_RAM_START);
    uint32_t brk = memop(MEMOP_SBRK, 0).data[0];
    uint32_t grant_start = memop_value(MEMOP_GRANT_START);
    EXPECT_2U32("test_brks_match_memop", command(TEST_DRIVER, TEST_CMD_BRKS, 0, 0),
                grant_start - mem_start, brk - mem_start);
}

static void test_memop(void)
{
    uint32_t local = 0;
    uint32_t here = (uint32_t)(uintptr_t)&local;

    struct syscall_return r = memop(MEMOP_RAM_START, 0);
    uint32_t mem_start = r.data[0];
    EXPECT_VARIANT("memop2_ram_start", r, 129);
    check_true("memop2_ram_start_below_stack", mem_start <= here && here - mem_start < 4096,
               mem_start);

    r = memop(MEMOP_RAM_END, 0);
    uint32_t ram_end = r.data[0];
    EXPECT_VARIANT("memop3_ram_end", r, 129);

    r = memop(MEMOP_FLASH_START, 0);
    uint32_t flash_start = r.data[0];
    EXPECT_VARIANT("memop4_flash_start", r, 129);
    r = memop(MEMOP_FLASH_END, 0);
    uint32_t flash_end = r.data[0];
    EXPECT_VARIANT("memop5_flash_end", r, 129);
    uint32_t code = (uint32_t)(uintptr_t)&test_memop;
    check_true("memop4_5_flash_holds_code", flash_start < code && code < flash_end, code);
    // The TBF header's total_size (offset 4) is the whole image: flash end = start + it.
    check_value("memop5_flash_end_is_tbf_total_size", flash_end - flash_start,
                *(const volatile uint32_t *)(uintptr_t)(flash_start + 4));

    r = memop(MEMOP_SBRK, 0);
    uint32_t brk = r.data[0];
    EXPECT_VARIANT("memop1_sbrk0", r, 129);
    r = memop(MEMOP_GRANT_START, 0);
    uint32_t grant_start = r.data[0];
    EXPECT_VARIANT("memop6_grant_start", r, 129);
    check_true("memop_layout_ordered",
               mem_start < brk && brk <= grant_start && grant_start < ram_end, grant_start);

    // Writeable flash regions: this app declares one (app_state, in its own section,
    // which elf2tbf turns into a WriteableFlashRegions TLV): memop 7 counts it, 8/9 give
    // where it is, and an index past the count fails with FAIL (Tock's memop.rs).
    uint32_t state = (uint32_t)(uintptr_t)app_state;
    EXPECT_U32("memop7_wfr_count", memop(MEMOP_WFR_COUNT, 0), 1);
    EXPECT_U32("memop8_wfr_start", memop(MEMOP_WFR_START, 0), state);
    EXPECT_U32("memop9_wfr_end", memop(MEMOP_WFR_END, 0), state + sizeof app_state);
    check_true("memop8_9_wfr_in_own_flash",
               flash_start < state && state + sizeof app_state <= flash_end, state);
    EXPECT_FAIL("memop8_wfr_start_past_count", memop(MEMOP_WFR_START, 1), ERR_FAIL);
    EXPECT_FAIL("memop9_wfr_end_past_count", memop(MEMOP_WFR_END, 1), ERR_FAIL);
    EXPECT_FAIL("memop8_wfr_start_huge_index", memop(MEMOP_WFR_START, 0xFFFFFFFFu), ERR_FAIL);
    check_value("tbf_kernel_version_2x", tbf_kernel_version(flash_start), 2);
    EXPECT_SUCCESS("memop10_stack_hint", memop(MEMOP_HINT_STACK_TOP, here));
    EXPECT_SUCCESS("memop11_heap_hint", memop(MEMOP_HINT_HEAP_START, brk));
    EXPECT_FAIL("memop12_nosupport", memop(12, 0), ERR_NOSUPPORT);
    EXPECT_FAIL("memop_255_nosupport", memop(255, 0), ERR_NOSUPPORT);

    // brk and sbrk. Every allowed buffer so far (stdout's) lies below brk.
    EXPECT_SUCCESS("memop0_brk_same", memop(MEMOP_BRK, brk));
    EXPECT_U32("memop1_sbrk_grow_returns_previous", memop(MEMOP_SBRK, 64), brk);
    EXPECT_U32("memop1_sbrk0_after_grow", memop(MEMOP_SBRK, 0), brk + 64);
    memset((void *)(uintptr_t)brk, 0xA5, 64);
    EXPECT_U32("memop1_sbrk_shrink_returns_previous", memop(MEMOP_SBRK, (uint32_t)-64), brk + 64);
    EXPECT_SUCCESS("memop0_brk_grow", memop(MEMOP_BRK, brk + 64));
    // Re-exposed memory comes back zeroed.
    const volatile uint8_t *fresh = (const volatile uint8_t *)(uintptr_t)brk;
    unsigned nonzero = 0;
    for (unsigned i = 0; i < 64; i++)
        nonzero += fresh[i] != 0;
    check_value("memop0_growth_zeroed", nonzero, 0);
    EXPECT_SUCCESS("memop0_brk_shrink", memop(MEMOP_BRK, brk));

    EXPECT_FAIL("memop0_brk_past_grant_start", memop(MEMOP_BRK, grant_start + 64), ERR_NOMEM);
    EXPECT_FAIL("memop0_brk_past_ram_end", memop(MEMOP_BRK, ram_end + 64), ERR_NOMEM);
    EXPECT_FAIL("memop0_brk_below_mem_start", memop(MEMOP_BRK, mem_start - 64), ERR_NOMEM);
    EXPECT_FAIL("memop1_sbrk_past_grant_start", memop(MEMOP_SBRK, grant_start - brk + 64),
                ERR_NOMEM);
    EXPECT_FAIL("memop1_sbrk_huge_negative", memop(MEMOP_SBRK, 0x80000000u), ERR_NOMEM);
    EXPECT_U32("memop_refusals_keep_break", memop(MEMOP_SBRK, 0), brk);

    // brk may not drop below an allowed buffer, even after the buffer is taken back.
    memop(MEMOP_SBRK, 256);
    uint32_t high = brk + 256 - 64;
    EXPECT_2U32("memop_allow_high_buffer", allow_rw(TEST_DRIVER, 0, (void *)(uintptr_t)high, 64), 0,
                0);
    EXPECT_FAIL("memop0_brk_below_allowed_buffer", memop(MEMOP_BRK, brk + 256 - 32), ERR_NOMEM);
    EXPECT_FAIL("memop1_sbrk_below_allowed_buffer", memop(MEMOP_SBRK, (uint32_t)-32), ERR_NOMEM);
    EXPECT_SUCCESS("memop0_brk_at_allowed_end", memop(MEMOP_BRK, brk + 256));
    EXPECT_2U32("memop_unallow_high_buffer", allow_rw(TEST_DRIVER, 0, NULL, 0), high, 64);
    EXPECT_FAIL("memop0_brk_below_mark_after_unallow", memop(MEMOP_BRK, brk + 256 - 32), ERR_NOMEM);
    EXPECT_SUCCESS("memop0_brk_grow_after_mark", memop(MEMOP_BRK, brk + 320));
}

static void test_subscribe(void)
{
    void *const ud1 = (void *)0x1234, *const ud2 = (void *)0x5678;
    uint32_t fn1 = (uint32_t)(uintptr_t)&count_upcall, fn2 = (uint32_t)(uintptr_t)&other_upcall;

    EXPECT_2U32("subscribe_first_returns_null", subscribe(TEST_DRIVER, 0, count_upcall, ud1), 0, 0);
    EXPECT_2U32("subscribe_swap_returns_previous", subscribe(TEST_DRIVER, 0, other_upcall, ud2),
                fn1, 0x1234);
    EXPECT_2U32("subscribe_other_slot_first", subscribe(TEST_DRIVER, 1, count_upcall, ud1), 0, 0);
    EXPECT_FAIL2("subscribe_fn_kernel_ram",
                 subscribe(TEST_DRIVER, 0, (upcall_fn_t *)KERNEL_RAM, (void *)0x42), ERR_INVAL,
                 KERNEL_RAM, 0x42);
    uint32_t flash_start = memop_value(MEMOP_FLASH_START);
    EXPECT_FAIL2("subscribe_fn_tbf_header",
                 subscribe(TEST_DRIVER, 0, (upcall_fn_t *)(uintptr_t)(flash_start + 1), ud1),
                 ERR_INVAL, flash_start + 1, 0x1234);
    uint32_t other = memop_value(MEMOP_RAM_END) + 0x101;
    EXPECT_FAIL2("subscribe_fn_other_process",
                 subscribe(TEST_DRIVER, 0, (upcall_fn_t *)(uintptr_t)other, ud1), ERR_INVAL, other,
                 0x1234);
    // A refused subscribe leaves the old upcall in place.
    EXPECT_2U32("subscribe_inval_keeps_old", subscribe(TEST_DRIVER, 0, NULL, NULL), fn2, 0x5678);
    EXPECT_2U32("subscribe_null_returns_null", subscribe(TEST_DRIVER, 0, count_upcall, ud1), 0, 0);
    EXPECT_FAIL2_ERR("subscribe_nodevice", subscribe(NO_SUCH_DRIVER, 0, count_upcall, ud1),
                     ERR_NODEVICE);
    EXPECT_FAIL2_ERR("subscribe_nosupport_slot",
                     subscribe(TEST_DRIVER, BAD_SLOT, count_upcall, ud1), ERR_NOSUPPORT);
    EXPECT_FAIL2_ERR("subscribe_nosupport_console_slot",
                     subscribe(CONSOLE_DRIVER, BAD_SLOT, count_upcall, ud1), ERR_NOSUPPORT);
    // Low-level debug has no upcalls: Tock's capsule keeps a grant with zero slots, so
    // the answer is NOSUPPORT (a driver with no grant at all would answer NOMEM).
    EXPECT_FAIL2_ERR("subscribe_lowlevel_debug_nosupport",
                     subscribe(LOWLEVEL_DEBUG_DRIVER, 0, count_upcall, ud1), ERR_NOSUPPORT);
    // Invalid pointer is checked before the driver: INVAL even for a missing driver.
    EXPECT_FAIL2_ERR("subscribe_fn_check_precedes_driver",
                     subscribe(NO_SUCH_DRIVER, 0, (upcall_fn_t *)KERNEL_RAM, ud1), ERR_INVAL);
    subscribe(TEST_DRIVER, 0, NULL, NULL);
    subscribe(TEST_DRIVER, 1, NULL, NULL);
}

static void test_yield(void)
{
    void *const ud = (void *)0xC0FFEE;
    uint32_t brk = memop(MEMOP_SBRK, 0).data[0];

    // Nothing is queued: no-wait writes 0 to the flag byte.
    volatile uint8_t flag = 0xAA;
    raw_yield_no_wait((uint32_t)(uintptr_t)&flag);
    check_value("yield_nowait_empty_writes_0", flag, 0);
    // The last byte below the break is still the process's.
    volatile uint8_t *last = (volatile uint8_t *)(uintptr_t)(brk - 1);
    *last = 0xAA;
    raw_yield_no_wait(brk - 1);
    check_value("yield_nowait_flag_last_byte_below_brk", *last, 0);
    // Outside its RAM the flag is not written (and the process is not faulted).
    raw_yield_no_wait(KERNEL_RAM);
    ok("yield_nowait_flag_kernel_ram_ignored");
    raw_yield_no_wait(0);
    ok("yield_nowait_flag_null_ignored");

    // Wait-for on an event already queued, with no upcall subscribed at all.
    uint32_t exp = queue_alarm_event();
    struct yield_wait_for_return w = yield_wait_for(ALARM_DRIVER, 0);
    check_value("yield_waitfor_returns_arg1", w.data1, exp);
    check_value("yield_waitfor_returns_arg2", w.data2, 0);
    check_true("yield_waitfor_returns_arg0_now", w.data0 - exp < 250000, w.data0);

    EXPECT_2U32("subscribe_alarm_first", subscribe(ALARM_DRIVER, 0, count_upcall, ud), 0, 0);
    unsigned before = upcalls;
    exp = queue_alarm_event();
    w = yield_wait_for(ALARM_DRIVER, 0);
    unsigned ran = upcalls - before;
    check_value("yield_waitfor_subscribed_returns_arg1", w.data1, exp);
    check_value("yield_waitfor_runs_no_function", ran, 0);

    // No-wait with one queued: flag 1, exactly one upcall with the driver's arguments.
    before = upcalls;
    exp = queue_alarm_event();
    flag = 0xAA;
    raw_yield_no_wait((uint32_t)(uintptr_t)&flag);
    ran = upcalls - before;
    check_value("yield_nowait_queued_writes_1", flag, 1);
    check_value("yield_nowait_runs_one_upcall", ran, 1);
    check_value("upcall_arg1_expiration", upcall_args[before % UPCALL_LOG][1], exp);
    check_value("upcall_arg2_zero", upcall_args[before % UPCALL_LOG][2], 0);
    check_value("upcall_arg3_userdata", (uint32_t)(uintptr_t)upcall_userdata, 0xC0FFEE);
    flag = 0xAA;
    raw_yield_no_wait((uint32_t)(uintptr_t)&flag);
    check_value("yield_nowait_after_drain_writes_0", flag, 0);

    // A flag address in its own flash is not written, but the upcall still runs.
    uint32_t flash_byte = memop_value(MEMOP_FLASH_START) + 0x100;
    uint8_t flash_before = *(const volatile uint8_t *)(uintptr_t)flash_byte;
    before = upcalls;
    queue_alarm_event();
    raw_yield_no_wait(flash_byte);
    ran = upcalls - before;
    check_value("yield_nowait_flag_in_flash_not_written",
                *(const volatile uint8_t *)(uintptr_t)flash_byte, flash_before);
    check_value("yield_nowait_flag_in_flash_upcall_runs", ran, 1);

    // Yield-Wait with one queued: runs it and returns.
    before = upcalls;
    queue_alarm_event();
    yield_wait();
    check_value("yield_wait_runs_one_upcall", upcalls - before, 1);

    // A successful subscribe drops that slot's pending upcalls.
    before = upcalls;
    queue_alarm_event();
    EXPECT_2U32("subscribe_resubscribe_returns_previous",
                subscribe(ALARM_DRIVER, 0, count_upcall, ud), (uint32_t)(uintptr_t)&count_upcall,
                0xC0FFEE);
    unsigned purged_ran = drain();
    check_value("subscribe_purges_pending_upcalls", purged_ran, 0);

    // Queue overflow: 9 events of one source. Tock drops the 9th; Cairn deliberately
    // keeps a repeating source's latest events instead (doc/kernel.md, queue policy): the
    // 1st is dropped and the 2nd to 9th arrive in order.
    uint32_t exps[UPCALL_QUEUE_DEPTH + 1];
    before = upcalls;
    for (unsigned i = 0; i < UPCALL_QUEUE_DEPTH + 1; i++)
        exps[i] = queue_alarm_event();
    unsigned delivered = drain();
    unsigned in_order = 0;
    for (unsigned i = 0; i < delivered && i < UPCALL_QUEUE_DEPTH; i++)
        in_order += upcall_args[(before + i) % UPCALL_LOG][1] == exps[i + 1];
    check_value("upcall_queue_holds_8_drops_oldest", delivered, UPCALL_QUEUE_DEPTH);
    check_value("upcall_queue_fifo_order_latest_kept", in_order, UPCALL_QUEUE_DEPTH);
    if (in_order != UPCALL_QUEUE_DEPTH) {
        for (unsigned i = 0; i < delivered && i < UPCALL_QUEUE_DEPTH; i++)
            printf("conformance:   upcall %u: expiration 0x%" PRIx32 " (armed #%u: 0x%" PRIx32
                   ")\n",
                   i, upcall_args[(before + i) % UPCALL_LOG][1], i + 1, exps[i + 1]);
    }
    flag = 0xAA;
    raw_yield_no_wait((uint32_t)(uintptr_t)&flag);
    check_value("upcall_queue_empty_after_drain", flag, 0);

    // Null upcall: the event becomes a null record, which no-wait never runs.
    EXPECT_2U32("subscribe_alarm_null", subscribe(ALARM_DRIVER, 0, NULL, NULL),
                (uint32_t)(uintptr_t)&count_upcall, 0xC0FFEE);
    before = upcalls;
    queue_alarm_event();
    flag = 0xAA;
    raw_yield_no_wait((uint32_t)(uintptr_t)&flag);
    check_value("yield_nowait_null_record_flag_0", flag, 0);
    check_value("yield_nowait_null_record_not_run", upcalls - before, 0);
}

static char rw_buf[64] __attribute__((aligned(8)));
static const char flash_text[] = "conformance: read-only allow from flash";

static void test_allow(void)
{
    uint32_t flash_start = memop_value(MEMOP_FLASH_START);
    uint32_t flash_end = memop_value(MEMOP_FLASH_END);
    uint32_t ram_end = memop_value(MEMOP_RAM_END);
    uint32_t header_size = *(const volatile uint16_t *)(uintptr_t)(flash_start + 2);
    uint32_t buf = (uint32_t)(uintptr_t)rw_buf;

    // Read-write.
    EXPECT_2U32("allow_rw_first_returns_null", allow_rw(TEST_DRIVER, 0, rw_buf, 16), 0, 0);
    EXPECT_2U32("allow_rw_swap_returns_previous", allow_rw(TEST_DRIVER, 0, rw_buf + 16, 8), buf,
                16);
    EXPECT_FAIL2("allow_rw_kernel_ram", allow_rw(TEST_DRIVER, 0, (void *)KERNEL_RAM, 16), ERR_INVAL,
                 KERNEL_RAM, 16);
    EXPECT_FAIL2("allow_rw_other_process",
                 allow_rw(TEST_DRIVER, 0, (void *)(uintptr_t)(ram_end + 0x100), 16), ERR_INVAL,
                 ram_end + 0x100, 16);
    EXPECT_FAIL2("allow_rw_own_flash",
                 allow_rw(TEST_DRIVER, 0, (void *)(uintptr_t)(flash_start + 0x100), 16), ERR_INVAL,
                 flash_start + 0x100, 16);
    EXPECT_FAIL2("allow_rw_wraps", allow_rw(TEST_DRIVER, 0, (void *)0xFFFFFFF0u, 0x20), ERR_INVAL,
                 0xFFFFFFF0u, 0x20);
    // Refusals leave the slot as it was.
    EXPECT_2U32("allow_rw_inval_keeps_old", allow_rw(TEST_DRIVER, 0, rw_buf, 32), buf + 16, 8);
    EXPECT_VARIANT("allow_rw_zero_len_kernel_address",
                   allow_rw(TEST_DRIVER, 0, (void *)KERNEL_RAM, 0), 130);
    EXPECT_VARIANT("allow_rw_zero_len_any_address",
                   allow_rw(TEST_DRIVER, 0, (void *)0xFFFFFFF0u, 0), 130);
    EXPECT_VARIANT("allow_rw_zero_len_null", allow_rw(TEST_DRIVER, 0, NULL, 0), 130);
    // Overlapping buffers in two slots (two drivers) and a read-only one over them.
    EXPECT_2U32("allow_rw_overlap_first", allow_rw(TEST_DRIVER, 0, rw_buf, 32), 0, 0);
    EXPECT_VARIANT("allow_rw_overlap_second", allow_rw(CONSOLE_DRIVER, 1, rw_buf + 8, 32), 130);
    EXPECT_VARIANT("allow_ro_overlap_third", allow_ro(TEST_DRIVER, 0, rw_buf + 4, 8), 130);
    EXPECT_2U32("allow_rw_overlap_release", allow_rw(CONSOLE_DRIVER, 1, NULL, 0), buf + 8, 32);
    allow_ro(TEST_DRIVER, 0, NULL, 0);
    allow_rw(TEST_DRIVER, 0, NULL, 0);
    EXPECT_FAIL2_ERR("allow_rw_nodevice", allow_rw(NO_SUCH_DRIVER, 0, rw_buf, 8), ERR_NODEVICE);
    EXPECT_FAIL2_ERR("allow_rw_nosupport_slot", allow_rw(TEST_DRIVER, BAD_SLOT, rw_buf, 8),
                     ERR_NOSUPPORT);
    EXPECT_FAIL2_ERR("allow_rw_alarm_has_no_slots", allow_rw(ALARM_DRIVER, 0, rw_buf, 8),
                     ERR_NOSUPPORT);
    EXPECT_FAIL2_ERR("allow_rw_lowlevel_debug_nosupport",
                     allow_rw(LOWLEVEL_DEBUG_DRIVER, 0, rw_buf, 8), ERR_NOSUPPORT);
    // The driver is looked up before the buffer is checked.
    EXPECT_FAIL2_ERR("allow_rw_nodevice_before_buffer",
                     allow_rw(NO_SUCH_DRIVER, 0, (void *)KERNEL_RAM, 8), ERR_NODEVICE);

    // Read-only.
    EXPECT_2U32("allow_ro_flash_after_header",
                allow_ro(TEST_DRIVER, 0, flash_text, sizeof flash_text), 0, 0);
    EXPECT_2U32("allow_ro_ram_swap_returns_previous", allow_ro(TEST_DRIVER, 0, rw_buf, 16),
                (uint32_t)(uintptr_t)flash_text, sizeof flash_text);
    EXPECT_FAIL2("allow_ro_tbf_header",
                 allow_ro(TEST_DRIVER, 0, (const void *)(uintptr_t)flash_start, 16), ERR_INVAL,
                 flash_start, 16);
    EXPECT_FAIL2(
        "allow_ro_straddles_header_end",
        allow_ro(TEST_DRIVER, 0, (const void *)(uintptr_t)(flash_start + header_size - 4), 8),
        ERR_INVAL, flash_start + header_size - 4, 8);
    EXPECT_FAIL2("allow_ro_past_flash_end",
                 allow_ro(TEST_DRIVER, 0, (const void *)(uintptr_t)(flash_end - 4), 8), ERR_INVAL,
                 flash_end - 4, 8);
    EXPECT_FAIL2("allow_ro_kernel_ram", allow_ro(TEST_DRIVER, 0, (const void *)KERNEL_RAM, 8),
                 ERR_INVAL, KERNEL_RAM, 8);
    EXPECT_2U32("allow_ro_inval_keeps_old", allow_ro(TEST_DRIVER, 0, NULL, 0), buf, 16);
    EXPECT_FAIL2_ERR("allow_ro_nodevice", allow_ro(NO_SUCH_DRIVER, 0, flash_text, 8), ERR_NODEVICE);
    EXPECT_FAIL2_ERR("allow_ro_nosupport_slot", allow_ro(TEST_DRIVER, BAD_SLOT, flash_text, 8),
                     ERR_NOSUPPORT);
    EXPECT_FAIL2_ERR("allow_ro_lowlevel_debug_nosupport",
                     allow_ro(LOWLEVEL_DEBUG_DRIVER, 0, flash_text, 8), ERR_NOSUPPORT);

    // Userspace-readable: validated like read-write, then refused by the driver.
    EXPECT_FAIL2("allow_ura_console_nosupport", allow_userspace_r(CONSOLE_DRIVER, 0, rw_buf, 8),
                 ERR_NOSUPPORT, buf, 8);
    EXPECT_FAIL2("allow_ura_bad_pointer_inval",
                 allow_userspace_r(CONSOLE_DRIVER, 0, (void *)KERNEL_RAM, 8), ERR_INVAL, KERNEL_RAM,
                 8);
    EXPECT_FAIL2_ERR("allow_ura_nodevice", allow_userspace_r(NO_SUCH_DRIVER, 0, rw_buf, 8),
                     ERR_NODEVICE);
    EXPECT_FAIL2("allow_ura_lowlevel_debug_nosupport",
                 allow_userspace_r(LOWLEVEL_DEBUG_DRIVER, 0, rw_buf, 8), ERR_NOSUPPORT, buf, 8);

    // The break is the edge: up to it is the process's, one byte past it is not. Last,
    // because it moves the allow high-water mark up to the break.
    uint32_t brk = memop(MEMOP_SBRK, 0).data[0];
    EXPECT_FAIL2("allow_rw_straddles_brk",
                 allow_rw(TEST_DRIVER, 0, (void *)(uintptr_t)(brk - 8), 16), ERR_INVAL, brk - 8,
                 16);
    EXPECT_2U32("allow_rw_ends_at_brk", allow_rw(TEST_DRIVER, 0, (void *)(uintptr_t)(brk - 16), 16),
                0, 0);
    allow_rw(TEST_DRIVER, 0, NULL, 0);
}

static void test_exit(void)
{
    EXPECT_FAIL("exit_unknown_kind_5", raw_exit(5, 0), ERR_NOSUPPORT);
    EXPECT_FAIL("exit_unknown_kind_2", raw_exit(2, 0), ERR_NOSUPPORT);
}

int main(void)
{
    // First output: allocates stdout's buffer before the memop cases measure the heap.
    printf("conformance: start\n");
    test_command();
    test_memop();
    test_subscribe();
    test_yield();
    test_allow();
    test_exit();
    printf("conformance: %u passed, %u failed\n", passed, failed);
    fflush(stdout);
    command(TEST_DRIVER, TEST_CMD_EXIT, failed == 0 ? 0 : 1, 0);
    // Only without the test driver: end like any app.
    return failed == 0 ? 0 : 1;
}

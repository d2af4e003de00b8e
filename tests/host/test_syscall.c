// SPDX-License-Identifier: Apache-2.0
// Host tests of the syscall ABI: subscribe, allow, memop, yield, exit, command, upcall queue.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host_proc.h"
#include "ipc.h"
#include <cairn/procinfo.h>
#include <cairn/grant.h>
#include <cairn/tbf.h>

#define DRV_S       0x90010u // fake capsule with a grant: 3 upcalls, 2 RO, 2 RW
#define DRV_NOGRANT 0x90011u // command only, no per-process state
#define DRV_BIG     0x90012u // grant too large to fit after a big brk
#define DRV_ZERO    0x90013u // a grant with no upcall or allow slots (Tock's low-level debug)
#define DRV_KILL    0x90014u // command faults its caller (process_control), then answers
#define DRV_MISSING 0x12345u // in no table

struct s_state {
    uint32_t n;
};

struct big_state {
    uint8_t bytes[1024];
};

static struct grant grant_s = GRANT_INIT(DRV_S, struct s_state, 3, 2, 2);
static struct grant grant_big = GRANT_INIT(DRV_BIG, struct big_state, 1, 1, 1);
static struct grant grant_zero = GRANT_INIT(DRV_ZERO, struct s_state, 0, 0, 0);

// The last command a driver received.
static struct {
    unsigned calls;
    uint32_t driver;
    procid_t pid;
    uint32_t cmd, arg0, arg1;
} last_cmd;

static struct cmd_result record_cmd(const struct driver *d, procid_t pid, uint32_t cmd,
                                    uint32_t arg0, uint32_t arg1)
{
    last_cmd.calls++;
    last_cmd.driver = d->num;
    last_cmd.pid = pid;
    last_cmd.cmd = cmd;
    last_cmd.arg0 = arg0;
    last_cmd.arg1 = arg1;
    return (struct cmd_result){SYSCALL_SUCCESS_3U32, {cmd, arg0, arg1}};
}

static struct cmd_result kill_cmd(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                                  uint32_t arg1)
{
    (void)d;
    (void)arg0;
    (void)arg1;
    process_control(PROCID_INDEX(pid), PROCESS_ACTION_FAULT);
    return (struct cmd_result){SYSCALL_SUCCESS_3U32, {cmd, 0xD1, 0xD2}};
}

static const struct driver drivers[] = {
    // sorted by number (the lookup bisects)
    {IPC_DRIVER_NUM, ipc_command, NULL}, {DRV_S, record_cmd, NULL},
    {DRV_NOGRANT, record_cmd, NULL},     {DRV_BIG, record_cmd, NULL},
    {DRV_ZERO, record_cmd, NULL},        {DRV_KILL, kill_cmd, NULL},
};

static const struct kernel_config config = {
    .drivers = drivers,
    .n_drivers = sizeof drivers / sizeof drivers[0],
    .fault_policy = FAULT_POLICY_STOP,
};

// The same with the restart policy: a fault leaves a fresh incarnation behind.
static const struct kernel_config config_restart = {
    .drivers = drivers,
    .n_drivers = sizeof drivers / sizeof drivers[0],
    .fault_policy = FAULT_POLICY_RESTART,
    .restart_threshold = 10,
};

static int group_setup(void **state)
{
    grant_register(&grant_s);
    grant_register(&grant_big);
    grant_register(&grant_zero);
    ipc_init();
    return host_arena_map(state);
}

static int test_setup(void **state)
{
    (void)state;
    host_reset(&config);
    memset(&last_cmd, 0, sizeof last_cmd);
    return 0;
}

static void memop(struct process *p, uint32_t op, uint32_t arg)
{
    host_syscall(p, SYSCALL_CLASS_MEMOP, op, arg, 0, 0);
}

// Failure-with-2-u32 answer of subscribe and allow: the error and both arguments echoed.
static void expect_fail_echo(const struct process *p, int err, uint32_t a, uint32_t b)
{
    host_expect_regs(p, SYSCALL_FAILURE_2U32, (uint32_t)err, a, b);
}

static void never_cb(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)state;
    (void)ctx;
    fail_msg("grant callback ran for a stale pid");
}

// The i-th oldest queued task, as it would be delivered now.
static struct upcall_task queued_task;
static const struct upcall_task *queued(const struct process *p, unsigned i)
{
    assert_true(i < p->q_len);
    process_queue_peek(p, i, &queued_task);
    return &queued_task;
}

// ---- subscribe ----------------------------------------------------------------------------

// The first subscribe on a slot returns the null upcall (0, 0) with variant 130; each later
// one returns the previous (fn, appdata). Slots and processes are independent, and both
// flash (after the header) and RAM functions are accepted.
static void subscribe_returns_previous_upcall(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    struct process *q = host_proc_new(1, HOST_RAM_DEFAULT);
    uint32_t fn1 = p->app_start + 0x101, fn2 = p->mem_start + 8;

    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, fn1, 0x1111);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, fn2, 0x2222);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, fn1, 0x1111, 0);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, 0, 0x3333);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, fn2, 0x2222, 0);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, fn1, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0x3333, 0);

    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 2, fn2, 5);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(q, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, q->app_start, 6);
    host_expect_regs(q, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    assert_int_equal(p->state, PROC_RUNNING);
}

// A function pointer outside the process's flash (after the TBF header) and RAM is INVAL,
// echoing fn and appdata, checked even before the driver exists; the old subscription and
// its pending upcalls are kept.
static void subscribe_bad_function_is_inval_and_keeps_old_upcall(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t fn1 = p->app_start + 0x40;
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 1, fn1, 0xAAAA);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 1, 2, 3), OK);

    const uint32_t bad[] = {
        0x10,                              // nowhere
        p->flash_start,                    // the TBF header
        p->app_start - 2,                  // straddles the end of the header
        p->flash_start + p->flash_len - 2, // straddles the end of flash
        p->flash_start + p->flash_len,     // just past flash
        p->mem_start - 4,                  // just below RAM
        p->app_brk - 2,                    // straddles the break
        p->app_brk,                        // at the break
        p->kernel_brk,                     // kernel-owned
        0xFFFFFFFEu,                       // would wrap
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 1, bad[i], 0xBEEF);
        expect_fail_echo(p, INVAL, bad[i], 0xBEEF);
    }
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_MISSING, 0, 0x10, 0xBEEF);
    expect_fail_echo(p, INVAL, 0x10, 0xBEEF);

    assert_int_equal(p->q_len, 1);
    assert_int_equal(queued(p, 0)->fn, fn1);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 1, 0, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, fn1, 0xAAAA, 0);
}

// Subscribe failures, with Tock's codes and order: unknown driver NODEVICE; a driver
// without a grant NOMEM; a grant that cannot be allocated NOMEM, whatever the subscribe
// number; then a subscribe number at or past the declared count NOSUPPORT (the grant is
// allocated first, as Tock does, so it is NOSUPPORT also for a driver declaring no upcall
// slots at all). Each echoes fn and appdata.
static void subscribe_failures_echo_arguments(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t fn = p->app_start, kbrk = p->kernel_brk;
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_MISSING, 0, fn, 1);
    expect_fail_echo(p, NODEVICE, fn, 1);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_NOGRANT, 0, fn, 3);
    expect_fail_echo(p, NOMEM, fn, 3);
    assert_int_equal(p->kernel_brk, kbrk);

    // No room for DRV_BIG's grant: NOMEM for a valid and for an out-of-range number.
    assert_int_equal(process_set_brk(p, p->kernel_brk - grant_alloc_size(&grant_big) + 8), OK);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_BIG, 0, fn, 4);
    expect_fail_echo(p, NOMEM, fn, 4);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_BIG, 9, fn, 4);
    expect_fail_echo(p, NOMEM, fn, 4);
    assert_int_equal(p->kernel_brk, kbrk);

    // Out of range with room: the grant is allocated (with the full-size queue its 3
    // upcall slots call for), the answer is NOSUPPORT.
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 3, fn, 2);
    expect_fail_echo(p, NOSUPPORT, fn, 2);
    assert_int_equal(p->kernel_brk, kbrk - grant_alloc_size(&grant_s) - UPCALL_RING_BYTES);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0xFFFFFFFFu, fn, 2);
    expect_fail_echo(p, NOSUPPORT, fn, 2);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_ZERO, 0, fn, 6);
    expect_fail_echo(p, NOSUPPORT, fn, 6);
    // The valid slot works in the grant that was allocated.
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, fn, 5);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
}

// A successful subscribe removes the pending upcalls of that (driver, subscribe) slot and
// keeps the others in order; failed subscribes remove nothing.
static void subscribe_purges_pending_upcalls_of_its_slot(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t fa = p->app_start + 0x10, fb = p->app_start + 0x20;
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, fa, 0);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 1, fb, 0);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 1, 0, 0), OK);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 2, 0, 0), OK);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 3, 0, 0), OK);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 2, 4, 0, 0), OK); // null record
    assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 5, 0, 0), OK);

    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, 0x10, 0); // INVAL
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 7, fa, 0);   // NOSUPPORT
    assert_int_equal(p->q_len, 5);

    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, fb, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, fa, 0, 0);
    assert_int_equal(p->q_len, 3);
    assert_int_equal(queued(p, 0)->a[0], 2);
    assert_int_equal(queued(p, 1)->a[0], 4);
    assert_int_equal(queued(p, 2)->a[0], 5);
    assert_int_equal(queued(p, 0)->fn, fb);
}

// ---- allow --------------------------------------------------------------------------------

// Buffer validation: RW and RO in RAM are accepted; RW into flash is INVAL; RO into flash
// after the header is accepted but not on the header; any range leaving its region or
// wrapping is INVAL; zero length is accepted at any address. Failures echo (addr, len)
// and leave the slot's buffer in place.
static void allow_validates_buffers(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    memop(p, 0, p->mem_start + 1024);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
    uint32_t ram = p->mem_start + 64, flash_end = p->flash_start + p->flash_len;

    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, ram, 32);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_S, 0, ram + 32, 32);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_S, 1, p->app_start, flash_end - p->app_start);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 1, p->app_brk - 4, 4); // last bytes of RAM
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);

    struct {
        uint32_t cls, addr, len;
    } bad[] = {
        {SYSCALL_CLASS_ALLOW_RW, p->app_start + 0x20, 16},   // RW into flash
        {SYSCALL_CLASS_ALLOW_RO, p->flash_start, 16},        // RO on the TBF header
        {SYSCALL_CLASS_ALLOW_RO, p->app_start - 4, 8},       // RO straddling the header end
        {SYSCALL_CLASS_ALLOW_RO, flash_end - 4, 8},          // past the end of flash
        {SYSCALL_CLASS_ALLOW_RW, p->app_brk - 4, 8},         // straddling the break
        {SYSCALL_CLASS_ALLOW_RO, p->app_brk, 1},             // at the break
        {SYSCALL_CLASS_ALLOW_RW, p->mem_start - 4, 8},       // below RAM
        {SYSCALL_CLASS_ALLOW_RW, p->kernel_brk, 8},          // kernel-owned memory
        {SYSCALL_CLASS_ALLOW_RW, 0xFFFFFF00u, 0x200},        // address + len wraps
        {SYSCALL_CLASS_ALLOW_RW, ram, 0xFFFFFFF0u},          // len wraps past 2^32
        {SYSCALL_CLASS_ALLOW_RO, p->app_start, 0xFFFFFFFFu}, // flash, wraps
        {SYSCALL_CLASS_ALLOW_RO, p->mem_start, p->mem_len},  // whole block incl. kernel part
        {SYSCALL_CLASS_ALLOW_RW, 0, 1},                      // null, non-empty
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        host_syscall(p, bad[i].cls, DRV_S, 0, bad[i].addr, bad[i].len);
        expect_fail_echo(p, INVAL, bad[i].addr, bad[i].len);
    }
    assert_int_equal(allow_rw_len(&grant_s, p->id, 0), 32);
    assert_int_equal(allow_ro_len(&grant_s, p->id, 0), 32);

    // Zero length: any address, including null and addresses nowhere near the process.
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, 0xDEADBEEFu, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, ram, 32, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_S, 0, 0, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, ram + 32, 32, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, 0xFFFFFFFFu, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0xDEADBEEFu, 0, 0);
}

// Allow failures other than the buffer: unknown driver NODEVICE (before buffer checks),
// driver without a grant NOMEM, grant that cannot be allocated NOMEM, slot at or past the
// declared count NOSUPPORT (also for a grant declaring no slots), each echoing
// (addr, len); userspace-readable allow is not supported by any driver, grant or not.
static void allow_failures_echo_arguments(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t buf = p->mem_start + 8;
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_MISSING, 0, buf, 8);
    expect_fail_echo(p, NODEVICE, buf, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_MISSING, 0, 0x10, 8); // bad buffer too
    expect_fail_echo(p, NODEVICE, 0x10, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_NOGRANT, 0, buf, 8);
    expect_fail_echo(p, NOMEM, buf, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_NOGRANT, 0, buf, 8);
    expect_fail_echo(p, NOMEM, buf, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_URA, DRV_NOGRANT, 0, buf, 8);
    expect_fail_echo(p, NOSUPPORT, buf, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_ZERO, 0, buf, 8);
    expect_fail_echo(p, NOSUPPORT, buf, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_ZERO, 0, buf, 8);
    expect_fail_echo(p, NOSUPPORT, buf, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_URA, DRV_ZERO, 0, buf, 8);
    expect_fail_echo(p, NOSUPPORT, buf, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 2, buf, 8);
    expect_fail_echo(p, NOSUPPORT, buf, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_S, 2, buf, 8);
    expect_fail_echo(p, NOSUPPORT, buf, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_S, 0xFFFFFFFFu, 0, 0);
    expect_fail_echo(p, NOSUPPORT, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_URA, DRV_S, 0, buf, 8);
    expect_fail_echo(p, NOSUPPORT, buf,
                     8); // No room for DRV_BIG's grant: NOMEM even for a slot it does not have.
    assert_int_equal(process_set_brk(p, p->kernel_brk - grant_alloc_size(&grant_big) + 8), OK);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_BIG, 5, buf, 8);
    expect_fail_echo(p, NOMEM, buf, 8);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_BIG, 0, buf, 8);
    expect_fail_echo(p, NOMEM, buf, 8);
}

// Allow swaps: each successful allow returns the buffer previously in that slot ((0, 0)
// at first); RW and RO slots are separate number spaces.
static void allow_swap_returns_previous_buffer(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    memop(p, 0, p->mem_start + 512);
    uint32_t a = p->mem_start + 16, b = p->mem_start + 200;
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, a, 16);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, b, 8);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, a, 16, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, 0, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, b, 8, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, a, 4);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_S, 0, b, 20);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 1, b, 20); // overlapping buffers are legal
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_S, 0, a, 1);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, b, 20, 0);
}

// A non-empty allow in RAM (RW or RO) raises the allow high-water mark; brk/sbrk below it
// fail with NOMEM and leave the break, even after the buffer is revoked; RO allows in
// flash do not raise it.
static void allow_raises_high_water_mark_for_brk(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t m = p->mem_start;
    memop(p, 0, m + 1024);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, m + 512, 64);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    assert_int_equal(p->allow_hwm, m + 576);

    memop(p, 0, m + 560);
    assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);
    assert_int_equal(p->ctx.regs[1], NOMEM);
    assert_int_equal(p->app_brk, m + 1024);
    memop(p, 0, m + 576);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
    assert_int_equal(p->app_brk, m + 576);

    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, 0, 0); // revoke: the mark stays
    memop(p, 0, m + 575);
    assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);
    assert_int_equal(p->ctx.regs[1], NOMEM);
    memop(p, 1, (uint32_t)-1);
    assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);
    assert_int_equal(p->app_brk, m + 576);

    memop(p, 0, m + 2048);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_S, 0, m + 1500, 100);
    assert_int_equal(p->allow_hwm, m + 1600);
    memop(p, 0, m + 1599);
    assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);

    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_S, 1, p->app_start, 64);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    assert_int_equal(p->allow_hwm, m + 1600);
}

// ---- memop --------------------------------------------------------------------------------

// brk answers Success (128) and sbrk Success-u32 (129) with the previous break; growth
// zeroes the newly exposed bytes; a break past kernel_brk, the block end, below mem_start
// or out of 32-bit range is NOMEM and leaves the break unchanged.
static void memop_brk_and_sbrk(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t m = p->mem_start, b0 = p->app_brk;
    assert_int_equal(host_ptr(m + 100)[0], HOST_FILL);

    memop(p, 0, m + 256);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
    assert_int_equal(p->app_brk, m + 256);
    for (uint32_t a = b0; a < m + 256; a++)
        assert_int_equal(host_ptr(a)[0], 0);
    assert_int_equal(host_ptr(m + 256)[0], HOST_FILL);

    memop(p, 1, 64);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, m + 256, 0, 0);
    assert_int_equal(p->app_brk, m + 320);
    assert_int_equal(host_ptr(m + 319)[0], 0);
    memop(p, 1, (uint32_t)-32);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_U32);
    assert_int_equal(p->ctx.regs[1], m + 320);
    assert_int_equal(p->app_brk, m + 288);
    memop(p, 1, 0);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_U32);
    assert_int_equal(p->ctx.regs[1], m + 288);

    const uint32_t bad_brk[] = {p->kernel_brk + 1, m + p->mem_len, m - 1, 0, 0xFFFFFFFFu};
    for (unsigned i = 0; i < sizeof bad_brk / sizeof bad_brk[0]; i++) {
        memop(p, 0, bad_brk[i]);
        assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);
        assert_int_equal(p->ctx.regs[1], NOMEM);
        assert_int_equal(p->app_brk, m + 288);
    }
    const uint32_t bad_inc[] = {0x7FFFFFFFu, 0x80000000u, p->kernel_brk - (m + 288) + 1,
                                (uint32_t) - (int32_t)(288 + 1)};
    for (unsigned i = 0; i < sizeof bad_inc / sizeof bad_inc[0]; i++) {
        memop(p, 1, bad_inc[i]);
        assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);
        assert_int_equal(p->ctx.regs[1], NOMEM);
        assert_int_equal(p->app_brk, m + 288);
    }

    memop(p, 0, p->kernel_brk); // all the way up to the grant area is fine
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
    assert_int_equal(p->app_brk, p->kernel_brk);
    memop(p, 0, m); // and all the way down, with no allowed buffer
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
    assert_int_equal(p->app_brk, m);
}

// Memops 2-6 report RAM start/end (whole block), flash start/end (whole TBF object) and
// the grant start (current kernel break, which follows grant allocation); 7 says no
// writeable flash regions, 8/9 fail with FAIL, 10/11 succeed.
static void memop_reports_memory_layout(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    memop(p, 2, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, p->mem_start, 0, 0);
    memop(p, 3, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, p->mem_start + HOST_RAM_DEFAULT, 0, 0);
    memop(p, 4, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, host_flash_start(0), 0, 0);
    memop(p, 5, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, host_flash_start(0) + HOST_FLASH_SLOT, 0, 0);
    uint32_t kbrk = p->kernel_brk;
    memop(p, 6, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, kbrk, 0, 0);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, 0, 0);
    memop(p, 6, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, kbrk - grant_alloc_size(&grant_s) - UPCALL_RING_BYTES,
                     0, 0);
    memop(p, 7, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, 0, 0, 0);
    memop(p, 8, 0);
    host_expect_regs(p, SYSCALL_FAILURE, FAIL, 0, 0);
    memop(p, 9, 0);
    host_expect_regs(p, SYSCALL_FAILURE, FAIL, 0, 0);
    memop(p, 10, p->mem_start + 16);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
    memop(p, 11, p->mem_start + 16);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
}

static void put16(uint8_t *b, uint16_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *b, uint32_t v)
{
    put16(b, (uint16_t)v);
    put16(b + 2, (uint16_t)(v >> 16));
}

// Memop 7/8/9 report the TBF's writeable flash regions: the count the loader recorded
// (every region of every type-2 TLV), then start = TBF start + offset and end = start +
// size for each index, in header order; FAIL for an index past the count or a region of
// size 0 (as Tock). Only the process's own header is read.
static void memop_reports_writeable_flash_regions(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint8_t *h = host_ptr(p->flash_start);
    // Base header, WFR TLV {0x100 +0x40, 0x200 +0}, an unknown TLV, WFR TLV {0x300 +8}.
    uint32_t pos = 16;
    put16(h + pos, 2);
    put16(h + pos + 2, 16);
    put32(h + pos + 4, 0x100);
    put32(h + pos + 8, 0x40);
    put32(h + pos + 12, 0x200);
    put32(h + pos + 16, 0);
    pos += 20;
    put16(h + pos, 0x8123);
    put16(h + pos + 2, 4);
    pos += 8;
    put16(h + pos, 2);
    put16(h + pos + 2, 8);
    put32(h + pos + 4, 0x300);
    put32(h + pos + 8, 8);
    pos += 12;
    put16(h, 2);
    put16(h + 2, (uint16_t)pos);
    assert_true(pos <= HOST_TBF_HEADER);
    p->wfr_count = 3;

    memop(p, 7, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, 3, 0, 0);
    memop(p, 8, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, p->flash_start + 0x100, 0, 0);
    memop(p, 9, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, p->flash_start + 0x140, 0, 0);
    memop(p, 8, 1); // size 0
    host_expect_regs(p, SYSCALL_FAILURE, FAIL, 0, 0);
    memop(p, 9, 1);
    host_expect_regs(p, SYSCALL_FAILURE, FAIL, 0, 0);
    memop(p, 8, 2);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, p->flash_start + 0x300, 0, 0);
    memop(p, 9, 2);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, p->flash_start + 0x308, 0, 0);
    for (uint32_t bad = 3; bad != 0; bad = bad < 8 ? bad + 1 : (bad == 8 ? 0xFFFFFFFFu : 0)) {
        memop(p, 8, bad);
        host_expect_regs(p, SYSCALL_FAILURE, FAIL, 0, 0);
        memop(p, 9, bad);
        host_expect_regs(p, SYSCALL_FAILURE, FAIL, 0, 0);
    }
    // The count is the loader's, not re-read from flash: a header claiming regions the
    // count does not cover is not consulted.
    p->wfr_count = 0;
    memop(p, 7, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, 0, 0, 0);
    memop(p, 8, 0);
    host_expect_regs(p, SYSCALL_FAILURE, FAIL, 0, 0);
}

// An unknown memop number fails with NOSUPPORT.
static void memop_unknown_op_is_nosupport(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    const uint32_t ops[] = {12, 100, 0xFFFFFFFFu};
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        memop(p, ops[i], 0);
        host_expect_regs(p, SYSCALL_FAILURE, NOSUPPORT, 0, 0);
        assert_int_equal(p->state, PROC_RUNNING);
    }
}

// ---- yield --------------------------------------------------------------------------------

// Yield-no-wait writes its flag byte 0 (nothing to run) or 1 (one upcall delivered), only
// when the byte lies in [mem_start, app_brk); elsewhere nothing is written. With nothing to
// run the registers are untouched; with a queued upcall it is delivered with its arguments
// and appdata. A null record at the head counts as nothing to run.
static void yield_no_wait_writes_flag_only_inside_ram(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint8_t *flag = host_ptr(p->mem_start + 8);
    *flag = 0x77;
    uint32_t pc = p->ctx.pc, pushes = p->ctx.upcall_args;
    host_syscall(p, SYSCALL_CLASS_YIELD, 0, host_addr(flag), 0x33, 0x44);
    assert_int_equal(*flag, 0);
    host_expect_regs(p, 0, host_addr(flag), 0x33, 0x44);
    assert_int_equal(p->ctx.pc, pc);
    assert_int_equal(p->ctx.upcall_args, pushes);
    assert_int_equal(p->state, PROC_RUNNING);

    uint32_t fn = p->app_start + 0x81;
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, fn, 0xDA7A);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 10, 20, 30), OK);
    *flag = 0x77;
    host_syscall(p, SYSCALL_CLASS_YIELD, 0, host_addr(flag), 0, 0);
    assert_int_equal(*flag, 1);
    host_expect_regs(p, 10, 20, 30, 0xDA7A);
    assert_int_equal(p->ctx.pc, fn);
    assert_int_equal(p->ctx.upcall_args, pushes + 1);
    assert_int_equal(p->q_len, 0);
    assert_int_equal(p->state, PROC_RUNNING);

    // The last byte below the break is inside; everything around is not.
    uint8_t *last = host_ptr(p->app_brk - 1);
    *last = 0x77;
    host_syscall(p, SYSCALL_CLASS_YIELD, 0, host_addr(last), 0, 0);
    assert_int_equal(*last, 0);
    uint8_t *outside[] = {host_ptr(p->app_brk), host_ptr(p->mem_start - 1),
                          host_ptr(p->app_start + 4), host_ptr(p->kernel_brk - 1)};
    for (unsigned i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        *outside[i] = 0x77;
        host_syscall(p, SYSCALL_CLASS_YIELD, 0, host_addr(outside[i]), 0, 0);
        assert_int_equal(*outside[i], 0x77);
        assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 1, 2, 3), OK);
        host_syscall(p, SYSCALL_CLASS_YIELD, 0, host_addr(outside[i]), 0, 0);
        assert_int_equal(*outside[i], 0x77);
        assert_int_equal(p->q_len, 0); // delivered anyway
    }
    host_syscall(p, SYSCALL_CLASS_YIELD, 0, 0, 0, 0); // null flag: nothing written, no crash

    // A null record (unsubscribed slot) is nothing to run.
    assert_int_equal(upcall_schedule(p->id, DRV_S, 2, 7, 8, 9), OK);
    *flag = 0x77;
    pushes = p->ctx.upcall_args;
    host_syscall(p, SYSCALL_CLASS_YIELD, 0, host_addr(flag), 0, 0);
    assert_int_equal(*flag, 0);
    assert_int_equal(p->ctx.upcall_args, pushes);
}

static void yield_flag_in_allowed_buffer(void *arg)
{
    struct process *p = arg;
    uint8_t *flag = host_ptr(p->mem_start + 8);
    host_syscall(p, SYSCALL_CLASS_YIELD, 0, host_addr(flag), 0, 0);
    // The kernel wrote it; the test reads it back through the revoke path.
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, 0, 0);
    _exit(*flag == 0 ? 0 : 4);
}

// The yield-no-wait flag byte may lie in a buffer the process has allowed (it is the
// process's memory): the kernel's own store of the flag must not trip the host build's
// poisoning of allowed buffers.
static void yield_no_wait_flag_inside_allowed_buffer_is_written(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    host_ptr(p->mem_start + 8)[0] = 0x77;
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 0, p->mem_start, 16);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    struct host_child c;
    host_run_child(yield_flag_in_allowed_buffer, p, &c);
    host_expect_clean_child(&c);
}

// Yield-wait-for returns the arguments of the first queued task for (driver, subscribe)
// in r0-r2 (r3 untouched, no variant, no function call, callable or null record alike)
// and leaves the other tasks queued in order; with no match the process blocks until a
// matching upcall arrives, and non-matching ones do not wake it.
static void yield_wait_for_returns_matching_args_keeps_others(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, p->app_start + 0x11, 0xAD);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 1, 2, 3), OK);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 4, 5, 6), OK); // null record
    assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 7, 8, 9), OK);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 10, 11, 12), OK);
    uint32_t pc = p->ctx.pc, pushes = p->ctx.upcall_args;

    host_syscall(p, SYSCALL_CLASS_YIELD, 2, DRV_S, 1, 0xCAFE);
    host_expect_regs(p, 4, 5, 6, 0xCAFE);
    assert_int_equal(p->state, PROC_RUNNING);
    assert_int_equal(p->q_len, 3);
    assert_int_equal(queued(p, 0)->a[0], 1);
    assert_int_equal(queued(p, 1)->a[0], 7);
    assert_int_equal(queued(p, 2)->a[0], 10);

    host_syscall(p, SYSCALL_CLASS_YIELD, 2, DRV_S, 0, 0xCAFE);
    host_expect_regs(p, 1, 2, 3, 0xCAFE);
    assert_int_equal(p->ctx.pc, pc);
    assert_int_equal(p->ctx.upcall_args, pushes);
    assert_int_equal(p->q_len, 2);
    assert_int_equal(queued(p, 0)->a[0], 7);
    assert_int_equal(queued(p, 1)->a[0], 10);

    host_syscall(p, SYSCALL_CLASS_YIELD, 2, DRV_S, 2, 0);
    assert_int_equal(p->state, PROC_YIELDED_FOR);
    host_expect_regs(p, 2, DRV_S, 2, 0); // nothing written yet
    assert_false(process_runnable(p));
    assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 0, 0, 0), OK);
    assert_false(process_runnable(p));
    assert_false(syscall_resume_yielded(p));
    assert_int_equal(upcall_schedule(p->id, DRV_S, 2, 13, 14, 15), OK);
    assert_true(process_runnable(p));
    assert_true(syscall_resume_yielded(p));
    assert_int_equal(p->state, PROC_RUNNING);
    host_expect_regs(p, 13, 14, 15, 0);
    assert_int_equal(p->q_len, 3);
}

// Yield-wait-for matches the full 32-bit driver and subscribe numbers: an event queued for
// (driver, 0) satisfies neither a wait for (driver, 256) nor one for (driver + 2^24, 0).
static void yield_wait_for_matches_full_driver_and_subscribe_numbers(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    struct process *q = host_proc_new(1, HOST_RAM_DEFAULT);
    // Both use the driver (a null subscribe), so its events are queued as null records.
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, 0, 0);
    host_syscall(q, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, 0, 0);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 1, 2, 3), OK);
    assert_int_equal(upcall_schedule(q->id, DRV_S, 0, 1, 2, 3), OK);

    host_syscall(p, SYSCALL_CLASS_YIELD, 2, DRV_S, 0x100, 0);
    assert_int_equal(p->state, PROC_YIELDED_FOR);
    assert_int_equal(p->q_len, 1);
    host_expect_regs(p, 2, DRV_S, 0x100, 0);

    host_syscall(q, SYSCALL_CLASS_YIELD, 2, DRV_S | 0x01000000u, 0, 0);
    assert_int_equal(q->state, PROC_YIELDED_FOR);
    assert_int_equal(q->q_len, 1);
    host_expect_regs(q, 2, DRV_S | 0x01000000u, 0, 0);
}

// A process in slot index subscribed to DRV_S's upcall 1 (function app_start + 0x21,
// appdata 5) and blocked in yield-wait with nothing queued.
static struct process *blocked_in_yield_wait(unsigned index)
{
    struct process *p = host_proc_new(index, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 1, p->app_start + 0x21, 0x5);
    host_syscall(p, SYSCALL_CLASS_YIELD, 1, 0, 0, 0);
    assert_int_equal(p->state, PROC_YIELDED);
    assert_int_equal(p->q_len, 0);
    return p;
}

// Empty the scheduler's ready set, to see what an event adds to it.
static void ready_set_clear(void)
{
    for (unsigned w = 0; w < SCHED_WORDS; w++)
        sched_ready_set[w] = 0;
    sched_ready_words = 0;
}

// Yield-wait with nothing callable blocks; a queued upcall then runs with its arguments.
static void yield_wait_blocks_until_an_upcall(void **state)
{
    (void)state;
    struct process *p = blocked_in_yield_wait(0);
    uint32_t fn = p->app_start + 0x21;
    assert_false(syscall_resume_yielded(p));
    assert_int_equal(upcall_schedule(p->id, DRV_S, 2, 0, 0, 0), OK); // null record
    assert_false(process_runnable(p));
    assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 4, 5, 6), OK);
    assert_true(syscall_resume_yielded(p));
    assert_int_equal(p->state, PROC_RUNNING);
    assert_int_equal(p->ctx.pc, fn);
    host_expect_regs(p, 4, 5, 6, 0x5);
}

// A yielded process whose upcall frame cannot be written is faulted, and resume says so:
// with the stop policy it is dead, with the restart policy it is a fresh incarnation
// waiting for its entry call; neither may be entered (resume returns false).
static void resume_after_failed_delivery_does_not_enter(void **state)
{
    (void)state;
    for (int restart = 0; restart < 2; restart++) {
        host_reset(restart ? &config_restart : &config);
        struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
        uint32_t id = p->id;
        host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 1, p->app_start + 0x21, 0);
        host_syscall(p, SYSCALL_CLASS_YIELD, 1, 0, 0, 0);
        assert_int_equal(p->state, PROC_YIELDED);
        p->ctx.sp = p->mem_start - 64; // as if the frame had left the process's RAM
        // Not delivered at once (upcall_post): queued, and the delivery at the pick faults.
        assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 4, 5, 6), OK);
        assert_int_equal(p->id, id);
        assert_int_equal(p->q_len, 1);
        assert_false(syscall_resume_yielded(p));
        assert_int_not_equal(p->id, id);
        assert_int_equal(p->state, restart ? PROC_YIELDED : PROC_FAULTED);
        assert_int_equal(p->restarts, restart ? 1 : 0);
    }
}

// An event for a process blocked in yield-wait with nothing queued is delivered at once
// (upcall_post): the upcall frame is written, the process is runnable and in the ready
// set, and nothing stays queued. A later event queues behind it, as the queue path would.
static void upcall_to_blocked_yield_wait_is_delivered_at_once(void **state)
{
    (void)state;
    struct process *p = blocked_in_yield_wait(0);
    uint32_t fn = p->app_start + 0x21;
    ready_set_clear();
    uint32_t pushes = p->ctx.upcall_args;
    assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 4, 5, 6), OK);
    assert_int_equal(p->state, PROC_RUNNING);
    assert_int_equal(p->q_len, 0);
    assert_int_equal(p->ctx.upcall_args, pushes + 1);
    assert_int_equal(p->ctx.pc, fn);
    host_expect_regs(p, 4, 5, 6, 0x5);
    assert_true(sched_ready_set[0] & 1u);
    assert_int_equal(sched_ready_words, 1u);
    assert_true(syscall_resume_yielded(p)); // runnable as it is, nothing more delivered
    assert_int_equal(p->ctx.upcall_args, pushes + 1);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 7, 8, 9), OK);
    assert_int_equal(p->q_len, 1);
    assert_int_equal(queued(p, 0)->a[0], 7);
    host_expect_regs(p, 4, 5, 6, 0x5);
}

// What upcall_post must not hand over at once, and queues instead: a null upcall (a null
// record, yield-wait drops it), an event when older ones are queued (order), one for a
// process stopped in yield-wait, one a yield-wait-for does not await.
static void upcall_post_queues_what_it_must_not_deliver(void **state)
{
    (void)state;
    struct process *p = blocked_in_yield_wait(0);
    uint32_t pushes = p->ctx.upcall_args;
    assert_int_equal(upcall_schedule(p->id, DRV_S, 2, 1, 2, 3), OK); // null upcall
    assert_int_equal(p->state, PROC_YIELDED);
    assert_int_equal(p->q_len, 1);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 1, 4, 5, 6), OK); // behind it
    assert_int_equal(p->state, PROC_YIELDED);
    assert_int_equal(p->q_len, 2);
    assert_int_equal(p->ctx.upcall_args, pushes);
    assert_true(syscall_resume_yielded(p)); // the null record dropped, the upcall runs
    host_expect_regs(p, 4, 5, 6, 0x5);

    struct process *q = blocked_in_yield_wait(1);
    assert_int_equal(process_control(1, PROCESS_ACTION_STOP), OK);
    assert_int_equal(upcall_schedule(q->id, DRV_S, 1, 4, 5, 6), OK);
    assert_int_equal(q->state, PROC_STOPPED);
    assert_int_equal(q->q_len, 1);
    assert_int_equal(process_control(1, PROCESS_ACTION_RESUME), OK);
    assert_true(syscall_resume_yielded(q));
    host_expect_regs(q, 4, 5, 6, 0x5);

    struct process *r = host_proc_new(2, HOST_RAM_DEFAULT);
    host_syscall(r, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, 0, 0);
    host_syscall(r, SYSCALL_CLASS_YIELD, 2, DRV_S, 1, 0xCAFE);
    assert_int_equal(upcall_schedule(r->id, DRV_S, 0, 4, 5, 6), OK); // not awaited
    assert_int_equal(r->state, PROC_YIELDED_FOR);
    assert_int_equal(r->q_len, 1);
    host_expect_regs(r, 2, DRV_S, 1, 0xCAFE);
}

// An IPC notification is never handed over at once, even to a process blocked on exactly
// it: its delivery resolves the notifier's id into the shared buffer (here none: length
// and address 0) and maps it, which only the queue path's delivery does. Handed over at
// once, the process would see the notifier's raw id in its second argument.
static void ipc_notification_is_queued_for_a_blocked_process(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    struct process *q = host_proc_new(1, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, IPC_DRIVER_NUM, 1, p->app_start + 0x31, 0x7);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_YIELD, 1, 0, 0, 0);
    uint32_t pushes = p->ctx.upcall_args;
    assert_int_equal(upcall_schedule(p->id, IPC_DRIVER_NUM, 1, 1, q->id, 0), OK);
    assert_int_equal(p->state, PROC_YIELDED);
    assert_int_equal(p->q_len, 1);
    assert_int_equal(p->ctx.upcall_args, pushes);
    assert_true(syscall_resume_yielded(p));
    host_expect_regs(p, 1, 0, 0, 0x7);

    // The same for a yield-wait-for awaiting IPC's upcall 1.
    host_syscall(p, SYSCALL_CLASS_YIELD, 2, IPC_DRIVER_NUM, 1, 0);
    assert_int_equal(p->state, PROC_YIELDED_FOR);
    assert_int_equal(upcall_schedule(p->id, IPC_DRIVER_NUM, 1, 1, q->id, 0), OK);
    assert_int_equal(p->state, PROC_YIELDED_FOR);
    assert_int_equal(p->q_len, 1);
    assert_true(syscall_resume_yielded(p));
    assert_int_equal(p->q_len, 0);
    assert_int_equal(arch_syscall_regs(&p->ctx)[0], 1);
    assert_int_equal(arch_syscall_regs(&p->ctx)[1], 0);
    assert_int_equal(arch_syscall_regs(&p->ctx)[2], 0);
}

// A yield-wait-for awaiting exactly the event, with nothing queued, returns its arguments
// at once (r3 untouched, no call) and is runnable and in the ready set; nothing is queued.
static void upcall_to_awaiting_yield_wait_for_returns_at_once(void **state)
{
    (void)state;
    struct process *p = host_proc_new(3, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, p->app_start + 0x11, 0xAD);
    host_syscall(p, SYSCALL_CLASS_YIELD, 2, DRV_S, 0, 0xCAFE);
    assert_int_equal(p->state, PROC_YIELDED_FOR);
    ready_set_clear();
    uint32_t pc = p->ctx.pc, pushes = p->ctx.upcall_args;
    assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 13, 14, 15), OK);
    assert_int_equal(p->state, PROC_RUNNING);
    assert_int_equal(p->q_len, 0);
    host_expect_regs(p, 13, 14, 15, 0xCAFE);
    assert_int_equal(p->ctx.pc, pc);
    assert_int_equal(p->ctx.upcall_args, pushes);
    assert_true(sched_ready_set[0] & (1u << 3));
}

// A command whose driver faults (and so restarts) the caller writes no return value:
// the frame now belongs to the next incarnation, which has not run yet.
static void command_that_restarts_caller_writes_nothing(void **state)
{
    (void)state;
    host_reset(&config_restart);
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_KILL, 7, 0, 0);
    assert_int_equal(p->restarts, 1);
    assert_int_equal(p->state, PROC_YIELDED);
    host_expect_regs(p, 0, 0, 0, 0);
}

// ---- upcall queue -----------------------------------------------------------------------

// The queue holds 8 tasks. A 9th of the same origin makes room by dropping that origin's
// oldest, counted in dropped_upcalls (the whole policy: test_upcall_queue.c). Room made by
// a yield is usable again; a stale pid gets NODEVICE and is not counted.
static void upcall_queue_overflow_drops_and_counts(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, p->app_start, 0);
    for (uint32_t i = 0; i < UPCALL_QUEUE_LEN; i++)
        assert_int_equal(upcall_schedule(p->id, DRV_S, 0, i, 0, 0), OK);
    assert_int_equal(p->dropped_upcalls, 0);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 100, 0, 0), OK);
    assert_int_equal(p->dropped_upcalls, 1);
    assert_int_equal(p->q_len, UPCALL_QUEUE_LEN);
    for (unsigned i = 0; i + 1 < UPCALL_QUEUE_LEN; i++)
        assert_int_equal(queued(p, i)->a[0], i + 1);
    assert_int_equal(queued(p, UPCALL_QUEUE_LEN - 1)->a[0], 100);

    host_syscall(p, SYSCALL_CLASS_YIELD, 0, 0, 0, 0);
    assert_int_equal(p->ctx.pc, p->app_start); // the oldest task ran
    assert_int_equal(p->q_len, UPCALL_QUEUE_LEN - 1);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 8, 0, 0), OK);
    assert_int_equal(queued(p, UPCALL_QUEUE_LEN - 1)->a[0], 8);
    assert_int_equal(p->dropped_upcalls, 1);

    procid_t old = p->id;
    process_restart(p);
    assert_int_equal(p->dropped_upcalls, 0);
    assert_int_equal(upcall_schedule(old, DRV_S, 0, 0, 0, 0), NODEVICE);
    assert_int_equal(p->dropped_upcalls, 0);
    assert_int_equal(p->q_len, 1); // just the entry call
}

// upcall_schedule with a subscribe number at or past what the driver declared returns
// INVAL and queues nothing (contract in cairn/process.h).
static void upcall_schedule_rejects_undeclared_subscribe_number(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, p->app_start, 0);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 3, 0, 0, 0), INVAL);
    assert_int_equal(p->q_len, 0);
}

// ---- exit and command ---------------------------------------------------------------------

// Exit-terminate ends the process: terminated, completion code kept, queue emptied, grants
// released, and its pid stale for lookups, grants and upcalls. Exit-restart starts a new
// incarnation with a new pid and its entry call queued.
static void exit_terminate_makes_pid_stale_and_restart_renews_it(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t pcb = host_addr(p);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, p->app_start, 0);
    assert_int_equal(upcall_schedule(p->id, DRV_S, 0, 1, 2, 3), OK);
    procid_t old = p->id;

    host_syscall(p, SYSCALL_CLASS_EXIT, 0, 42, 0, 0);
    assert_int_equal(p->state, PROC_TERMINATED);
    assert_int_equal(p->completion_code, 42);
    assert_int_equal(p->q_len, 0);
    assert_int_equal(p->kernel_brk, pcb);
    assert_null(process_get(old));
    assert_false(process_alive(old));
    assert_false(process_alive(p->id));
    assert_int_equal(upcall_schedule(old, DRV_S, 0, 0, 0, 0), NODEVICE);
    assert_int_equal(grant_enter(&grant_s, old, never_cb, NULL), NODEVICE);

    struct process *q = host_proc_new(1, HOST_RAM_DEFAULT);
    procid_t qold = q->id;
    host_syscall(q, SYSCALL_CLASS_EXIT, 1, 7, 0, 0);
    assert_int_not_equal(q->id, qold);
    assert_true(process_alive(q->id));
    assert_false(process_alive(qold));
    assert_int_equal(q->state, PROC_YIELDED);
    assert_int_equal(q->completion_code, 7);
    assert_int_equal(q->restarts, 1);
    assert_int_equal(q->q_len, 1);
    assert_int_equal(queued(q, 0)->origin, TASK_ORIGIN_KERNEL);
    assert_int_equal(queued(q, 0)->fn, q->entry);
}

// Exit with an unknown r0 returns Failure NOSUPPORT and the process goes on as it was.
static void exit_unknown_kind_is_nosupport(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    procid_t pid = p->id;
    host_syscall(p, SYSCALL_CLASS_EXIT, 2, 5, 0, 0);
    assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);
    assert_int_equal(p->ctx.regs[1], NOSUPPORT);
    assert_int_equal(p->state, PROC_RUNNING);
    assert_int_equal(p->id, pid);
}

// Command to an unknown driver is Failure NODEVICE without reaching any driver; to a known
// driver it passes (pid, command, arg0, arg1) and returns the driver's variant and values.
static void command_reaches_driver_or_is_nodevice(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_MISSING, 1, 2, 3);
    assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);
    assert_int_equal(p->ctx.regs[1], NODEVICE);
    assert_int_equal(last_cmd.calls, 0);
    host_syscall(p, SYSCALL_CLASS_COMMAND, 0, 0, 0, 0);
    assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);
    assert_int_equal(p->ctx.regs[1], NODEVICE);

    host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_NOGRANT, 7, 8, 9);
    host_expect_regs(p, SYSCALL_SUCCESS_3U32, 7, 8, 9);
    assert_int_equal(last_cmd.calls, 1);
    assert_int_equal(last_cmd.driver, DRV_NOGRANT);
    assert_int_equal(last_cmd.pid, p->id);
    host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_BIG, 1, 0xFFFFFFFFu, 0x80000000u);
    host_expect_regs(p, SYSCALL_SUCCESS_3U32, 1, 0xFFFFFFFFu, 0x80000000u);
    assert_int_equal(last_cmd.driver, DRV_BIG);
    assert_int_equal(p->syscalls, 4);
}

// ---- the TBF Permissions filter ------------------------------------------------------------

// Give p a Permissions TLV of n entries {driver, offset, allowed commands}: written into
// its flash as a TBF header holding that TLV alone (the kernel finds the entries there at
// every filtered call, 2-byte aligned after the count) and handed to the kernel as the
// loader does. A fake header: it may run into the fake binary, which nothing executes.
struct perm_entry {
    uint32_t driver, offset;
    uint64_t mask;
};

static void put_le(uint8_t *at, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        at[i] = (uint8_t)(v >> (8 * i));
}

static void give_permissions(struct process *p, const struct perm_entry *e, uint16_t n)
{
    uint8_t *hdr = (uint8_t *)(uintptr_t)p->flash_start;
    uint32_t len = 2 + 16u * n, hs = TBF_BASE_HEADER_SIZE + 4 + ((len + 3) & ~3u);
    assert_true(hs <= HOST_FLASH_SLOT);
    memset(hdr, 0, hs);
    put_le(hdr, 2, 2); // version
    put_le(hdr + 2, hs, 2);
    put_le(hdr + 16, TBF_TLV_PERMISSIONS, 2);
    put_le(hdr + 18, len, 2);
    put_le(hdr + 20, n, 2);
    for (uint16_t i = 0; i < n; i++) {
        put_le(hdr + 22 + 16 * i, e[i].driver, 4);
        put_le(hdr + 26 + 16 * i, e[i].offset, 4);
        put_le(hdr + 30 + 16 * i, e[i].mask, 8);
    }
    struct tbf_header h = {.has_permissions = true, .permission_count = n, .permissions = hdr + 22};
    process_set_permissions(p, &h);
    assert_true(process_filtered(p));
    assert_int_equal(p->frame_limit, 0); // no port's frame check passes it
}

// DRV_S: commands 1 and 3 (offset 0), 66 (offset 1, a second entry for the same driver);
// DRV_NOGRANT listed with no command at all; IPC and every other driver unlisted.
static const struct perm_entry test_perms[] = {
    {DRV_S, 0, (1u << 1) | (1u << 3)},
    {DRV_NOGRANT, 0, 0},
    {DRV_S, 1, 1u << 2},
};

// An unlisted driver answers NODEVICE in every filtered class, exactly as a driver the board
// does not have answers an unfiltered process (same registers), and its driver never runs.
static void permissions_unlisted_driver_is_nodevice_in_every_class(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    struct process *q = host_proc_new(1, HOST_RAM_DEFAULT); // no TLV: the reference
    give_permissions(p, test_perms, 3);
    uint32_t fn = p->app_start + 0x21, buf = p->mem_start + 0x10;
    static const uint32_t classes[] = {SYSCALL_CLASS_SUBSCRIBE, SYSCALL_CLASS_COMMAND,
                                       SYSCALL_CLASS_ALLOW_RW, SYSCALL_CLASS_ALLOW_RO,
                                       SYSCALL_CLASS_ALLOW_URA};
    for (unsigned i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        uint32_t cls = classes[i];
        uint32_t a2 = cls == SYSCALL_CLASS_SUBSCRIBE ? fn : buf;
        uint32_t a2q = cls == SYSCALL_CLASS_SUBSCRIBE ? q->app_start + 0x21 : q->mem_start + 0x10;
        // Unlisted and present (DRV_ZERO, IPC), unlisted and absent (DRV_MISSING).
        static const uint32_t unlisted[] = {DRV_ZERO, IPC_DRIVER_NUM, DRV_MISSING};
        for (unsigned k = 0; k < sizeof unlisted / sizeof unlisted[0]; k++) {
            host_syscall(p, cls, unlisted[k], 0, a2, 8);
            host_syscall(q, cls, DRV_MISSING, 0, a2q, 8);
            if (cls == SYSCALL_CLASS_COMMAND) {
                host_expect_regs(p, SYSCALL_FAILURE, NODEVICE, a2, 8);
                host_expect_regs(q, SYSCALL_FAILURE, NODEVICE, a2q, 8);
            } else {
                expect_fail_echo(p, NODEVICE, a2, 8);
                expect_fail_echo(q, NODEVICE, a2q, 8);
            }
            assert_int_equal(p->state, PROC_RUNNING);
        }
    }
    assert_int_equal(last_cmd.calls, 0);
    // Nothing was allocated for a refused driver: no grant block, no raised allow mark.
    assert_int_equal(p->kernel_brk, (uint32_t)(uintptr_t)p);
    assert_int_equal(p->allow_hwm, p->mem_start);
    assert_int_equal(p->syscalls, 15);
}

// A listed driver gets exactly the commands whose bit is set, entries of one driver with
// different offsets combining; every other command of it is NODEVICE without reaching it.
static void permissions_listed_driver_gets_only_its_commands(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    give_permissions(p, test_perms, 3);
    static const uint32_t allowed[] = {1, 3, 66};
    for (unsigned i = 0; i < 3; i++) {
        host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_S, allowed[i], 10, 20);
        host_expect_regs(p, SYSCALL_SUCCESS_3U32, allowed[i], 10, 20);
        assert_int_equal(last_cmd.calls, i + 1);
        assert_int_equal(last_cmd.cmd, allowed[i]);
    }
    static const uint32_t refused[] = {0, 2, 4, 63, 64, 65, 67, 130, 0xFFFFFFFFu};
    for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_S, refused[i], 10, 20);
        host_expect_regs(p, SYSCALL_FAILURE, NODEVICE, 10, 20);
    }
    // Listed with an empty mask: subscribe and allow reach it, no command does.
    host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_NOGRANT, 0, 1, 2);
    host_expect_regs(p, SYSCALL_FAILURE, NODEVICE, 1, 2);
    assert_int_equal(last_cmd.calls, 3);
}

// Subscribe and the allows of a listed driver are served as for anyone: the grant is
// allocated, the previous values come back, and a listed driver's own failures (no grant:
// NOMEM) show the call went past the filter.
static void permissions_listed_driver_subscribe_and_allow_work(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    give_permissions(p, test_perms, 3);
    uint32_t fn = p->app_start + 0x21, buf = p->mem_start + 0x10;
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 2, fn, 0x77);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 2, 0, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, fn, 0x77, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_S, 1, buf, 8);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_S, 0, p->app_start, 4);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_URA, DRV_S, 0, buf, 8);
    expect_fail_echo(p, NOSUPPORT, buf, 8); // as for any process: no driver takes one
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_NOGRANT, 0, fn, 1);
    expect_fail_echo(p, NOMEM, fn, 1);
}

// Yield, memop and exit are never filtered, not even by a TLV with no entries (which
// refuses every other call); the filter and frame_limit 0 survive a moved break and a
// restart, and a process without the TLV next to it is not affected.
static void permissions_leave_yield_memop_exit_and_others_alone(void **state)
{
    (void)state;
    host_reset(&config_restart);
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    struct process *q = host_proc_new(1, HOST_RAM_DEFAULT);
    give_permissions(p, test_perms, 0);
    host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_S, 1, 0, 0);
    host_expect_regs(p, SYSCALL_FAILURE, NODEVICE, 0, 0);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_S, 0, 0, 0);
    expect_fail_echo(p, NODEVICE, 0, 0);

    memop(p, MEMOP_RAM_START, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, p->mem_start, 0, 0);
    uint32_t old = p->app_brk;
    memop(p, MEMOP_SBRK, 64);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_U32);
    assert_int_equal(p->ctx.regs[1], old);
    assert_int_equal(p->app_brk, old + 64);
    assert_int_equal(p->frame_limit, 0);

    uint32_t flag = p->mem_start + 4;
    *(uint8_t *)(uintptr_t)flag = 0x5A;
    host_syscall(p, SYSCALL_CLASS_YIELD, YIELD_NO_WAIT, flag, 0, 0);
    assert_int_equal(*(uint8_t *)(uintptr_t)flag, 0);
    assert_int_equal(p->state, PROC_RUNNING);

    host_syscall(q, SYSCALL_CLASS_COMMAND, DRV_S, 1, 5, 6);
    host_expect_regs(q, SYSCALL_SUCCESS_3U32, 1, 5, 6);
    assert_false(process_filtered(q));
    assert_int_equal(q->frame_limit, process_frame_limit(q->mem_start, q->app_brk));

    // exit-restart: a new incarnation, filtered as the old one was.
    procid_t old_id = p->id;
    host_syscall(p, SYSCALL_CLASS_EXIT, EXIT_RESTART, 3, 0, 0);
    assert_int_not_equal(p->id, old_id);
    assert_true(process_filtered(p));
    assert_int_equal(p->frame_limit, 0);
    assert_true(syscall_resume_yielded(p));
    host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_S, 1, 0, 0);
    host_expect_regs(p, SYSCALL_FAILURE, NODEVICE, 0, 0);
    host_syscall(p, SYSCALL_CLASS_YIELD, YIELD_WAIT, 0, 0, 0);
    assert_int_equal(p->state, PROC_YIELDED);
    p->state = PROC_RUNNING; // as if an upcall had come (none is subscribed)
    host_syscall(p, SYSCALL_CLASS_EXIT, EXIT_TERMINATE, 0, 0, 0);
    assert_int_equal(p->state, PROC_TERMINATED);
}

// The C fast entry (what the RISC-V port calls at every ecall) applies the filter too and
// serves the refusal in the trap; the entry for ports that checked the frame themselves
// is never given a filtered process (frame_limit 0), so only this one is exercised.
static void permissions_apply_on_the_fast_entry(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    give_permissions(p, test_perms, 3);
    p->mpu_dirty = 0; // as once the kernel has loaded its plan: the call may resume it
    p->ctx.svc_num = SYSCALL_CLASS_COMMAND;
    p->ctx.regs[0] = DRV_S;
    p->ctx.regs[1] = 2;
    assert_int_equal(kernel_fast_syscall(&p->ctx), FAST_SYSCALL_RESUME);
    assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);
    assert_int_equal(p->ctx.regs[1], NODEVICE);
    p->ctx.regs[0] = DRV_S;
    p->ctx.regs[1] = 3;
    assert_int_equal(kernel_fast_syscall(&p->ctx), FAST_SYSCALL_RESUME);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_3U32);
    assert_int_equal(last_cmd.calls, 1);
    p->ctx.svc_num = SYSCALL_CLASS_ALLOW_RW;
    p->ctx.regs[0] = DRV_BIG;
    p->ctx.regs[1] = 0;
    p->ctx.regs[2] = p->mem_start + 0x10;
    p->ctx.regs[3] = 4;
    assert_int_equal(kernel_fast_syscall(&p->ctx), FAST_SYSCALL_RESUME);
    expect_fail_echo(p, NODEVICE, p->mem_start + 0x10, 4);
    assert_int_equal(p->syscalls, 3);
}

// An unknown syscall class or yield number faults the process (stop policy: its pid goes
// stale and it stays faulted).
static void unknown_class_or_yield_number_faults_the_process(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    struct process *q = host_proc_new(1, HOST_RAM_DEFAULT);
    procid_t pp = p->id, qq = q->id;
    host_syscall(p, 8, 0, 0, 0, 0);
    assert_int_equal(p->state, PROC_FAULTED);
    assert_false(process_alive(pp));
    host_syscall(q, SYSCALL_CLASS_YIELD, 3, 0, 0, 0);
    assert_int_equal(q->state, PROC_FAULTED);
    assert_false(process_alive(qq));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(subscribe_returns_previous_upcall, test_setup),
        cmocka_unit_test_setup(subscribe_bad_function_is_inval_and_keeps_old_upcall, test_setup),
        cmocka_unit_test_setup(subscribe_failures_echo_arguments, test_setup),
        cmocka_unit_test_setup(subscribe_purges_pending_upcalls_of_its_slot, test_setup),
        cmocka_unit_test_setup(allow_validates_buffers, test_setup),
        cmocka_unit_test_setup(allow_failures_echo_arguments, test_setup),
        cmocka_unit_test_setup(allow_swap_returns_previous_buffer, test_setup),
        cmocka_unit_test_setup(allow_raises_high_water_mark_for_brk, test_setup),
        cmocka_unit_test_setup(memop_brk_and_sbrk, test_setup),
        cmocka_unit_test_setup(memop_reports_memory_layout, test_setup),
        cmocka_unit_test_setup(memop_reports_writeable_flash_regions, test_setup),
        cmocka_unit_test_setup(memop_unknown_op_is_nosupport, test_setup),
        cmocka_unit_test_setup(yield_no_wait_writes_flag_only_inside_ram, test_setup),
        cmocka_unit_test_setup(yield_no_wait_flag_inside_allowed_buffer_is_written, test_setup),
        cmocka_unit_test_setup(yield_wait_for_returns_matching_args_keeps_others, test_setup),
        cmocka_unit_test_setup(yield_wait_for_matches_full_driver_and_subscribe_numbers,
                               test_setup),
        cmocka_unit_test_setup(yield_wait_blocks_until_an_upcall, test_setup),
        cmocka_unit_test_setup(resume_after_failed_delivery_does_not_enter, test_setup),
        cmocka_unit_test_setup(command_that_restarts_caller_writes_nothing, test_setup),
        cmocka_unit_test_setup(upcall_queue_overflow_drops_and_counts, test_setup),
        cmocka_unit_test_setup(upcall_schedule_rejects_undeclared_subscribe_number, test_setup),
        cmocka_unit_test_setup(upcall_to_blocked_yield_wait_is_delivered_at_once, test_setup),
        cmocka_unit_test_setup(upcall_post_queues_what_it_must_not_deliver, test_setup),
        cmocka_unit_test_setup(ipc_notification_is_queued_for_a_blocked_process, test_setup),
        cmocka_unit_test_setup(upcall_to_awaiting_yield_wait_for_returns_at_once, test_setup),
        cmocka_unit_test_setup(exit_terminate_makes_pid_stale_and_restart_renews_it, test_setup),
        cmocka_unit_test_setup(exit_unknown_kind_is_nosupport, test_setup),
        cmocka_unit_test_setup(command_reaches_driver_or_is_nodevice, test_setup),
        cmocka_unit_test_setup(unknown_class_or_yield_number_faults_the_process, test_setup),
        cmocka_unit_test_setup(permissions_unlisted_driver_is_nodevice_in_every_class, test_setup),
        cmocka_unit_test_setup(permissions_listed_driver_gets_only_its_commands, test_setup),
        cmocka_unit_test_setup(permissions_listed_driver_subscribe_and_allow_work, test_setup),
        cmocka_unit_test_setup(permissions_leave_yield_memop_exit_and_others_alone, test_setup),
        cmocka_unit_test_setup(permissions_apply_on_the_fast_entry, test_setup),
    };
    return cmocka_run_group_tests(tests, group_setup, host_arena_unmap);
}

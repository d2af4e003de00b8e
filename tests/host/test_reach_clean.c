// SPDX-License-Identifier: Apache-2.0
// Host tests: every byte the MPU lets a process reach is zero or written by that incarnation.
//
// The host MPU model is set to cover RAM in 64-byte granules (arch_host_mpu_granule), so a
// process reaches up to 63 bytes above its break, as with PMSAv7 subregions. An earlier
// incarnation leaves its own bytes and its grants (upcall pointers, appdata, allowed
// buffer addresses) in the block; a restart, a boot after terminate or a fault, and every
// later break move must keep all of that out of reach. Zeroing is lazy: only what the MPU
// exposes for the first time in an incarnation is cleared.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host_proc.h"
#include <cairn/grant.h>
#include <cairn/procinfo.h>

#define DRV_G   0x90030u
#define GRANULE 64u
#define OLD     0x5Au // what the earlier incarnation writes everywhere it can

struct g_state {
    uint32_t words[8];
};

static struct grant grant_g = GRANT_INIT(DRV_G, struct g_state, 2, 1, 1);

static void fill_state(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)ctx;
    memset(state, 0xEE, sizeof(struct g_state));
}

static struct cmd_result cmd_g(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t a0,
                               uint32_t a1)
{
    (void)d;
    (void)cmd;
    (void)a0;
    (void)a1;
    int err = grant_enter(&grant_g, pid, fill_state, NULL);
    return err ? cmd_failure(err) : cmd_success();
}

static const struct driver drivers[] = {{DRV_G, cmd_g, NULL}};

static const struct kernel_config config = {
    .drivers = drivers,
    .n_drivers = 1,
    .fault_policy = FAULT_POLICY_RESTART,
    .restart_threshold = 100,
};

static int group_setup(void **state)
{
    grant_register(&grant_g);
    return host_arena_map(state);
}

static int test_setup(void **state)
{
    (void)state;
    host_reset(&config);
    arch_host_mpu_granule = GRANULE;
    return 0;
}

static int test_teardown(void **state)
{
    (void)state;
    arch_host_mpu_granule = 0;
    return 0;
}

static uint32_t reach(const struct process *p)
{
    return arch_mpu_ram_reach(p->mem_start, p->mem_len, p->app_brk);
}

// The first byte in [from, to) that is not zero, or 0 if none.
static uint32_t first_dirty(uint32_t from, uint32_t to)
{
    for (uint32_t a = from; a < to; a++)
        if (host_ptr(a)[0] != 0)
            return a;
    return 0;
}

static void expect_reach_clean(const struct process *p, uint32_t from)
{
    uint32_t bad = first_dirty(from, reach(p));
    if (bad)
        print_error("byte at mem_start+0x%x is 0x%02x (break +0x%x, reach +0x%x)\n",
                    (unsigned)(bad - p->mem_start), host_ptr(bad)[0],
                    (unsigned)(p->app_brk - p->mem_start), (unsigned)(reach(p) - p->mem_start));
    assert_int_equal(bad, 0);
}

static void set_brk(struct process *p, uint32_t to)
{
    host_syscall(p, SYSCALL_CLASS_MEMOP, MEMOP_BRK, to, 0, 0);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
}

// An incarnation that leaves as much behind as it can: grants with upcalls, appdata and
// allowed buffers, state filled by its driver, and OLD over all it reaches; the break ends
// low again (a shrink zeroes nothing), so that the grants sit where a later break reaches.
static void dirty(struct process *p)
{
    uint32_t m = p->mem_start;
    set_brk(p, m + 300);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_G, 0, p->app_start | 1u, 0xA99DA7A);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, DRV_G, 1, m + 0x11, 0xA99DA7B);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_G, 0, m + 200, 16);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_G, 0, m + 100, 16);
    host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_G, 1, 0, 0);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
    assert_true(p->kernel_brk < host_addr(p));
    // All it reaches, allowed buffers included (through their revocation: then the host
    // build no longer poisons them).
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, DRV_G, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, DRV_G, 0, 0, 0);
    memset(host_ptr(m), OLD, reach(p) - m);
}

// After a new incarnation starts (restart, or boot after terminate or a fault): nothing
// of the old one is reachable, at the first break nor at any break up to the grant area,
// however the break gets there (one move, or step by step with shrinks in between).
static void expect_new_incarnation_clean(struct process *p)
{
    uint32_t m = p->mem_start;
    assert_int_equal(p->kernel_brk, host_addr(p));
    expect_reach_clean(p, m);
    uint32_t steps[] = {m + 40, m + 100, m + 70, m + 260, m + 130, m + 1000, m + 600};
    for (unsigned i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        set_brk(p, steps[i]);
        expect_reach_clean(p, m);
    }
    // As high as the MPU allows below the control block.
    uint32_t top = m + (p->kernel_brk - m) / GRANULE * GRANULE;
    set_brk(p, top - GRANULE + 1);
    assert_int_equal(reach(p), top);
    expect_reach_clean(p, m);
    set_brk(p, top);
    expect_reach_clean(p, m);
}

static void restart_leaves_nothing_reachable(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    dirty(p);
    process_restart(p);
    assert_true(syscall_resume_yielded(p));
    expect_new_incarnation_clean(p);
    // And again, from an incarnation that reached higher.
    dirty(p);
    host_syscall(p, SYSCALL_CLASS_EXIT, EXIT_RESTART, 0, 0, 0);
    assert_true(syscall_resume_yielded(p));
    expect_new_incarnation_clean(p);
}

static void boot_after_terminate_or_fault_leaves_nothing_reachable(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    dirty(p);
    assert_int_equal(process_control(0, PROCESS_ACTION_TERMINATE), OK);
    assert_int_equal(process_control(0, PROCESS_ACTION_BOOT), OK);
    assert_true(syscall_resume_yielded(p));
    expect_new_incarnation_clean(p);

    dirty(p);
    process_fault(p, "test", false); // restart policy
    assert_true(syscall_resume_yielded(p));
    expect_new_incarnation_clean(p);
}

// Within one incarnation: memory below a raised break always starts zeroed (the brk
// contract), slack above the break that this incarnation reached before keeps what it
// wrote there (its own), and only what becomes reachable is cleared: bytes the MPU never
// exposed stay untouched, so neither a restart nor a move pays for the whole block. A
// grant may take bytes the process reached before (its break was higher); the break can
// no longer reach them.
static void break_moves_zero_only_what_becomes_reachable(void **state)
{
    (void)state;
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    uint32_t m = p->mem_start;
    assert_int_equal(host_ptr(reach(p))[0], HOST_FILL); // restart: only the first granule
    set_brk(p, m + 1000);
    uint32_t r = reach(p);
    assert_int_equal(r, m + 1024);
    memset(host_ptr(m), 0x33, r - m);
    set_brk(p, m + 100);
    assert_int_equal(host_ptr(r)[0], HOST_FILL); // never reached
    set_brk(p, m + 900);
    for (uint32_t a = m + 100; a < m + 900; a++)
        assert_int_equal(host_ptr(a)[0], 0); // below the raised break: zeroed
    for (uint32_t a = m + 900; a < r; a++)
        assert_int_equal(host_ptr(a)[0], 0x33); // slack it wrote itself: kept
    set_brk(p, m + 1500);
    expect_reach_clean(p, m + 900);
    assert_int_equal(host_ptr(reach(p))[0], HOST_FILL);

    // Up to the top granule under the control block, shrink, then a grant: it lands in
    // bytes the process reached, which are kernel data now. The break cannot reach them
    // again, and the invariant clean_to <= kernel_brk holds.
    uint32_t top = m + (p->kernel_brk - m) / GRANULE * GRANULE;
    set_brk(p, top);
    memset(host_ptr(m), 0x44, top - m);
    set_brk(p, m + 100);
    host_syscall(p, SYSCALL_CLASS_COMMAND, DRV_G, 1, 0, 0);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
    assert_true(p->kernel_brk < top);
    assert_true(p->clean_to <= p->kernel_brk);
    uint32_t top2 = m + (p->kernel_brk - m) / GRANULE * GRANULE;
    host_syscall(p, SYSCALL_CLASS_MEMOP, MEMOP_BRK, top2 + 1, 0, 0);
    assert_int_equal(p->ctx.regs[0], SYSCALL_FAILURE);
    assert_int_equal(p->ctx.regs[1], NOMEM);
    set_brk(p, top2);
    assert_true(reach(p) <= p->kernel_brk);
    for (uint32_t a = m; a < m + 100; a++)
        assert_int_equal(host_ptr(a)[0], 0x44); // its own, kept
    expect_reach_clean(p, m + 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(restart_leaves_nothing_reachable, test_setup,
                                        test_teardown),
        cmocka_unit_test_setup_teardown(boot_after_terminate_or_fault_leaves_nothing_reachable,
                                        test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(break_moves_zero_only_what_becomes_reachable, test_setup,
                                        test_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, host_arena_unmap);
}

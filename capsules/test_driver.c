// SPDX-License-Identifier: Apache-2.0
// Test driver: exit codes and kernel memory figures for QEMU tests.
#include "test_driver.h"

#include <cairn/errorcode.h>
#include <cairn/kprint.h>
#include <cairn/procinfo.h>

// Command 8's deferred call: the kernel thread busy (not idle, not suspended for a process)
// while an interrupt may come. Its bottom half must wait for the thread, whose service
// loop runs after this returns (tests/qemu/irq_busy_thread.test).
static void busy(void *ctx)
{
    struct test_driver *t = ctx;
    uint32_t before = kernel_interrupts_serviced();
    for (volatile uint32_t i = 0; i < t->busy_n; i++)
        ;
    kprintf("test driver: busy kernel thread: %u bottom halves ran, an interrupt waits: %d\n",
            (unsigned)(kernel_interrupts_serviced() - before), (int)kernel_interrupt_waiting());
}

void test_driver_init(struct test_driver *t, void (*exit_fn)(int code))
{
    t->exit_fn = exit_fn;
    deferred_call_register(&t->busy, busy, t);
    t->grant = (struct grant)GRANT_INIT(TEST_DRIVER_NUM, struct test_driver_app, 2, 1, 1);
    grant_register(&t->grant);
}

static void touch(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)state;
    (void)ctx;
}

__attribute__((noinline)) static struct cmd_result
command_other(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0)
{
    struct test_driver *t = d->ctx;
    struct process_info pi;
    // Only the commands that report process figures pay for gathering them.
    if ((cmd == 3 || cmd == 5) && !process_info_get(PROCID_INDEX(pid), &pi))
        return cmd_failure(NODEVICE);
    switch (cmd) {
    case 4: {
        int err = grant_enter(&t->grant, pid, touch, 0);
        return err ? cmd_failure(err) : cmd_success();
    }
    case 1:
        kprintf("test driver: exit %u requested by process id %u\n", (unsigned)arg0,
                (unsigned)process_short_id(pid));
        t->exit_fn((int)arg0);
        return cmd_success();
    case 2:
        return cmd_success_u32(process_pool_free());
    case 3:
        return cmd_success_2u32(pi.kernel_brk - pi.mem_start, pi.app_brk - pi.mem_start);
    case 5:
        return cmd_success_u32(pi.restarts);
    case 7:
        return cmd_success_u32(kernel_interrupts_serviced());
    case 8:
        t->busy_n = arg0 < TEST_BUSY_MAX ? arg0 : TEST_BUSY_MAX;
        deferred_call_schedule(&t->busy);
        return cmd_success();
    default:
        return cmd_failure(NOSUPPORT);
    }
}

struct cmd_result test_driver_command(const struct driver *d, procid_t pid, uint32_t cmd,
                                      uint32_t arg0, uint32_t arg1)
{
    (void)arg1;
    // The null command benchmarks measure: no work at all, and none of the stack the
    // other commands need.
    if (cmd == 0)
        return cmd_success();
    if (cmd == 6) {
        // Notify the process in slot arg0: the cheapest process-to-process wakeup, for
        // the ping-pong benchmark (no data moves, so no grant is needed). Served here,
        // not in command_other, whose frame the process figures make large.
        procid_t target = process_slot_pid(arg0);
        if (target == PROCID_NONE)
            return cmd_failure(INVAL);
        int err = upcall_schedule(target, TEST_DRIVER_NUM, 0, PROCID_INDEX(pid), 0, 0);
        return err ? cmd_failure(err) : cmd_success();
    }
    return command_other(d, pid, cmd, arg0);
}

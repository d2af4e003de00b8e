// SPDX-License-Identifier: Apache-2.0
// restarter: exit-restart over and over; the kernel must give back everything each time.
//
// Every incarnation allocates the same kernel state (console, alarm and test-driver
// grants, allowed buffers, an armed alarm and a queued upcall), measures the kernel's
// view of its memory through the test driver, and restarts itself. It cannot remember
// anything across a restart (its RAM is zeroed again as crt0 re-exposes it), so it asks
// the test driver how often it was restarted (command 5) and prints only on the first
// incarnation and on the RESTARTER_TARGET-th restart:
//   restarter: restarts=N kbrk_off=0x.. app_brk_off=0x.. pool_free=0x..
// (kernel break and break as offsets from mem_start, command 3; process-pool bytes not
// given to any process, command 2). tests/qemu/restart_1000.test checks that the two
// lines agree, i.e. that a thousand restarts leaked nothing. The last incarnation then
// waits forever, so the test can look at it with the console's `list`.

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include "cairn.h"

#define TEST_DRIVER       0xCA170u
#define TEST_CMD_POOL     2
#define TEST_CMD_BRKS     3
#define TEST_CMD_RESTARTS 5

#ifndef RESTARTER_TARGET
#define RESTARTER_TARGET 1000
#endif

static void ignore(int a0, int a1, int a2, void *ud)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)ud;
}

static char rw_buf[32];
static const char ro_text[] = "restarter";

// Takes every kind of per-process kernel state a restart must release.
static void allocate_kernel_state(void)
{
    subscribe(CONSOLE_DRIVER, 1, ignore, NULL);
    allow_ro(CONSOLE_DRIVER, 1, ro_text, sizeof ro_text);
    subscribe(TEST_DRIVER, 0, ignore, NULL);
    allow_rw(TEST_DRIVER, 0, rw_buf, sizeof rw_buf);
    subscribe(ALARM_DRIVER, 0, ignore, NULL);
    // An alarm already due: its upcall is queued by the time we restart (or is still
    // pending in the driver); either way it belongs to a dead incarnation.
    command(ALARM_DRIVER, 5, 0, 0);
}

int main(void)
{
    uint32_t restarts = 0;
    if (command_u32(command(TEST_DRIVER, TEST_CMD_RESTARTS, 0, 0), &restarts) < 0) {
        printf("restarter: the test driver has no restart count\n");
        return 1;
    }
    allocate_kernel_state();
    uint32_t kbrk_off = 0, app_brk_off = 0, pool_free = 0;
    command_u32x2(command(TEST_DRIVER, TEST_CMD_BRKS, 0, 0), &kbrk_off, &app_brk_off);
    command_u32(command(TEST_DRIVER, TEST_CMD_POOL, 0, 0), &pool_free);
    if (restarts == 0 || restarts == RESTARTER_TARGET) {
        // Measured before printf, whose buffer would move the break.
        printf("restarter: restarts=%" PRIu32 " kbrk_off=%#" PRIx32 " app_brk_off=%#" PRIx32
               " pool_free=%#" PRIx32 "\n",
               restarts, kbrk_off, app_brk_off, pool_free);
    }
    if (restarts >= RESTARTER_TARGET) {
        for (;;)
            yield_wait();
    }
    exit_restart(0);
}

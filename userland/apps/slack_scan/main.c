// SPDX-License-Identifier: Apache-2.0
// slack_scan: looks for a previous incarnation's bytes in the memory the MPU exposes.
//
// The MPU covers a process's RAM in granules of block/16 (doc/mpu.md), so the process can
// read and write up to its break rounded up to a granule: the "slack". Every byte it can
// reach must be zero or its own. Each incarnation:
//   1. scans the slack above its break as it starts (a previous incarnation may have
//      written there, or kept grants there);
//   2. moves its break once, straight to 8 bytes into the highest granule the kernel can
//      expose (the one under the grant area, found from memop 2/3/6), and scans that
//      granule's slack; the kernel zeroes what the move exposes up to the break, the
//      slack is the question. With no grant of its own yet, that granule is where the
//      previous incarnation's grants (headers, upcall pointers, appdata, allowed buffer
//      addresses) lay;
//   3. prints, through the low-level debug driver (no grant, no heap), for each scan:
//        "App 0xN prints 0x<scan number 1|2><bytes scanned, 4 hex digits> 0x<offset>"
//      where offset is that of the first non-zero byte from mem_start, 0xffffffff when
//      every byte was zero (a leak is followed by a print of (offset, the word there));
//      then alert 0x61 if both were clean, 0x6E if not;
//   4. dirties everything it can for its successor: grants of the console, the alarm and
//      the test driver with recognisable upcall pointers, appdata and allowed buffers,
//      then 0xA5 over its slack;
//   5. alert 0x62, then faults (null write) when the kernel says it was never restarted
//      (test driver command 5), so the board restarts it; otherwise waits forever, for
//      the process console's `terminate` and `boot` to start it again.
// tests/qemu/slack_scan.test runs both paths.

#include <stdbool.h>
#include <stdint.h>

#include "cairn.h"

#define TEST_DRIVER       0xCA170u
#define TEST_CMD_RESTARTS 5
#define ALERT_CLEAN       0x61
#define ALERT_LEAK        0x6E
#define ALERT_DIRTY       0x62
#define NO_LEAK           0xFFFFFFFFu

static uint32_t memop_value(uint32_t op)
{
    uint32_t v = 0;
    memop_u32(memop(op, 0), &v);
    return v;
}

static uint32_t ram_start, granule;

static uint32_t reach_of(uint32_t brk)
{
    return ram_start + (brk - ram_start + granule - 1) / granule * granule;
}

// First non-zero byte in [from, to) as an offset from ram_start, or NO_LEAK.
static uint32_t scan(uint32_t from, uint32_t to)
{
    for (uint32_t a = from; a < to; a++)
        if (*(const volatile uint8_t *)(uintptr_t)a != 0)
            return a - ram_start;
    return NO_LEAK;
}

static void marker(int a0, int a1, int a2, void *ud)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)ud;
}

static char rw_buf[16];
static const char ro_text[] = "slack_scan secret";

// Prints (which << 16 | bytes scanned, first non-zero offset or NO_LEAK) and, for a
// leak, (offset, the word there). True if clean.
static bool report(uint32_t which, uint32_t from, uint32_t to)
{
    uint32_t leak = scan(from, to);
    lowlevel_debug_print_u32x2(which << 16 | (to - from), leak);
    if (leak != NO_LEAK)
        lowlevel_debug_print_u32x2(
            leak, *(const volatile uint32_t *)(uintptr_t)((ram_start + leak) & ~3u));
    return leak == NO_LEAK;
}

int main(void)
{
    ram_start = memop_value(MEMOP_RAM_START);
    granule = (memop_value(MEMOP_RAM_END) - ram_start) / 16;
    uint32_t start_brk = memop_value(MEMOP_SBRK);
    bool clean = report(1, start_brk, reach_of(start_brk));

    // The highest granule the kernel may expose ends at or below the grant area.
    uint32_t kbrk = memop_value(MEMOP_GRANT_START);
    uint32_t top = ram_start + (kbrk - ram_start) / granule * granule;
    uint32_t brk = top - granule + 8;
    if (brk <= start_brk || memop_ok(memop(MEMOP_BRK, brk)) != RETURNCODE_SUCCESS) {
        lowlevel_debug_print_u32x2(brk, kbrk); // the layout this test relies on is gone
        clean = false;
    } else {
        clean &= report(2, brk, reach_of(brk));
    }
    lowlevel_debug_alert(clean ? ALERT_CLEAN : ALERT_LEAK);

    // Leave as much as possible behind for the next incarnation to find (with the break
    // back down, so that every grant fits).
    memop(MEMOP_BRK, start_brk);
    subscribe(CONSOLE_DRIVER, 1, marker, (void *)0xC0DE0001u);
    subscribe(CONSOLE_DRIVER, 2, marker, (void *)0xC0DE0002u);
    allow_ro(CONSOLE_DRIVER, 1, ro_text, sizeof ro_text);
    subscribe(ALARM_DRIVER, 0, marker, (void *)0xC0DE0003u);
    command(ALARM_DRIVER, 5, 0x7FFFFFFFu, 0);
    subscribe(TEST_DRIVER, 0, marker, (void *)0xC0DE0004u);
    subscribe(TEST_DRIVER, 1, marker, (void *)0xC0DE0005u);
    allow_rw(TEST_DRIVER, 0, rw_buf, sizeof rw_buf);
    allow_ro(TEST_DRIVER, 0, ro_text, sizeof ro_text);
    brk = memop_value(MEMOP_SBRK);
    for (uint32_t a = brk; a < reach_of(brk); a++)
        *(volatile uint8_t *)(uintptr_t)a = 0xA5;

    lowlevel_debug_alert(ALERT_DIRTY);

    uint32_t restarts = 0;
    command_u32(command(TEST_DRIVER, TEST_CMD_RESTARTS, 0, 0), &restarts);
    if (restarts == 0)
        *(volatile uint32_t *)0 = 1; // fault: the board restarts the process
    for (;;)
        yield_wait(); // until the console's terminate
}

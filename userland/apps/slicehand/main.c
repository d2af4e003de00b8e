// SPDX-License-Identifier: Apache-2.0
// slicehand: two roles that hand the CPU to each other; the measuring one (slot 1, built
// with SLICEHAND_MEASURE) prints how long each of its slices lasted, in ms.
//
// The blocker (slot 0) spins BLOCKER_SPIN_MS of its slice, then blocks in yield-wait-for
// until the measurer notifies it. The measurer, at the start of each of its runs,
// notifies the blocker (which is then ready), and spins reading the alarm counter until
// its slice ends: the SysTick switches to the blocker, whose block switches back, so
// each of the measurer's runs starts in a blocking switch, part way into the blocker's
// slice. A process that blocked gets a whole slice when it next runs, and so does one
// whose slice ran out: each run must last a whole slice (10 ms), not the blocker's
// remainder (tests/qemu/slice_after_block.test). Every reading is a command served in the
// SVC handler, and nothing is printed until the runs are measured, so no interrupt
// interrupts a run (a print's UART interrupt would cut one short).

#include <stdint.h>

#include "cairn.h"

#define TEST_DRIVER     0xCA170u
#define TEST_CMD_NOTIFY 6u
#define BLOCKER_SLOT    0u
#define BLOCKER_SPIN_MS 3u
// Longer than any two consecutive reads of a spin, shorter than the blocker's spin.
#define GAP_MS 2u
#define RUNS   10u
#define WARMUP 2u

static uint32_t now(void)
{
    uint32_t t = 0;
    alarm_now(&t);
    return t;
}

#ifdef SLICEHAND_MEASURE
int main(void)
{
    uint32_t gap = (uint32_t)alarm_ms_to_ticks(GAP_MS);
    uint32_t ms = (uint32_t)alarm_ms_to_ticks(1);
    uint32_t runs[RUNS];
    // Refused until the blocker has used the test driver (it runs first, slot 0).
    while (command_ok(command(TEST_DRIVER, TEST_CMD_NOTIFY, BLOCKER_SLOT, 0)) != RETURNCODE_SUCCESS)
        ;
    uint32_t start = now(), last = start;
    for (unsigned n = 0; n < RUNS + WARMUP;) {
        uint32_t t = now();
        if (t - last > gap) {
            // A gap: the run that just ended lasted from start to last.
            if (n >= WARMUP)
                runs[n - WARMUP] = (last - start) / ms;
            n++;
            start = t;
            command(TEST_DRIVER, TEST_CMD_NOTIFY, BLOCKER_SLOT, 0);
        }
        last = t;
    }
    for (unsigned i = 0; i < RUNS; i++)
        lowlevel_debug_print_u32(runs[i]);
    for (;;)
        yield_wait();
}
#else
int main(void)
{
    uint32_t spin = (uint32_t)alarm_ms_to_ticks(BLOCKER_SPIN_MS);
    // A null subscribe: only a process that used the driver gets its events.
    subscribe(TEST_DRIVER, 0, NULL, NULL);
    for (;;) {
        uint32_t start = now();
        while (now() - start < spin)
            ;
        yield_wait_for(TEST_DRIVER, 0);
    }
}
#endif

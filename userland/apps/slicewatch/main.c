// SPDX-License-Identifier: Apache-2.0
// slicewatch: spins without yielding, reading the alarm counter, and prints how many gaps (turns of
// other processes) each 100 ms window held.
//
// Its only syscalls are alarm-counter reads, commands the kernel serves inside the SVC
// handler: it never returns to the kernel thread and, between its prints, causes no
// interrupt. So with several copies running, only the slice timer moves the CPU from one
// to the next, and each copy sees a gap in its readings for every turn of the others.
// A timer that stops being re-armed after a switch made in the SysTick handler lets one
// copy spin its whole window alone (tests/qemu/slice_renew.test).
//
// A window that holds a gap longer than STALL_MS is not printed: with two copies the
// other's turn is one 10 ms slice, so so long a gap means the host did not run QEMU
// (a loaded machine in the test's real-time runs), and the window's count says nothing
// about the slice timer. A broken timer still shows: the copy left spinning alone has
// no gap at all and prints 0.

#include <stdint.h>

#include "cairn.h"

#define WINDOW_MS 100u
// Longer than any two consecutive reads of this loop, shorter than a 10 ms slice.
#define GAP_MS 2u
// Four slices: no turn of the other copy lasts that long.
#define STALL_MS 40u

int main(void)
{
    uint32_t window = (uint32_t)alarm_ms_to_ticks(WINDOW_MS);
    uint32_t gap = (uint32_t)alarm_ms_to_ticks(GAP_MS);
    uint32_t stall = (uint32_t)alarm_ms_to_ticks(STALL_MS);
    for (;;) {
        uint32_t start = 0, last, now, gaps = 0;
        int stalled = 0;
        alarm_now(&start);
        last = start;
        do {
            alarm_now(&now);
            if (now - last > stall)
                stalled = 1;
            else if (now - last > gap)
                gaps++;
            last = now;
        } while (now - start < window);
        if (!stalled)
            lowlevel_debug_print_u32(gaps);
    }
}

// SPDX-License-Identifier: Apache-2.0
// counter: an endless low-level-debug number stream 0, 1, 2, ... with yields in between.
//
// Tests watch it keep running while other processes start, fault and stop.

#include <stdint.h>

#include "cairn.h"

// Busy-work between numbers: a few thousand iterations keep the stream readable and
// give the scheduler something to preempt. Override with CFLAGS_EXTRA=-DCOUNTER_SPIN=N.
#ifndef COUNTER_SPIN
#define COUNTER_SPIN 5000
#endif
// With COUNTER_SLEEP_MS (the counter_sleep variant) it sleeps that long between numbers
// instead of only yielding: a neighbour that needs little CPU, for tests whose subject
// should get nearly all of it.

int main(void)
{
    for (uint32_t count = 0;; count++) {
        lowlevel_debug_print_u32(count);
        for (volatile uint32_t i = 0; i < COUNTER_SPIN; i++) {
        }
#ifdef COUNTER_SLEEP_MS
        delay_ms(COUNTER_SLEEP_MS);
#else
        yield_no_wait();
#endif
    }
}

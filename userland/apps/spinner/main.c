// SPDX-License-Identifier: Apache-2.0
// spinner: counts forever without ever yielding; prints its count every SPINNER_PERIOD.
//
// It makes no yield call at all (low-level debug prints are commands, which return at
// once), so when several spinners share the CPU only the kernel's timeslice preemption
// can move it from one to the next. tests/qemu/preemption.test checks that every one
// keeps printing and that the kernel counts timeslice expirations for each.

#include <stdint.h>

#include "cairn.h"

// About 14 ms of guest time per print under -icount shift=0, so a print spans more
// than one 10 ms timeslice: a kernel without preemption would show only the first app.
#ifndef SPINNER_PERIOD
#define SPINNER_PERIOD 2000000u
#endif

int main(void)
{
    for (uint32_t count = 0;; count++) {
        lowlevel_debug_print_u32(count);
        // volatile: the loop must really execute, it is the whole point of the app.
        for (volatile uint32_t i = 0; i < SPINNER_PERIOD; i++) {
        }
    }
}

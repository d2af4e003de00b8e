// SPDX-License-Identifier: Apache-2.0
// spinner: counts forever without ever yielding; prints its count every SPINNER_PERIOD.
//
// It makes no yield call at all (low-level debug prints are commands, which return at
// once), so when several spinners share the CPU only the kernel's timeslice preemption
// can move it from one to the next. tests/qemu/preemption.test checks that every one
// keeps printing and that the kernel counts timeslice expirations for each.

#include <stdint.h>

#include "cairn.h"

// A register-only loop: the count lives in a register and the empty asm makes the
// compiler keep every iteration. (A volatile counter in memory would do as well on the
// hardware, but QEMU checks the MPU on every access to a 1 kB page that a region boundary
// crosses, and with PMSAv8's 32-byte boundaries the stack page usually is one: the same
// guest time then costs twenty times the host time.) Two instructions per iteration, so
// about 14 ms of guest time per print under -icount shift=0: a print spans more than one
// 10 ms timeslice, and a kernel without preemption would show only the first app.
#ifndef SPINNER_PERIOD
#define SPINNER_PERIOD 7000000u
#endif

int main(void)
{
    for (uint32_t count = 0;; count++) {
        lowlevel_debug_print_u32(count);
        for (uint32_t i = SPINNER_PERIOD; i != 0; i--)
            __asm__ volatile("" : "+r"(i));
    }
}

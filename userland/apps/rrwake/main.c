// SPDX-License-Identifier: Apache-2.0
// rrwake: sleeps on alarms while another process spins, and counts how often it had to wait for the
// spinner's slice.
//
// Beside rrwake_spin (this app built with RRWAKE_SPIN: a register loop with no syscall at
// all), it sleeps RRWAKE_ALARMS times on an alarm 1 ms ahead. Its timer interrupt comes
// while the spinner runs: Tock's round robin serves it and goes back to the spinner, so
// rrwake runs only when the spinner's 10 ms slice ends, well over 1 ms after its alarm.
// A kernel that preempts the spinner for the woken process wakes it within microseconds.
// It prints
//   rrwake: N alarms, M waited for the spinner's slice
// (tests/qemu/irq_round_robin.test expects nearly all to wait; a console interrupt, which
// goes through the kernel thread, may let one through early).

#include <stdint.h>
#include <stdio.h>

#include "cairn.h"

#define RRWAKE_ALARMS 20u

int main(void)
{
#ifdef RRWAKE_SPIN
    for (uint32_t i = 0;; i++)
        __asm__ volatile("" : "+r"(i));
#else
    uint32_t ms = (uint32_t)alarm_ms_to_ticks(1);
    unsigned waited = 0;
    for (unsigned n = 0; n < RRWAKE_ALARMS; n++) {
        uint32_t ref = 0, now = 0;
        alarm_now(&ref);
        alarm_wait_until(ref, ms);
        alarm_now(&now);
        // Woken more than 1 ms after the expiration: after the spinner's slice.
        if (now - ref - ms > ms)
            waited++;
    }
    printf("rrwake: %u alarms, %u waited for the spinner's slice\n", RRWAKE_ALARMS, waited);
    return 0;
#endif
}

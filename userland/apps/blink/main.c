// SPDX-License-Identifier: Apache-2.0
// blink: toggles an "LED" every BLINK_MS; the blink-style app whose whole RAM the memory
// figures report (doc/kernel.md).
//
// This board has no LED driver, so the state goes to the low-level debug driver, which
// keeps a grant as an LED driver would. It waits with the kernel alarm alone
// (alarm_wait_until: command, then Yield-WaitFor), as libtock-c's synchronous alarm
// does, each period measured from the previous expiration so it does not drift.
// BLINK_COUNT toggles, then it exits (0: forever).

#include <stdint.h>

#include "cairn.h"

#ifndef BLINK_MS
#define BLINK_MS 50
#endif
#ifndef BLINK_COUNT
#define BLINK_COUNT 0
#endif

int main(void)
{
    uint32_t hz = 0, at = 0;
    if (alarm_frequency(&hz) < 0 || alarm_now(&at) < 0)
        return 1;
    // 32-bit arithmetic, no 64-bit division and its stack: exact for clocks of whole kHz
    // (this board's runs at 25 MHz), 2.4 % short at 32768 Hz.
    const uint32_t period = hz / 1000u * BLINK_MS;
    uint32_t i = 0;
    do {
        lowlevel_debug_print_u32(i & 1);
        if (alarm_wait_until(at, period) < 0)
            return 2;
        at += period;
    } while (++i != BLINK_COUNT);
    return 0;
}

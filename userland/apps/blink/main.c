// SPDX-License-Identifier: Apache-2.0
// blink: toggles an "LED" (a low-level debug print of its state) every BLINK_MS; the
// blink-style app whose whole RAM make bench reports.
//
// This board has no LED driver, so the state goes to the low-level debug driver, which
// keeps a grant as an LED driver would. BLINK_COUNT toggles, then it exits (0: forever).

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
    uint32_t i = 0;
    do {
        lowlevel_debug_print_u32(i & 1);
        delay_ms(BLINK_MS);
    } while (++i != BLINK_COUNT);
    return 0;
}

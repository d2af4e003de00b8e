// SPDX-License-Identifier: Apache-2.0
// blinky: blinks every LED of the board in turn, one step every 250 ms, forever.
//
// The first app to read for the LED driver (libcairn led.h): it asks how many LEDs the
// board has, then lights them one after the other, each period measured from the
// previous one so the rhythm does not drift. A board without LEDs says so and exits.

#include <stdio.h>

#include "cairn.h"

#define STEP_MS 250

int main(void)
{
    uint32_t n = 0;
    returncode_t rc = led_count(&n);
    if (rc < 0 || n == 0) {
        printf("blinky: no LEDs on this board (%s)\n", returncode_name(rc));
        return 0;
    }
    printf("blinky: %lu LEDs, one step every %d ms\n", (unsigned long)n, STEP_MS);
    for (uint32_t step = 0;; step++) {
        uint32_t on = step % n;
        for (uint32_t i = 0; i < n; i++) {
            if (i == on)
                led_on(i);
            else
                led_off(i);
        }
        delay_ms(STEP_MS);
    }
}

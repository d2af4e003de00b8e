// SPDX-License-Identifier: Apache-2.0
// buttons: each LED follows a button (LED i % count lit while button i is held).
//
// The first app to read for the button driver (libcairn button.h): it enables every
// button's interrupt and then sleeps in yield; the callback sets the LED and prints the
// change. On the lm3s6965evb the buttons are the navigation switches (QEMU: the arrow
// keys and ctrl); a board without buttons says so and exits.

#include <stdio.h>

#include "cairn.h"

static uint32_t n_leds;

static void changed(uint32_t index, bool pressed, void *userdata)
{
    (void)userdata;
    if (n_leds > 0) {
        uint32_t led = index % n_leds;
        if (pressed)
            led_on(led);
        else
            led_off(led);
        printf("buttons: button %lu %s, LED %lu %s\n", (unsigned long)index,
               pressed ? "pressed" : "released", (unsigned long)led, pressed ? "on" : "off");
    } else {
        printf("buttons: button %lu %s\n", (unsigned long)index, pressed ? "pressed" : "released");
    }
}

int main(void)
{
    uint32_t n = 0;
    returncode_t rc = button_count(&n);
    if (rc < 0 || n == 0) {
        printf("buttons: no buttons on this board (%s)\n", returncode_name(rc));
        return 0;
    }
    if (led_count(&n_leds) < 0)
        n_leds = 0;
    button_subscribe(changed, NULL);
    for (uint32_t i = 0; i < n; i++) {
        rc = button_enable_interrupt(i);
        if (rc < 0) {
            printf("buttons: cannot enable button %lu: %s\n", (unsigned long)i,
                   returncode_name(rc));
            return 1;
        }
    }
    printf("buttons: %lu buttons, %lu LEDs; waiting\n", (unsigned long)n, (unsigned long)n_leds);
    for (;;)
        yield_wait();
}

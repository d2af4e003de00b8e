// SPDX-License-Identifier: Apache-2.0
// LED capsule: LEDs over GPIO output pins, polarity applied here.
#include "led.h"

#include <cairn/errorcode.h>

static void led_drive(const struct led_pin *l, bool on)
{
    gpio_set(l->pin, on != l->active_low);
}

void led_capsule_init(struct led_capsule *l, const struct led_pin *leds, uint32_t n)
{
    l->leds = leds;
    l->n = n;
    for (uint32_t i = 0; i < n; i++) {
        led_drive(&leds[i], false); // the level first, so enabling the driver never flashes
        (void)gpio_make_output(leds[i].pin);
    }
}

struct cmd_result led_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                              uint32_t arg1)
{
    (void)pid;
    (void)arg1;
    struct led_capsule *l = d->ctx;
    if (cmd == 0)
        return cmd_success_u32(l->n);
    if (cmd > 3)
        return cmd_failure(NOSUPPORT);
    if (arg0 >= l->n)
        return cmd_failure(INVAL);
    const struct led_pin *led = &l->leds[arg0];
    if (cmd == 3)
        gpio_toggle(led->pin);
    else
        led_drive(led, cmd == 1);
    return cmd_success();
}

// SPDX-License-Identifier: Apache-2.0
// LED capsule (driver 0x2): turn the board's LEDs on, off, or toggle them.
//
// ABI (Tock 2.x, doc/syscalls/00002_leds.md and capsules/core/src/led.rs). LEDs are
// numbered from 0 in the order the board lists them.
//   command 0: -> Success-u32(number of LEDs) (Tock's driver answers the count, not plain
//              Success, and so does this one: libtock-c reads it)
//   command 1 (i): on  -> Success, or Failure INVAL if i >= count
//   command 2 (i): off -> Success, or Failure INVAL if i >= count
//   command 3 (i): toggle -> Success, or Failure INVAL if i >= count
//   other commands: Failure NOSUPPORT
// No subscribes and no allows. Like Tock's LED driver this one keeps no grant: an LED has
// no per-process state, so the kernel answers subscribe and allow with NOMEM (a driver
// without a grant, kernel/grant.c). The LEDs are shared: any process may drive any LED,
// and the last command wins. All LEDs are off at boot.
#ifndef CAIRN_CAPSULE_LED_H
#define CAIRN_CAPSULE_LED_H

#include <stdbool.h>

#include <cairn/driver.h>
#include <cairn/hil/gpio.h>

#define LED_DRIVER_NUM 0x2u

// One LED: the pin that drives it and its polarity (active_low: lit when the pin is low).
struct led_pin {
    struct gpio_pin *pin;
    bool active_low;
};

struct led_capsule {
    const struct led_pin *leds;
    uint32_t n;
};

// post: every LED is an output and off.
void led_capsule_init(struct led_capsule *l, const struct led_pin *leds, uint32_t n);
struct cmd_result led_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                              uint32_t arg1);

#endif

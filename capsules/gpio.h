// SPDX-License-Identifier: Apache-2.0
// GPIO capsule (driver 0x4): the board's spare pins as outputs, inputs and interrupts.
//
// ABI (Tock 2.x, doc/syscalls/00004_gpio.md and capsules/core/src/gpio.rs). Pins are
// numbered from 0 in the order the board lists them; i is a pin number, and every
// command taking one answers Failure INVAL when i >= count.
//   command 0: exists -> Success
//   command 1 (i): make i an output -> Success
//   command 2 (i): drive i high -> Success
//   command 3 (i): drive i low -> Success
//   command 4 (i): toggle i -> Success
//   command 5 (i, pull): make i an input with pull 0 none, 1 up, 2 down -> Success;
//              Failure NOSUPPORT for another pull (the pin is left as it was)
//   command 6 (i): read i -> Success-u32(1 high, 0 low)
//   command 7 (i, edge): interrupt on edge 0 either, 1 rising, 2 falling -> Success;
//              Failure NOSUPPORT for another edge; NOMEM if the caller's grant does not fit
//   command 8 (i): interrupt off, and the pin deactivated (input, no pull) -> Success
//   command 9 (i): deactivate i -> Success
//   command 10: -> Success-u32(number of pins)
//   other commands: Failure NOSUPPORT
//   subscribe 0: upcall (i, level read when the interrupt was served, 0) for every
//              interrupt of any pin, to every process that subscribed or enabled one
// No allows (NOSUPPORT). As in Tock the pins are shared, not owned: any process may
// configure any pin, and an interrupt reaches every process holding the grant. The grant
// has no state, only the upcall slot; command 7 allocates it so that a process waiting
// with yield-wait-for hears its pin without subscribing.
#ifndef CAIRN_CAPSULE_GPIO_H
#define CAIRN_CAPSULE_GPIO_H

#include <cairn/driver.h>
#include <cairn/grant.h>
#include <cairn/hil/gpio.h>

#define GPIO_DRIVER_NUM 0x4u

struct gpio_capsule {
    struct gpio_pin *const *pins;
    uint32_t n;
    struct gpio_client client;
    struct grant grant;
};

// post: every pin deactivated (input, no pull, no interrupt).
void gpio_capsule_init(struct gpio_capsule *g, struct gpio_pin *const *pins, uint32_t n);
struct cmd_result gpio_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                               uint32_t arg1);

#endif

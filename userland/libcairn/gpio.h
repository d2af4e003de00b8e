// SPDX-License-Identifier: Apache-2.0
// GPIO driver (0x4): the board's spare pins as outputs, inputs and edge interrupts.
//
// Three ways to use it:
//   raw     one system call per function below (gpio_count ... gpio_subscribe)
//   async   gpio_subscribe(cb), gpio_enable_input(pin, pull), gpio_enable_interrupt(pin,
//           edge): cb(pin, level) runs from a yield for each interrupt
//   sync    gpio_wait(&pin, &level): blocks (Yield-WaitFor) until an interrupt of any pin;
//           other drivers' upcalls stay queued meanwhile
// Return codes: RETURNCODE_SUCCESS (0), or negative: ENODEVICE (the board has no GPIO
// driver), EINVAL (pin >= gpio_count()), ENOSUPPORT (a pull or edge value the driver does
// not know), ENOMEM (no room for the process's GPIO state, interrupts only).
// Pins are shared between processes: any process may change any pin.
#ifndef CAIRN_GPIO_H
#define CAIRN_GPIO_H

#include <stdbool.h>
#include <stdint.h>

#include "errors.h"

#define GPIO_DRIVER 0x4

enum gpio_pull_mode { GPIO_PULLNONE = 0, GPIO_PULLUP = 1, GPIO_PULLDOWN = 2 };
enum gpio_edge_mode { GPIO_EITHER_EDGE = 0, GPIO_RISING_EDGE = 1, GPIO_FALLING_EDGE = 2 };

// Called from a yield: pin had an interrupt; level is what it read when it was served.
typedef void gpio_fn(uint32_t pin, bool level, void *userdata);

returncode_t gpio_count(uint32_t *count);                                   // command 10
returncode_t gpio_enable_output(uint32_t pin);                              // command 1
returncode_t gpio_set(uint32_t pin);                                        // command 2
returncode_t gpio_clear(uint32_t pin);                                      // command 3
returncode_t gpio_toggle(uint32_t pin);                                     // command 4
returncode_t gpio_enable_input(uint32_t pin, enum gpio_pull_mode pull);     // command 5
returncode_t gpio_read(uint32_t pin, bool *level);                          // command 6
returncode_t gpio_enable_interrupt(uint32_t pin, enum gpio_edge_mode edge); // command 7
returncode_t gpio_disable_interrupt(uint32_t pin);                          // command 8
returncode_t gpio_disable(uint32_t pin);                                    // command 9
// Set (or with NULL, clear) the callback for every pin's interrupts (subscribe 0).
returncode_t gpio_subscribe(gpio_fn *callback, void *userdata);

// Sync: wait for the next interrupt of any pin. Either output may be NULL.
returncode_t gpio_wait(uint32_t *pin, bool *level);

#endif // CAIRN_GPIO_H

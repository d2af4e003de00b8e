// SPDX-License-Identifier: Apache-2.0
// LED driver (0x2): the board's LEDs, numbered from 0. All calls are synchronous.
//
// Every function returns RETURNCODE_SUCCESS (0) or a negative code:
//   RETURNCODE_ENODEVICE  the board has no LED driver
//   RETURNCODE_EINVAL     index >= led_count()
#ifndef CAIRN_LED_H
#define CAIRN_LED_H

#include <stdint.h>

#include "errors.h"

#define LED_DRIVER 0x2

// *count = how many LEDs the board has (command 0).
returncode_t led_count(uint32_t *count);
returncode_t led_on(uint32_t index);     // command 1
returncode_t led_off(uint32_t index);    // command 2
returncode_t led_toggle(uint32_t index); // command 3

#endif // CAIRN_LED_H

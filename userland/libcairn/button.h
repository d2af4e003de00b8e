// SPDX-License-Identifier: Apache-2.0
// Button driver (0x3): read buttons, or hear them pressed and released.
//
// Three ways to use it:
//   raw     button_count, button_read, button_enable_interrupt, button_disable_interrupt,
//           button_subscribe: one system call each
//   async   button_subscribe(cb) then button_enable_interrupt(i): cb(i, pressed) runs
//           from a yield for every press and release of each enabled button
//   sync    button_wait(&i, &pressed): blocks (Yield-WaitFor) until an enabled button
//           changes; other drivers' upcalls stay queued meanwhile
// Return codes: RETURNCODE_SUCCESS (0), or negative: ENODEVICE (no button driver),
// EINVAL (index >= button_count()), ENOMEM (no room for the process's button state).
// A board may have zero buttons (the mps2 boards): button_count gives 0.
#ifndef CAIRN_BUTTON_H
#define CAIRN_BUTTON_H

#include <stdbool.h>
#include <stdint.h>

#include "errors.h"

#define BUTTON_DRIVER 0x3

// Called from a yield: button index changed to pressed (true) or released (false).
typedef void button_fn(uint32_t index, bool pressed, void *userdata);

returncode_t button_count(uint32_t *count);              // command 0
returncode_t button_read(uint32_t index, bool *pressed); // command 3
returncode_t button_enable_interrupt(uint32_t index);    // command 1
returncode_t button_disable_interrupt(uint32_t index);   // command 2
// Set (or with NULL, clear) the callback for every enabled button (subscribe 0).
returncode_t button_subscribe(button_fn *callback, void *userdata);

// Sync: wait for the next press or release of an enabled button. pre: the button was
// enabled with button_enable_interrupt, or this never returns. Either output may be NULL.
returncode_t button_wait(uint32_t *index, bool *pressed);

#endif // CAIRN_BUTTON_H

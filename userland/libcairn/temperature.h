// SPDX-License-Identifier: Apache-2.0
// Temperature driver (0x60000): the board's temperature sensor, in hundredths of a degree C.
//
// Return codes: RETURNCODE_ENODEVICE (no sensor on this board, or it stopped answering),
// RETURNCODE_ENOMEM (no room for the driver's state in this process's kernel part), or the
// bus error that kept a reading from starting.
#ifndef CAIRN_TEMPERATURE_H
#define CAIRN_TEMPERATURE_H

#include <stdint.h>

#include "errors.h"

#define TEMPERATURE_DRIVER 0x60000

// --- raw call -----------------------------------------------------------------------------
// Start a reading; the driver's upcall 0 brings (hundredths of a degree C, 0, 0).
returncode_t temperature_start(void);

// --- asynchronous API -------------------------------------------------------------------
// done(centi_celsius, userdata) runs from a later yield with the next reading.
typedef void temperature_fn(int32_t centi_celsius, void *userdata);
returncode_t temperature_read(temperature_fn *done, void *userdata);

// --- synchronous API --------------------------------------------------------------------
// The next reading, waited for with Yield-WaitFor (no other upcall runs meanwhile). If the
// sensor stops answering while this waits, the wait does not end (the driver, like Tock's,
// sends no upcall for a failed reading): check temperature_exists() first.
returncode_t temperature_read_sync(int32_t *centi_celsius);

// True if the board has a temperature sensor that answers.
int temperature_exists(void);

#endif // CAIRN_TEMPERATURE_H

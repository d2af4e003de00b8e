// SPDX-License-Identifier: Apache-2.0
// Low-level debug driver (0x8): print numbers and alert codes on the kernel console.
#ifndef CAIRN_LOWLEVEL_DEBUG_H
#define CAIRN_LOWLEVEL_DEBUG_H

#include <stdint.h>

#include "errors.h"

#define LOWLEVEL_DEBUG_DRIVER 0x8

// Alert codes with a fixed meaning. Tock defines 0x01 and 0x02; 0x10.. are Cairn's crt0.
enum lowlevel_debug_alert_code {
    LOWLEVEL_DEBUG_ALERT_PANIC = 0x01,          // the app panicked
    LOWLEVEL_DEBUG_ALERT_WRONG_LOCATION = 0x02, // fixed-address app at the wrong address
    LOWLEVEL_DEBUG_ALERT_CRT0_BRK = 0x10,       // crt0: the kernel refused the initial brk
    LOWLEVEL_DEBUG_ALERT_CRT0_RELOC = 0x11,     // crt0: a relocation outside the app image
};

// The kernel prints one line per call (queued: a burst of more than a few calls may be
// collapsed into a "dropped" line). Return RETURNCODE_SUCCESS or the driver's error.
returncode_t lowlevel_debug_alert(uint32_t code);
returncode_t lowlevel_debug_print_u32(uint32_t value);
returncode_t lowlevel_debug_print_u32x2(uint32_t value0, uint32_t value1);

#endif // CAIRN_LOWLEVEL_DEBUG_H

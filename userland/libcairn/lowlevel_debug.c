// SPDX-License-Identifier: Apache-2.0
// Low-level debug driver (0x8): commands 1 (alert), 2 (one number), 3 (two numbers).
//
// crt0 calls lowlevel_debug_alert() before relocation, so these functions must touch no
// global data (they do not: only arguments and the svc).

#include "lowlevel_debug.h"
#include "syscall.h"

returncode_t lowlevel_debug_alert(uint32_t code)
{
    return command_ok(command(LOWLEVEL_DEBUG_DRIVER, 1, code, 0));
}

returncode_t lowlevel_debug_print_u32(uint32_t value)
{
    return command_ok(command(LOWLEVEL_DEBUG_DRIVER, 2, value, 0));
}

returncode_t lowlevel_debug_print_u32x2(uint32_t value0, uint32_t value1)
{
    return command_ok(command(LOWLEVEL_DEBUG_DRIVER, 3, value0, value1));
}

// SPDX-License-Identifier: Apache-2.0
// LED driver (0x2) wrappers: one command each.
#include "led.h"
#include "syscall.h"

returncode_t led_count(uint32_t *count)
{
    return command_u32(command(LED_DRIVER, 0, 0, 0), count);
}

returncode_t led_on(uint32_t index)
{
    return command_ok(command(LED_DRIVER, 1, index, 0));
}

returncode_t led_off(uint32_t index)
{
    return command_ok(command(LED_DRIVER, 2, index, 0));
}

returncode_t led_toggle(uint32_t index)
{
    return command_ok(command(LED_DRIVER, 3, index, 0));
}

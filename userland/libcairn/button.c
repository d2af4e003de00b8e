// SPDX-License-Identifier: Apache-2.0
// Button driver (0x3) wrappers: raw commands, a typed callback, and a Yield-WaitFor wait.
#include "button.h"
#include "syscall.h"

#define BUTTON_UPCALL 0

returncode_t button_count(uint32_t *count)
{
    return command_u32(command(BUTTON_DRIVER, 0, 0, 0), count);
}

returncode_t button_read(uint32_t index, bool *pressed)
{
    uint32_t v;
    returncode_t rc = command_u32(command(BUTTON_DRIVER, 3, index, 0), &v);
    if (rc == RETURNCODE_SUCCESS)
        *pressed = v != 0;
    return rc;
}

returncode_t button_enable_interrupt(uint32_t index)
{
    return command_ok(command(BUTTON_DRIVER, 1, index, 0));
}

returncode_t button_disable_interrupt(uint32_t index)
{
    return command_ok(command(BUTTON_DRIVER, 2, index, 0));
}

// The one subscription slot's callback and its data (one callback per process).
static button_fn *user_cb;
static void *user_data;

static void button_upcall(int index, int pressed, int unused, void *ud)
{
    (void)unused;
    (void)ud;
    if (user_cb)
        user_cb((uint32_t)index, pressed != 0, user_data);
}

returncode_t button_subscribe(button_fn *callback, void *userdata)
{
    user_cb = callback;
    user_data = userdata;
    return subscribe_ok(
        subscribe(BUTTON_DRIVER, BUTTON_UPCALL, callback ? button_upcall : NULL, NULL));
}

returncode_t button_wait(uint32_t *index, bool *pressed)
{
    struct yield_wait_for_return r = yield_wait_for(BUTTON_DRIVER, BUTTON_UPCALL);
    if (index)
        *index = r.data0;
    if (pressed)
        *pressed = r.data1 != 0;
    return RETURNCODE_SUCCESS;
}

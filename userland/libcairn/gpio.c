// SPDX-License-Identifier: Apache-2.0
// GPIO driver (0x4) wrappers: raw commands, a typed callback, and a Yield-WaitFor wait.
#include "gpio.h"
#include "syscall.h"

#define GPIO_UPCALL 0

returncode_t gpio_count(uint32_t *count)
{
    return command_u32(command(GPIO_DRIVER, 10, 0, 0), count);
}

returncode_t gpio_enable_output(uint32_t pin)
{
    return command_ok(command(GPIO_DRIVER, 1, pin, 0));
}

returncode_t gpio_set(uint32_t pin)
{
    return command_ok(command(GPIO_DRIVER, 2, pin, 0));
}

returncode_t gpio_clear(uint32_t pin)
{
    return command_ok(command(GPIO_DRIVER, 3, pin, 0));
}

returncode_t gpio_toggle(uint32_t pin)
{
    return command_ok(command(GPIO_DRIVER, 4, pin, 0));
}

returncode_t gpio_enable_input(uint32_t pin, enum gpio_pull_mode pull)
{
    return command_ok(command(GPIO_DRIVER, 5, pin, (uint32_t)pull));
}

returncode_t gpio_read(uint32_t pin, bool *level)
{
    uint32_t v;
    returncode_t rc = command_u32(command(GPIO_DRIVER, 6, pin, 0), &v);
    if (rc == RETURNCODE_SUCCESS)
        *level = v != 0;
    return rc;
}

returncode_t gpio_enable_interrupt(uint32_t pin, enum gpio_edge_mode edge)
{
    return command_ok(command(GPIO_DRIVER, 7, pin, (uint32_t)edge));
}

returncode_t gpio_disable_interrupt(uint32_t pin)
{
    return command_ok(command(GPIO_DRIVER, 8, pin, 0));
}

returncode_t gpio_disable(uint32_t pin)
{
    return command_ok(command(GPIO_DRIVER, 9, pin, 0));
}

static gpio_fn *user_cb;
static void *user_data;

static void gpio_upcall(int pin, int level, int unused, void *ud)
{
    (void)unused;
    (void)ud;
    if (user_cb)
        user_cb((uint32_t)pin, level != 0, user_data);
}

returncode_t gpio_subscribe(gpio_fn *callback, void *userdata)
{
    user_cb = callback;
    user_data = userdata;
    return subscribe_ok(subscribe(GPIO_DRIVER, GPIO_UPCALL, callback ? gpio_upcall : NULL, NULL));
}

returncode_t gpio_wait(uint32_t *pin, bool *level)
{
    struct yield_wait_for_return r = yield_wait_for(GPIO_DRIVER, GPIO_UPCALL);
    if (pin)
        *pin = r.data0;
    if (level)
        *level = r.data1 != 0;
    return RETURNCODE_SUCCESS;
}

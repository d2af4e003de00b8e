// SPDX-License-Identifier: Apache-2.0
// GPIO capsule: Tock's GPIO driver over the GPIO HIL; interrupts to every grant holder.
#include <stddef.h>

#include "gpio.h"

#include <cairn/errorcode.h>

#define CAP_OF(c) ((struct gpio_capsule *)((uint8_t *)(c)-offsetof(struct gpio_capsule, client)))

struct level {
    uint32_t index, high;
};

static void notify_one(procid_t pid, void *state, void *ctx)
{
    (void)state;
    struct level *l = ctx;
    (void)upcall_schedule(pid, GPIO_DRIVER_NUM, 0, l->index, l->high, 0);
}

static void gpio_fired(struct gpio_client *c, uint32_t index)
{
    struct gpio_capsule *g = CAP_OF(c);
    if (index >= g->n)
        return;
    struct level l = {.index = index, .high = gpio_read(g->pins[index])};
    grant_each(&g->grant, notify_one, &l);
}

void gpio_capsule_init(struct gpio_capsule *g, struct gpio_pin *const *pins, uint32_t n)
{
    g->pins = pins;
    g->n = n;
    g->client.fired = gpio_fired;
    for (uint32_t i = 0; i < n; i++) {
        gpio_deactivate(pins[i]);
        gpio_set_client(pins[i], &g->client, i);
    }
    g->grant = (struct grant){.driver_num = GPIO_DRIVER_NUM, .n_upcalls = 1};
    grant_register(&g->grant);
}

static struct cmd_result result_of(int err)
{
    return err ? cmd_failure(err) : cmd_success();
}

static void nothing(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)state;
    (void)ctx;
}

struct cmd_result gpio_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                               uint32_t arg1)
{
    struct gpio_capsule *g = d->ctx;
    if (cmd == 0)
        return cmd_success();
    if (cmd == 10)
        return cmd_success_u32(g->n);
    if (cmd > 10)
        return cmd_failure(NOSUPPORT);
    if (arg0 >= g->n)
        return cmd_failure(INVAL);
    struct gpio_pin *pin = g->pins[arg0];
    switch (cmd) {
    case 1:
        return result_of(gpio_make_output(pin));
    case 2:
    case 3:
        gpio_set(pin, cmd == 2);
        return cmd_success();
    case 4:
        gpio_toggle(pin);
        return cmd_success();
    case 5:
        if (arg1 > GPIO_PULL_DOWN)
            return cmd_failure(NOSUPPORT);
        return result_of(gpio_make_input(pin, (enum gpio_pull)arg1));
    case 6:
        return cmd_success_u32(gpio_read(pin));
    case 7: {
        if (arg1 > GPIO_EDGE_FALLING)
            return cmd_failure(NOSUPPORT);
        int err = grant_enter(&g->grant, pid, nothing, NULL);
        if (err)
            return cmd_failure(err);
        return result_of(gpio_enable_interrupt(pin, (enum gpio_edge)arg1));
    }
    case 8:
        gpio_disable_interrupt(pin);
        gpio_deactivate(pin);
        return cmd_success();
    default: // 9
        gpio_deactivate(pin);
        return cmd_success();
    }
}

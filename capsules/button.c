// SPDX-License-Identifier: Apache-2.0
// Button capsule: interrupt-driven buttons, per-process interest masks in grants.
#include <stddef.h>

#include "button.h"

#include <cairn/errorcode.h>

#define CAP_OF(c)                                                                                  \
    ((struct button_capsule *)((uint8_t *)(c)-offsetof(struct button_capsule, client)))

// Pressed now, as reported: a button never seen released reads as not pressed.
static bool pressed(struct button_capsule *b, uint32_t i)
{
    const struct button_pin *bp = &b->buttons[i];
    bool down = gpio_read(bp->pin) == !bp->active_low;
    if (!down)
        b->seen_released |= 1u << i;
    return down && (b->seen_released & (1u << i));
}

struct event {
    uint32_t index, pressed;
    uint32_t listeners;
};

static void notify_one(procid_t pid, void *state, void *ctx)
{
    struct button_app *app = state;
    struct event *e = ctx;
    if (!(app->enabled & (1u << e->index)))
        return;
    e->listeners++;
    (void)upcall_schedule(pid, BUTTON_DRIVER_NUM, 0, e->index, e->pressed, 0);
}

static void button_fired(struct gpio_client *c, uint32_t index)
{
    struct button_capsule *b = CAP_OF(c);
    if (index >= b->n)
        return;
    uint32_t bit = 1u << index;
    bool armed = b->seen_released & bit;
    // An edge on a button not armed yet means it was released since it last read pressed
    // (its pin interrupts on either edge, and every read so far found it pressed): it is
    // armed now whatever the pin reads. The HIL may coalesce edges, so a release and the
    // press after it can arrive as calls that both read pressed; the press must not be
    // lost for want of having seen the release.
    b->seen_released |= bit;
    struct event e = {.index = index, .pressed = pressed(b, index)};
    // The first release of a button never seen released only arms it: its press was
    // never reported, so neither is this.
    if (!armed && !e.pressed)
        return;
    grant_each(&b->grant, notify_one, &e);
    // Processes that enabled it may have died since: stop the interrupt nobody hears.
    if (e.listeners == 0)
        gpio_disable_interrupt(b->buttons[index].pin);
}

void button_capsule_init(struct button_capsule *b, const struct button_pin *buttons, uint32_t n)
{
    b->buttons = buttons;
    b->n = n;
    b->seen_released = 0;
    b->client.fired = button_fired;
    for (uint32_t i = 0; i < n; i++) {
        (void)gpio_make_input(buttons[i].pin, buttons[i].pull);
        gpio_disable_interrupt(buttons[i].pin);
        gpio_set_client(buttons[i].pin, &b->client, i);
        (void)pressed(b, i); // arms the buttons that read released already
    }
    b->grant = (struct grant)GRANT_INIT(BUTTON_DRIVER_NUM, struct button_app, 1, 0, 0);
    grant_register(&b->grant);
}

struct mask_op {
    uint32_t bit;
    bool set;
};

static void change_mask(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct button_app *app = state;
    struct mask_op *op = ctx;
    if (op->set)
        app->enabled |= op->bit;
    else
        app->enabled &= ~op->bit;
}

static void count_wanting(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct button_app *app = state;
    struct event *e = ctx;
    if (app->enabled & (1u << e->index))
        e->listeners++;
}

struct cmd_result button_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                                 uint32_t arg1)
{
    (void)arg1;
    struct button_capsule *b = d->ctx;
    if (cmd == 0)
        return cmd_success_u32(b->n);
    if (cmd > 3)
        return cmd_failure(NOSUPPORT);
    if (arg0 >= b->n)
        return cmd_failure(INVAL);
    if (cmd == 3)
        return cmd_success_u32(pressed(b, arg0));
    struct mask_op op = {.bit = 1u << arg0, .set = cmd == 1};
    int err = grant_enter(&b->grant, pid, change_mask, &op);
    struct gpio_pin *pin = b->buttons[arg0].pin;
    if (cmd == 1) {
        if (err)
            return cmd_failure(err);
        (void)pressed(b, arg0);
        (void)gpio_enable_interrupt(pin, GPIO_EDGE_EITHER);
        return cmd_success();
    }
    // Disable: as in Tock, the interrupt goes off when no live process wants the button,
    // whether or not this process's grant could be entered.
    struct event e = {.index = arg0};
    grant_each(&b->grant, count_wanting, &e);
    if (e.listeners == 0)
        gpio_disable_interrupt(pin);
    return err ? cmd_failure(err) : cmd_success();
}

// SPDX-License-Identifier: Apache-2.0
// GPIO HIL: one pin that can be an output, an input with a pull, and an edge interrupt.
//
// A chip implements the ops it has; the rest answer NOSUPPORT (an output-only LED
// register has no input or interrupt). Levels are electrical (true = high): polarity
// (an active-low LED or button) is the capsule's business, not the pin's.
// Interrupts: after enable_interrupt, each matching edge calls the client's fired() from
// the chip's bottom half (kernel thread, never inside an op of this HIL), with the tag
// the client gave in set_client. Edges that arrive while a previous one is being served
// may be coalesced into one call: the client reads the level it needs.
#ifndef CAIRN_HIL_GPIO_H
#define CAIRN_HIL_GPIO_H

#include <stdbool.h>
#include <stdint.h>

struct gpio_pin;

enum gpio_pull { GPIO_PULL_NONE = 0, GPIO_PULL_UP = 1, GPIO_PULL_DOWN = 2 };
enum gpio_edge { GPIO_EDGE_EITHER = 0, GPIO_EDGE_RISING = 1, GPIO_EDGE_FALLING = 2 };

struct gpio_client {
    void (*fired)(struct gpio_client *c, uint32_t tag);
};

struct gpio_pin_ops {
    // Drive the pin (keeping the current output level). OK or NOSUPPORT.
    int (*make_output)(struct gpio_pin *p);
    // Stop driving it; read it with that pull. OK or NOSUPPORT (input or that pull).
    int (*make_input)(struct gpio_pin *p, enum gpio_pull pull);
    void (*set)(struct gpio_pin *p, bool high);
    void (*toggle)(struct gpio_pin *p);
    // The level at the pin: what the outside drives for an input, the driven level for
    // an output.
    bool (*read)(struct gpio_pin *p);
    // OK or NOSUPPORT (no interrupts on this pin). Replaces any previous edge choice.
    int (*enable_interrupt)(struct gpio_pin *p, enum gpio_edge edge);
    void (*disable_interrupt)(struct gpio_pin *p);
    // Interrupt off, not driven, no pull: the reset state.
    void (*deactivate)(struct gpio_pin *p);
    void (*set_client)(struct gpio_pin *p, struct gpio_client *c, uint32_t tag);
};

struct gpio_pin {
    const struct gpio_pin_ops *ops;
};

static inline int gpio_make_output(struct gpio_pin *p)
{
    return p->ops->make_output(p);
}
static inline int gpio_make_input(struct gpio_pin *p, enum gpio_pull pull)
{
    return p->ops->make_input(p, pull);
}
static inline void gpio_set(struct gpio_pin *p, bool high)
{
    p->ops->set(p, high);
}
static inline void gpio_toggle(struct gpio_pin *p)
{
    p->ops->toggle(p);
}
static inline bool gpio_read(struct gpio_pin *p)
{
    return p->ops->read(p);
}
static inline int gpio_enable_interrupt(struct gpio_pin *p, enum gpio_edge edge)
{
    return p->ops->enable_interrupt(p, edge);
}
static inline void gpio_disable_interrupt(struct gpio_pin *p)
{
    p->ops->disable_interrupt(p);
}
static inline void gpio_deactivate(struct gpio_pin *p)
{
    p->ops->deactivate(p);
}
static inline void gpio_set_client(struct gpio_pin *p, struct gpio_client *c, uint32_t tag)
{
    p->ops->set_client(p, c, tag);
}

#endif

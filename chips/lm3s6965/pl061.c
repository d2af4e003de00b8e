// SPDX-License-Identifier: Apache-2.0
// ARM PL061 GPIO driver: direction, pulls, masked data access and edge interrupts.
#include <stddef.h>

#include "arch.h"
#include "pl061.h"

#include <cairn/errorcode.h>

_Static_assert(offsetof(struct pl061_regs, dir) == 0x400, "PL061 DIR offset");
_Static_assert(offsetof(struct pl061_regs, afsel) == 0x420, "PL061 AFSEL offset");
_Static_assert(offsetof(struct pl061_regs, pur) == 0x510, "PL061 PUR offset");
_Static_assert(offsetof(struct pl061_regs, den) == 0x51C, "PL061 DEN offset");

#define PIN_OF(h) ((struct pl061_pin *)(h))

// The DATA word whose address mask selects only this pin: reads see only its bit, writes
// change only its bit, so no read-modify-write races with other pins of the port.
static volatile uint32_t *data_reg(struct pl061_pin *p)
{
    return &p->port->regs->data[1u << p->bit];
}

static uint32_t mask(struct pl061_pin *p)
{
    return 1u << p->bit;
}

static int pin_make_output(struct gpio_pin *h)
{
    struct pl061_pin *p = PIN_OF(h);
    p->port->regs->dir |= mask(p);
    return OK;
}

static int pin_make_input(struct gpio_pin *h, enum gpio_pull pull)
{
    struct pl061_pin *p = PIN_OF(h);
    struct pl061_regs *r = p->port->regs;
    switch (pull) {
    case GPIO_PULL_NONE:
        r->pur &= ~mask(p);
        r->pdr &= ~mask(p);
        break;
    case GPIO_PULL_UP:
        r->pur |= mask(p); // also clears PDR for this pin in the silicon
        r->pdr &= ~mask(p);
        break;
    case GPIO_PULL_DOWN:
        r->pur &= ~mask(p);
        r->pdr |= mask(p);
        break;
    default:
        return NOSUPPORT;
    }
    r->dir &= ~mask(p);
    return OK;
}

static void pin_set(struct gpio_pin *h, bool high)
{
    struct pl061_pin *p = PIN_OF(h);
    *data_reg(p) = high ? 0xFFu : 0u;
}

static bool pin_read(struct gpio_pin *h)
{
    return *data_reg(PIN_OF(h)) != 0;
}

static void pin_toggle(struct gpio_pin *h)
{
    pin_set(h, !pin_read(h));
}

static int pin_enable_interrupt(struct gpio_pin *h, enum gpio_edge edge)
{
    struct pl061_pin *p = PIN_OF(h);
    struct pl061_regs *r = p->port->regs;
    uint32_t m = mask(p);
    if (edge != GPIO_EDGE_EITHER && edge != GPIO_EDGE_RISING && edge != GPIO_EDGE_FALLING)
        return NOSUPPORT;
    // Reconfigure with the pin masked, then drop any edge the change itself latched.
    r->im &= ~m;
    r->is &= ~m; // edge-sensitive
    if (edge == GPIO_EDGE_EITHER) {
        r->ibe |= m;
    } else {
        r->ibe &= ~m;
        if (edge == GPIO_EDGE_RISING)
            r->iev |= m;
        else
            r->iev &= ~m;
    }
    r->icr = m;
    r->im |= m;
    return OK;
}

static void pin_disable_interrupt(struct gpio_pin *h)
{
    struct pl061_pin *p = PIN_OF(h);
    p->port->regs->im &= ~mask(p);
    p->port->regs->icr = mask(p);
}

static void pin_deactivate(struct gpio_pin *h)
{
    struct pl061_pin *p = PIN_OF(h);
    pin_disable_interrupt(h);
    (void)pin_make_input(h, GPIO_PULL_NONE);
    *data_reg(p) = 0;
}

static void pin_set_client(struct gpio_pin *h, struct gpio_client *c, uint32_t tag)
{
    struct pl061_pin *p = PIN_OF(h);
    p->client = c;
    p->tag = tag;
}

static const struct gpio_pin_ops pl061_pin_ops = {
    .make_output = pin_make_output,
    .make_input = pin_make_input,
    .set = pin_set,
    .toggle = pin_toggle,
    .read = pin_read,
    .enable_interrupt = pin_enable_interrupt,
    .disable_interrupt = pin_disable_interrupt,
    .deactivate = pin_deactivate,
    .set_client = pin_set_client,
};

void pl061_port_init(struct pl061_port *port, struct pl061_regs *regs, uint8_t irq)
{
    port->regs = regs;
    port->irq = irq;
    regs->im = 0;
    regs->icr = 0xFFu;
    arch_irq_enable(irq);
}

void pl061_pin_init(struct pl061_pin *pin, struct pl061_port *port, unsigned bit)
{
    pin->hil.ops = &pl061_pin_ops;
    pin->port = port;
    pin->bit = (uint8_t)bit;
    port->pins[bit] = pin;
    struct pl061_regs *r = port->regs;
    uint32_t m = 1u << bit;
    r->afsel &= ~m;
    r->dir &= ~m;
    r->den |= m;
}

void pl061_service(struct pl061_port *port)
{
    uint32_t pending = port->regs->mis & 0xFFu;
    // Clear first: an edge after this point latches again and is not lost.
    port->regs->icr = pending;
    while (pending) {
        unsigned bit = (unsigned)__builtin_ctz(pending);
        pending &= pending - 1u;
        struct pl061_pin *p = port->pins[bit];
        if (p && p->client)
            p->client->fired(p->client, p->tag);
    }
}

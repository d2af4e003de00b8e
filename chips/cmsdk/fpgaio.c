// SPDX-License-Identifier: Apache-2.0
// mps2 FPGA I/O LEDs (AN385/AN505 application notes, FPGAIO LED0 register).
#include "fpgaio.h"

#include <cairn/errorcode.h>

#define LED_OF(h) ((struct fpgaio_led *)(h))

static int led_make_output(struct gpio_pin *h)
{
    (void)h;
    return OK; // always driven
}

static int led_make_input(struct gpio_pin *h, enum gpio_pull pull)
{
    (void)h;
    (void)pull;
    return NOSUPPORT;
}

static void led_set(struct gpio_pin *h, bool high)
{
    struct fpgaio_led *l = LED_OF(h);
    // The register holds every LED: the kernel thread is its only writer, so a
    // read-modify-write cannot race.
    if (high)
        *l->reg |= 1u << l->bit;
    else
        *l->reg &= ~(1u << l->bit);
}

static bool led_read(struct gpio_pin *h)
{
    struct fpgaio_led *l = LED_OF(h);
    return (*l->reg >> l->bit) & 1u;
}

static void led_toggle(struct gpio_pin *h)
{
    led_set(h, !led_read(h));
}

static int led_enable_interrupt(struct gpio_pin *h, enum gpio_edge edge)
{
    (void)h;
    (void)edge;
    return NOSUPPORT;
}

static void led_disable_interrupt(struct gpio_pin *h)
{
    (void)h;
}

static void led_deactivate(struct gpio_pin *h)
{
    led_set(h, false);
}

static void led_set_client(struct gpio_pin *h, struct gpio_client *c, uint32_t tag)
{
    (void)h;
    (void)c;
    (void)tag;
}

static const struct gpio_pin_ops fpgaio_led_ops = {
    .make_output = led_make_output,
    .make_input = led_make_input,
    .set = led_set,
    .toggle = led_toggle,
    .read = led_read,
    .enable_interrupt = led_enable_interrupt,
    .disable_interrupt = led_disable_interrupt,
    .deactivate = led_deactivate,
    .set_client = led_set_client,
};

void fpgaio_led_init(struct fpgaio_led *l, uintptr_t fpgaio_base, unsigned bit)
{
    l->hil.ops = &fpgaio_led_ops;
    l->reg = (volatile uint32_t *)fpgaio_base;
    l->bit = (uint8_t)bit;
    led_set(&l->hil, false);
}

// SPDX-License-Identifier: Apache-2.0
// mps2 FPGA I/O block: its LED0 register's bits as output-only pins of the GPIO HIL.
#ifndef CAIRN_CMSDK_FPGAIO_H
#define CAIRN_CMSDK_FPGAIO_H

#include <stdint.h>

#include <cairn/hil/gpio.h>

// One user LED: bit `bit` of the FPGAIO LED0 register (offset 0 of the block). Input,
// pull and interrupt operations answer NOSUPPORT (read gives the driven level).
struct fpgaio_led {
    struct gpio_pin hil;
    volatile uint32_t *reg;
    uint8_t bit;
};

// post: the pin drives the LED, off.
void fpgaio_led_init(struct fpgaio_led *l, uintptr_t fpgaio_base, unsigned bit);

#endif

// SPDX-License-Identifier: Apache-2.0
// ARM PL061 GPIO (Stellaris variant): pins behind the GPIO HIL, edge interrupts per port.
#ifndef CAIRN_PL061_H
#define CAIRN_PL061_H

#include <stdint.h>

#include <cairn/hil/gpio.h>

#include "lm3s_regs.h"

struct pl061_pin;

// One port: 8 pins sharing an interrupt line. pins[] holds the pins the board set up
// (null for the others), so the bottom half finds the client of each edge.
struct pl061_port {
    struct pl061_regs *regs;
    uint8_t irq;
    struct pl061_pin *pins[8];
};

struct pl061_pin {
    struct gpio_pin hil;
    struct pl061_port *port;
    uint8_t bit;
    struct gpio_client *client;
    uint32_t tag;
};

// post: every interrupt of the port masked and cleared; the line unmasked in the NVIC.
void pl061_port_init(struct pl061_port *port, struct pl061_regs *regs, uint8_t irq);

// post: the pin is a digital input with no pull (its reset state apart from DEN).
void pl061_pin_init(struct pl061_pin *pin, struct pl061_port *port, unsigned bit);

// Bottom half of the port's line: calls the client of every pin with a pending edge.
void pl061_service(struct pl061_port *port);

#endif

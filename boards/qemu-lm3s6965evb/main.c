// SPDX-License-Identifier: Apache-2.0
// Board wiring for QEMU lm3s6965evb: clock, UART, alarm, GPIO pins (the rest: boards/common).
#include <stddef.h>

#include "lm3s_timer.h"
#include "arch.h"
#include "board_common.h"
#include "pl011.h"
#include "pl061.h"
#include "semihost_entropy.h"
#include "sysctl.h"

// LM3S6965 datasheet memory map and interrupt table (QEMU's stellaris.c wires the same).
#define UART0_BASE 0x4000C000u
#define UART0_IRQ  5
#define WDT_BASE   0x40000000u
#define GPTM0_BASE 0x40030000u
#define GPTM0A_IRQ 19
#define WDT_IRQ    18
// GPIO ports (PL061) the board uses and their lines.
#define GPIOB_BASE 0x40005000u
#define GPIOB_IRQ  1
#define GPIOE_BASE 0x40024000u
#define GPIOE_IRQ  4
#define GPIOF_BASE 0x40025000u
#define GPIOF_IRQ  30
// 200 MHz PLL / (7 + 1): the same 25 MHz as the an385, which SysTick (the timeslice),
// the alarm and the UART divisor all take as their clock.
#define SYSDIV 7u

static struct pl011_uart uart0;
// The only entropy QEMU offers this board is the host's, through semihosting (said at boot).
static struct semihost_entropy entropy;
static struct lm3s_alarm alarm;
static struct pl061_port port_b, port_e, port_f;

// The evaluation board's wiring (and QEMU's): the user LED on PF0 (lit when high); the
// navigation switches up, down, left, right on PE0-PE3 and select on PF1, closing to
// ground (pull-ups on). QEMU maps the keys up, down, left, right and ctrl onto them.
// The GPIO driver gets PB0, PB1 and PB4-PB6, which nothing on the board uses (PB2/PB3
// are I2C0, PB7 is JTAG's TRST).
static struct pl061_pin led_pf0, btn_pins[5], gpio_pins[5];
static const uint8_t gpio_bits[5] = {0, 1, 4, 5, 6};
static const struct led_pin board_leds[] = {{&led_pf0.hil, false}};
static const struct button_pin board_buttons[] = {
    {&btn_pins[0].hil, true, GPIO_PULL_UP}, {&btn_pins[1].hil, true, GPIO_PULL_UP},
    {&btn_pins[2].hil, true, GPIO_PULL_UP}, {&btn_pins[3].hil, true, GPIO_PULL_UP},
    {&btn_pins[4].hil, true, GPIO_PULL_UP},
};
static struct gpio_pin *const board_gpio[] = {
    &gpio_pins[0].hil, &gpio_pins[1].hil, &gpio_pins[2].hil, &gpio_pins[3].hil, &gpio_pins[4].hil,
};

static void putc_sync(char c)
{
    pl011_putc_sync(&uart0, c);
}

static void poll_tx(void)
{
    pl011_poll_tx(&uart0);
}

bool board_service_irq(unsigned irq)
{
    switch (irq) {
    case UART0_IRQ:
        pl011_service(&uart0);
        return true;
    case GPTM0A_IRQ:
        lm3s_alarm_service(&alarm);
        return true;
    case WDT_IRQ:
        lm3s_alarm_wdt_service(&alarm);
        return true;
    case GPIOB_IRQ:
        pl061_service(&port_b);
        return true;
    case GPIOE_IRQ:
        pl061_service(&port_e);
        return true;
    case GPIOF_IRQ:
        pl061_service(&port_f);
        return true;
    default:
        return false;
    }
}

_Noreturn void board_main(void);
_Noreturn void board_main(void)
{
    arch_init();
    uint32_t hz = lm3s_sysctl_clock_init(SYSDIV);
    lm3s_sysctl_enable_peripherals();
    pl011_init(&uart0, (struct pl011_regs *)UART0_BASE, UART0_IRQ, hz, 115200u);
    lm3s_alarm_init(&alarm, (struct wdt_regs *)WDT_BASE, (struct gptm_regs *)GPTM0_BASE, GPTM0A_IRQ,
                    WDT_IRQ, hz);
    pl061_port_init(&port_b, (struct pl061_regs *)GPIOB_BASE, GPIOB_IRQ);
    pl061_port_init(&port_e, (struct pl061_regs *)GPIOE_BASE, GPIOE_IRQ);
    pl061_port_init(&port_f, (struct pl061_regs *)GPIOF_BASE, GPIOF_IRQ);
    pl061_pin_init(&led_pf0, &port_f, 0);
    for (unsigned i = 0; i < 4; i++)
        pl061_pin_init(&btn_pins[i], &port_e, i);
    pl061_pin_init(&btn_pins[4], &port_f, 1);
    for (unsigned i = 0; i < 5; i++)
        pl061_pin_init(&gpio_pins[i], &port_b, gpio_bits[i]);
    semihost_entropy_init(&entropy);
    static const struct board_io io = {
        .name = "qemu-lm3s6965evb (Cortex-M3), 64 kB RAM",
        .uart = &uart0.hil,
        .alarm = &alarm.hil,
        .putc_sync = putc_sync,
        .poll_tx = poll_tx,
        .leds = board_leds,
        .n_leds = 1,
        .buttons = board_buttons,
        .n_buttons = 5,
        .gpio = board_gpio,
        .n_gpio = 5,
        .entropy = &entropy.src,
    };
    board_common_run(&io);
}

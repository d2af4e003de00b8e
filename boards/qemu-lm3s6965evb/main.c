// SPDX-License-Identifier: Apache-2.0
// Board wiring for QEMU lm3s6965evb: clock, UART, alarm, GPIO pins (the rest: boards/common).
#include <stddef.h>

#include "lm3s_timer.h"
#include "arch.h"
#include "board_common.h"
#include "pl011.h"
#include "sysctl.h"

// LM3S6965 datasheet memory map and interrupt table (QEMU's stellaris.c wires the same).
#define UART0_BASE 0x4000C000u
#define UART0_IRQ  5
#define WDT_BASE   0x40000000u
#define GPTM0_BASE 0x40030000u
#define GPTM0A_IRQ 19
// 200 MHz PLL / (7 + 1): the same 25 MHz as the an385, which SysTick (the timeslice),
// the alarm and the UART divisor all take as their clock.
#define SYSDIV 7u

static struct pl011_uart uart0;
static struct lm3s_alarm alarm;

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
                    hz);
    static const struct board_io io = {
        .name = "qemu-lm3s6965evb (Cortex-M3), 64 kB RAM",
        .uart = &uart0.hil,
        .alarm = &alarm.hil,
        .putc_sync = putc_sync,
        .poll_tx = poll_tx,
    };
    board_common_run(&io);
}

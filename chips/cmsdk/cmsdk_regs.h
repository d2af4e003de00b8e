// SPDX-License-Identifier: Apache-2.0
// Register layouts of the ARM CMSDK APB peripherals used on the mps2 boards.
#ifndef CAIRN_CMSDK_REGS_H
#define CAIRN_CMSDK_REGS_H

#include <stdint.h>

#define REG32 volatile uint32_t

// CMSDK APB UART.
struct cmsdk_uart_regs {
    REG32 data;      // 0x00: write = transmit a byte, read = received byte
    REG32 state;     // 0x04: TXFULL, RXFULL, overrun flags (write 1 to clear overruns)
    REG32 ctrl;      // 0x08
    REG32 intstatus; // 0x0C: read = pending interrupts, write 1 = clear (INTCLEAR)
    REG32 bauddiv;   // 0x10: clock divider, ≥ 16
};
#define UART_STATE_TXFULL (1u << 0)
#define UART_STATE_RXFULL (1u << 1)
#define UART_STATE_TXOVR  (1u << 2)
#define UART_STATE_RXOVR  (1u << 3)
#define UART_CTRL_TXEN    (1u << 0)
#define UART_CTRL_RXEN    (1u << 1)
#define UART_CTRL_TXINTEN (1u << 2)
#define UART_CTRL_RXINTEN (1u << 3)
#define UART_INT_TX       (1u << 0)
#define UART_INT_RX       (1u << 1)
#define UART_INT_TXOVR    (1u << 2)
#define UART_INT_RXOVR    (1u << 3)

// CMSDK APB dual timer: two 32-bit down counters. Cairn uses timer 1 free-running as the
// time base and timer 2 one-shot for the next alarm.
struct cmsdk_dualtimer_unit {
    REG32 load;   // 0x00
    REG32 value;  // 0x04 (read-only)
    REG32 ctrl;   // 0x08
    REG32 intclr; // 0x0C (write any value)
    REG32 ris;    // 0x10
    REG32 mis;    // 0x14
    REG32 bgload; // 0x18
    uint32_t _reserved;
};
struct cmsdk_dualtimer_regs {
    struct cmsdk_dualtimer_unit t[2];
};
#define DUALTIMER_CTRL_ONESHOT        (1u << 0)
#define DUALTIMER_CTRL_SIZE32         (1u << 1)
#define DUALTIMER_CTRL_PRESCALE_SHIFT 2 // 0: /1, 1: /16, 2: /256
#define DUALTIMER_CTRL_INTEN          (1u << 5)
#define DUALTIMER_CTRL_PERIODIC       (1u << 6)
#define DUALTIMER_CTRL_ENABLE         (1u << 7)

#endif

// SPDX-License-Identifier: Apache-2.0
// ARM PL011 UART driver: interrupt-driven, split-phase, behind the UART HIL.
#ifndef CAIRN_PL011_H
#define CAIRN_PL011_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/uart.h>
#include <cairn/uart_xfer.h>

#include "lm3s_regs.h"

// One instance per UART. A transmit in progress owns tx_buf until tx_done; a receive owns
// rx_buf until rx_done. The FIFOs stay off: one byte per interrupt each way, so the
// receiver applies back-pressure byte by byte (QEMU holds input until there is room).
struct pl011_uart {
    struct uart hil;
    struct pl011_regs *regs;
    uint8_t irq;
    struct uart_xfer x; // buffers lent by the client (cairn/uart_xfer.h)
};

// pre: interrupts masked; clock_hz is the UART's clock. post: 8N1 at baud, TX/RX on,
// the line unmasked in the NVIC.
void pl011_init(struct pl011_uart *u, struct pl011_regs *regs, uint8_t irq, uint32_t clock_hz,
                uint32_t baud);

// Bottom half of the UART's interrupt line.
void pl011_service(struct pl011_uart *u);

// Advance a transmit without interrupts (panic and exit paths); receive is left alone.
void pl011_poll_tx(struct pl011_uart *u);

// Polling output for boot and panic; waits for room in the transmitter.
void pl011_putc_sync(struct pl011_uart *u, char c);

#endif

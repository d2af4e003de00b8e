// SPDX-License-Identifier: Apache-2.0
// CMSDK APB UART driver: interrupt-driven, split-phase, behind the UART HIL.
#ifndef CAIRN_CMSDK_UART_H
#define CAIRN_CMSDK_UART_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/uart.h>
#include <cairn/uart_xfer.h>

#include "cmsdk_regs.h"

// One instance per UART. Fields after `hil` are the driver's own: a transmit in progress
// owns tx_buf until tx_done; a receive owns rx_buf until rx_done.
struct cmsdk_uart {
    struct uart hil;
    struct cmsdk_uart_regs *regs;
    uint8_t irq_rx, irq_tx;
    struct uart_xfer x; // buffers lent by the client (cairn/uart_xfer.h)
};

// pre: interrupts masked. post: TX/RX enabled, lines unmasked in the NVIC.
void cmsdk_uart_init(struct cmsdk_uart *u, struct cmsdk_uart_regs *regs, uint8_t irq_rx,
                     uint8_t irq_tx, uint32_t bauddiv);

// Bottom half for either line of this UART.
void cmsdk_uart_service(struct cmsdk_uart *u);

// Advance a transmit without interrupts (panic and exit paths); receive is left alone.
void cmsdk_uart_poll_tx(struct cmsdk_uart *u);

// Polling output for boot and panic; waits for room in the transmitter.
void cmsdk_uart_putc_sync(struct cmsdk_uart *u, char c);

#endif

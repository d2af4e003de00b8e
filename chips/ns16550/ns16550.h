// SPDX-License-Identifier: Apache-2.0
// NS16550A UART driver: interrupt-driven, split-phase, behind the UART HIL.
#ifndef CAIRN_NS16550_H
#define CAIRN_NS16550_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/uart.h>
#include <cairn/uart_xfer.h>

// The registers, one byte each at consecutive addresses (QEMU virt: reg-shift 0).
struct ns16550_regs {
    volatile uint8_t rbr_thr; // 0: read = received byte (RBR), write = transmit (THR)
    volatile uint8_t ier;     // 1: interrupt enable
    volatile uint8_t iir_fcr; // 2: read = interrupt identification, write = FIFO control
    volatile uint8_t lcr;     // 3: line control
    volatile uint8_t mcr;     // 4: modem control
    volatile uint8_t lsr;     // 5: line status
    volatile uint8_t msr;     // 6
    volatile uint8_t scr;     // 7
};
#define NS16550_IER_RDA      (1u << 0) // received data available
#define NS16550_IER_THRE     (1u << 1) // transmit holding register empty
#define NS16550_FCR_ENABLE   (1u << 0)
#define NS16550_FCR_CLEAR_RX (1u << 1)
#define NS16550_FCR_CLEAR_TX (1u << 2)
#define NS16550_LCR_8N1      0x03u
#define NS16550_LCR_DLAB     0x80u
#define NS16550_MCR_OUT2     (1u << 3) // gates the interrupt output on PC-style wiring
#define NS16550_LSR_DR       (1u << 0) // a received byte is waiting
#define NS16550_LSR_THRE     (1u << 5) // transmit FIFO empty
#define NS16550_FIFO_LEN     16u

// One instance per UART. A transmit in progress owns tx_buf until tx_done; a receive owns
// rx_buf until rx_done.
struct ns16550 {
    struct uart hil;
    struct ns16550_regs *regs;
    uint8_t irq;
    struct uart_xfer x; // buffers lent by the client (cairn/uart_xfer.h)
};

// pre: interrupts masked. post: FIFOs on, RX interrupt enabled, line enabled.
void ns16550_init(struct ns16550 *u, struct ns16550_regs *regs, uint8_t irq);
// Bottom half of the UART's interrupt line.
void ns16550_service(struct ns16550 *u);
// Advance a transmit without interrupts (panic and exit paths).
void ns16550_poll_tx(struct ns16550 *u);
// Polling output for boot and panic: waits for room in the transmitter.
void ns16550_putc_sync(struct ns16550 *u, char c);

#endif

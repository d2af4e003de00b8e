// SPDX-License-Identifier: Apache-2.0
// ARM PL011 UART driver: one byte per transmit interrupt, bytes pulled as they arrive.
#include <stddef.h>

#include "arch.h"
#include "pl011.h"

#include <cairn/errorcode.h>

#define UART_OF(h) ((struct pl011_uart *)(h))

_Static_assert(offsetof(struct pl011_regs, fr) == 0x018, "PL011 FR offset");
_Static_assert(offsetof(struct pl011_regs, icr) == 0x044, "PL011 ICR offset");

static int pl011_tx(struct uart *h, const uint8_t *buf, uint32_t len)
{
    struct pl011_uart *u = UART_OF(h);
    int err = uart_xfer_tx_begin(&u->x, buf, len);
    if (err != OK)
        return err;
    // Prime with the first byte; the transmit interrupt (holding register empty again)
    // sends each next one. The interrupt is level-triggered, so it is enabled only while
    // a transmit is in progress.
    if (!(u->regs->fr & PL011_FR_TXFF))
        u->regs->dr = u->x.tx_buf[u->x.tx_pos++];
    u->regs->imsc |= PL011_INT_TX;
    return OK;
}

static int pl011_rx(struct uart *h, uint8_t *buf, uint32_t len)
{
    return uart_xfer_rx_begin(&UART_OF(h)->x, buf, len);
}

static int pl011_rx_abort(struct uart *h)
{
    return uart_xfer_rx_abort(&UART_OF(h)->x);
}

static void pl011_set_client(struct uart *h, struct uart_client *c)
{
    uart_xfer_set_client(&UART_OF(h)->x, c);
}

static const struct uart_ops pl011_ops = {
    .transmit = pl011_tx,
    .receive = pl011_rx,
    .receive_abort = pl011_rx_abort,
    .set_client = pl011_set_client,
};

void pl011_init(struct pl011_uart *u, struct pl011_regs *regs, uint8_t irq, uint32_t clock_hz,
                uint32_t baud)
{
    u->hil.ops = &pl011_ops;
    u->regs = regs;
    u->irq = irq;
    uart_xfer_init(&u->x);
    regs->cr = 0;
    // Divisor = clock / (16 * baud) in 16.6 fixed point, rounded to the nearest 64th.
    uint32_t div64 = (uint32_t)(((uint64_t)clock_hz * 4u + baud / 2u) / baud);
    regs->ibrd = div64 >> 6;
    regs->fbrd = div64 & 0x3Fu;
    regs->lcrh = PL011_LCRH_WLEN8; // 8N1, FIFOs off (written after the divisors, as required)
    regs->icr = 0x7FFu;
    regs->imsc = PL011_INT_RX | PL011_INT_RT;
    regs->cr = PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE;
    arch_irq_enable(irq);
}

static void tx_step(struct pl011_uart *u)
{
    if (!u->x.tx_buf) {
        u->regs->imsc &= ~PL011_INT_TX;
        return;
    }
    if (u->regs->fr & PL011_FR_TXFF)
        return;
    if (u->x.tx_pos < u->x.tx_len) {
        u->regs->dr = u->x.tx_buf[u->x.tx_pos++];
        return;
    }
    u->regs->imsc &= ~PL011_INT_TX;
    uart_xfer_tx_end(&u->x);
}

void pl011_poll_tx(struct pl011_uart *u)
{
    u->regs->icr = PL011_INT_TX;
    tx_step(u);
}

void pl011_service(struct pl011_uart *u)
{
    // Clear before handling: an event after this point raises the line again.
    u->regs->icr = PL011_INT_TX | PL011_INT_RX | PL011_INT_RT | PL011_INT_ERR;
    while (!(u->regs->fr & PL011_FR_RXFE))
        uart_xfer_rx_byte(&u->x, (uint8_t)u->regs->dr); // bits 8-11 are error flags
    tx_step(u);
}

void pl011_putc_sync(struct pl011_uart *u, char c)
{
    while (u->regs->fr & PL011_FR_TXFF)
        ;
    u->regs->dr = (uint8_t)c;
}

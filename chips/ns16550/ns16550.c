// SPDX-License-Identifier: Apache-2.0
// NS16550A UART driver: a FIFO's worth of bytes per TX-empty interrupt, RX bytes as they arrive.
#include <stddef.h>

#include "arch.h"
#include "ns16550.h"

#include <cairn/errorcode.h>

#define UART_OF(h) ((struct ns16550 *)(h))

static void tx_fill(struct ns16550 *u)
{
    // THRE means the whole FIFO is empty: room for a FIFO's worth.
    if (!(u->regs->lsr & NS16550_LSR_THRE))
        return;
    for (unsigned n = 0; n < NS16550_FIFO_LEN && u->x.tx_pos < u->x.tx_len; n++)
        u->regs->rbr_thr = u->x.tx_buf[u->x.tx_pos++];
}

static int uart_tx(struct uart *h, const uint8_t *buf, uint32_t len)
{
    struct ns16550 *u = UART_OF(h);
    int err = uart_xfer_tx_begin(&u->x, buf, len);
    if (err != OK)
        return err;
    tx_fill(u);
    // The TX-empty interrupt reports when this chunk has drained; completion (even of a
    // transfer that fit at once) comes from the bottom half, never from inside this call.
    u->regs->ier |= NS16550_IER_THRE;
    return OK;
}

static int uart_rx(struct uart *h, uint8_t *buf, uint32_t len)
{
    return uart_xfer_rx_begin(&UART_OF(h)->x, buf, len);
}

static int uart_rx_abort(struct uart *h)
{
    return uart_xfer_rx_abort(&UART_OF(h)->x);
}

static void ns_set_client(struct uart *h, struct uart_client *c)
{
    uart_xfer_set_client(&UART_OF(h)->x, c);
}

static const struct uart_ops ns16550_ops = {
    .transmit = uart_tx,
    .receive = uart_rx,
    .receive_abort = uart_rx_abort,
    .set_client = ns_set_client,
};

void ns16550_init(struct ns16550 *u, struct ns16550_regs *regs, uint8_t irq)
{
    u->hil.ops = &ns16550_ops;
    u->regs = regs;
    u->irq = irq;
    uart_xfer_init(&u->x);
    regs->ier = 0;
    // QEMU ignores the divisor; a real part would need it set with DLAB for its clock.
    regs->lcr = NS16550_LCR_8N1;
    regs->iir_fcr = NS16550_FCR_ENABLE | NS16550_FCR_CLEAR_RX | NS16550_FCR_CLEAR_TX;
    regs->mcr = NS16550_MCR_OUT2;
    regs->ier = NS16550_IER_RDA;
    arch_irq_enable(irq);
}

static void tx_step(struct ns16550 *u)
{
    if (!u->x.tx_buf)
        return;
    if (u->x.tx_pos < u->x.tx_len) {
        tx_fill(u);
        return;
    }
    if (!(u->regs->lsr & NS16550_LSR_THRE))
        return; // the last chunk is still draining
    u->regs->ier &= (uint8_t)~NS16550_IER_THRE;
    uart_xfer_tx_end(&u->x);
}

void ns16550_poll_tx(struct ns16550 *u)
{
    tx_step(u);
}

void ns16550_service(struct ns16550 *u)
{
    // Reading IIR acknowledges a TX-empty interrupt; RX clears by draining RBR.
    (void)u->regs->iir_fcr;
    while (u->regs->lsr & NS16550_LSR_DR) {
        uart_xfer_rx_byte(&u->x, u->regs->rbr_thr);
    }
    tx_step(u);
}

void ns16550_putc_sync(struct ns16550 *u, char c)
{
    while (!(u->regs->lsr & NS16550_LSR_THRE))
        ;
    u->regs->rbr_thr = (uint8_t)c;
}

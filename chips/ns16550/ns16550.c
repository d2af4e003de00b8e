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
    for (unsigned n = 0; n < NS16550_FIFO_LEN && u->tx_pos < u->tx_len; n++)
        u->regs->rbr_thr = u->tx_buf[u->tx_pos++];
}

static int uart_tx(struct uart *h, const uint8_t *buf, uint32_t len)
{
    struct ns16550 *u = UART_OF(h);
    if (u->tx_buf)
        return BUSY;
    if (len == 0)
        return SIZE;
    u->tx_buf = buf;
    u->tx_len = len;
    u->tx_pos = 0;
    tx_fill(u);
    // The TX-empty interrupt reports when this chunk has drained; completion (even of a
    // transfer that fit at once) comes from the bottom half, never from inside this call.
    u->regs->ier |= NS16550_IER_THRE;
    return OK;
}

static int uart_rx(struct uart *h, uint8_t *buf, uint32_t len)
{
    struct ns16550 *u = UART_OF(h);
    if (u->rx_buf)
        return BUSY;
    if (len == 0)
        return SIZE;
    u->rx_buf = buf;
    u->rx_len = len;
    u->rx_pos = 0;
    u->rx_abort = false;
    return OK;
}

static int uart_rx_abort(struct uart *h)
{
    struct ns16550 *u = UART_OF(h);
    if (!u->rx_buf)
        return ALREADY;
    u->rx_abort = true;
    deferred_call_schedule(&u->dc);
    return OK;
}

static void ns_set_client(struct uart *h, struct uart_client *c)
{
    UART_OF(h)->client = c;
}

static const struct uart_ops ns16550_ops = {
    .transmit = uart_tx,
    .receive = uart_rx,
    .receive_abort = uart_rx_abort,
    .set_client = ns_set_client,
};

static void uart_deferred(void *ctx)
{
    struct ns16550 *u = ctx;
    if (u->rx_abort && u->rx_buf) {
        uint8_t *buf = u->rx_buf;
        uint32_t n = u->rx_pos;
        u->rx_buf = NULL;
        u->rx_abort = false;
        if (u->client && u->client->rx_done)
            u->client->rx_done(u->client, buf, n, CANCEL);
    }
}

void ns16550_init(struct ns16550 *u, struct ns16550_regs *regs, uint8_t irq)
{
    u->hil.ops = &ns16550_ops;
    u->regs = regs;
    u->irq = irq;
    deferred_call_register(&u->dc, uart_deferred, u);
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
    if (!u->tx_buf)
        return;
    if (u->tx_pos < u->tx_len) {
        tx_fill(u);
        return;
    }
    if (!(u->regs->lsr & NS16550_LSR_THRE))
        return; // the last chunk is still draining
    const uint8_t *buf = u->tx_buf;
    uint32_t len = u->tx_len;
    u->tx_buf = NULL;
    u->regs->ier &= (uint8_t)~NS16550_IER_THRE;
    if (u->client && u->client->tx_done)
        u->client->tx_done(u->client, buf, len, OK);
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
        uint8_t c = u->regs->rbr_thr;
        if (!u->rx_buf || u->rx_abort) {
            u->rx_dropped++;
            continue;
        }
        u->rx_buf[u->rx_pos++] = c;
        if (u->rx_pos == u->rx_len) {
            uint8_t *buf = u->rx_buf;
            u->rx_buf = NULL;
            if (u->client && u->client->rx_done)
                u->client->rx_done(u->client, buf, u->rx_len, OK);
        }
    }
    tx_step(u);
}

void ns16550_putc_sync(struct ns16550 *u, char c)
{
    while (!(u->regs->lsr & NS16550_LSR_THRE))
        ;
    u->regs->rbr_thr = (uint8_t)c;
}

// SPDX-License-Identifier: Apache-2.0
// CMSDK APB UART driver: one byte per TX interrupt, bytes pulled from RX as they arrive.
#include <stddef.h>

#include "arch.h"
#include "uart.h"

#include <cairn/errorcode.h>

#define UART_OF(h) ((struct cmsdk_uart *)(h))

static int uart_tx(struct uart *h, const uint8_t *buf, uint32_t len)
{
    struct cmsdk_uart *u = UART_OF(h);
    int err = uart_xfer_tx_begin(&u->x, buf, len);
    if (err != OK)
        return err;
    // Enable first: the UART raises TX only for bytes that drain while it is enabled.
    // Then prime; each TX interrupt (holding register empty) sends the next byte.
    u->regs->ctrl |= UART_CTRL_TXINTEN;
    if (!(u->regs->state & UART_STATE_TXFULL))
        u->regs->data = u->x.tx_buf[u->x.tx_pos++];
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

static void cmsdk_set_client(struct uart *h, struct uart_client *c)
{
    uart_xfer_set_client(&UART_OF(h)->x, c);
}

static const struct uart_ops cmsdk_uart_ops = {
    .transmit = uart_tx,
    .receive = uart_rx,
    .receive_abort = uart_rx_abort,
    .set_client = cmsdk_set_client,
};

void cmsdk_uart_init(struct cmsdk_uart *u, struct cmsdk_uart_regs *regs, uint8_t irq_rx,
                     uint8_t irq_tx, uint32_t bauddiv)
{
    u->hil.ops = &cmsdk_uart_ops;
    u->regs = regs;
    u->irq_rx = irq_rx;
    u->irq_tx = irq_tx;
    uart_xfer_init(&u->x);
    regs->bauddiv = bauddiv;
    regs->ctrl = UART_CTRL_TXEN | UART_CTRL_RXEN | UART_CTRL_RXINTEN;
    arch_irq_enable(irq_rx);
    arch_irq_enable(irq_tx);
}

static void tx_step(struct cmsdk_uart *u)
{
    if (!u->x.tx_buf || (u->regs->state & UART_STATE_TXFULL))
        return;
    if (u->x.tx_pos < u->x.tx_len) {
        u->regs->data = u->x.tx_buf[u->x.tx_pos++];
        return;
    }
    u->regs->ctrl &= ~UART_CTRL_TXINTEN;
    uart_xfer_tx_end(&u->x);
}

void cmsdk_uart_poll_tx(struct cmsdk_uart *u)
{
    u->regs->intstatus = UART_INT_TX;
    tx_step(u);
}

void cmsdk_uart_service(struct cmsdk_uart *u)
{
    uint32_t st = u->regs->intstatus;
    u->regs->intstatus = st; // clear what we are about to handle
    if (u->regs->state & (UART_STATE_RXOVR | UART_STATE_TXOVR))
        u->regs->state = UART_STATE_RXOVR | UART_STATE_TXOVR;

    while (u->regs->state & UART_STATE_RXFULL) {
        uart_xfer_rx_byte(&u->x, (uint8_t)u->regs->data);
    }

    tx_step(u);
}

void cmsdk_uart_putc_sync(struct cmsdk_uart *u, char c)
{
    while (u->regs->state & UART_STATE_TXFULL)
        ;
    u->regs->data = (uint8_t)c;
}

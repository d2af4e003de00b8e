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
    if (u->tx_buf)
        return BUSY;
    if (len == 0)
        return SIZE;
    u->tx_buf = buf;
    u->tx_len = len;
    u->tx_pos = 0;
    // Enable first: the UART raises TX only for bytes that drain while it is enabled.
    // Then prime; each TX interrupt (holding register empty) sends the next byte.
    u->regs->ctrl |= UART_CTRL_TXINTEN;
    if (!(u->regs->state & UART_STATE_TXFULL))
        u->regs->data = u->tx_buf[u->tx_pos++];
    return OK;
}

static int uart_rx(struct uart *h, uint8_t *buf, uint32_t len)
{
    struct cmsdk_uart *u = UART_OF(h);
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
    struct cmsdk_uart *u = UART_OF(h);
    if (!u->rx_buf)
        return ALREADY;
    // Completion must not run inside the caller: finish from a deferred call.
    u->rx_abort = true;
    deferred_call_schedule(&u->dc);
    return OK;
}

static void cmsdk_set_client(struct uart *h, struct uart_client *c)
{
    UART_OF(h)->client = c;
}

static const struct uart_ops cmsdk_uart_ops = {
    .transmit = uart_tx,
    .receive = uart_rx,
    .receive_abort = uart_rx_abort,
    .set_client = cmsdk_set_client,
};

static void uart_deferred(void *ctx)
{
    struct cmsdk_uart *u = ctx;
    if (u->rx_abort && u->rx_buf) {
        uint8_t *buf = u->rx_buf;
        uint32_t n = u->rx_pos;
        u->rx_buf = NULL;
        u->rx_abort = false;
        if (u->client && u->client->rx_done)
            u->client->rx_done(u->client, buf, n, CANCEL);
    }
}

void cmsdk_uart_init(struct cmsdk_uart *u, struct cmsdk_uart_regs *regs, uint8_t irq_rx,
                     uint8_t irq_tx, uint32_t bauddiv)
{
    u->hil.ops = &cmsdk_uart_ops;
    u->regs = regs;
    u->irq_rx = irq_rx;
    u->irq_tx = irq_tx;
    deferred_call_register(&u->dc, uart_deferred, u);
    regs->bauddiv = bauddiv;
    regs->ctrl = UART_CTRL_TXEN | UART_CTRL_RXEN | UART_CTRL_RXINTEN;
    arch_irq_enable(irq_rx);
    arch_irq_enable(irq_tx);
}

static void tx_step(struct cmsdk_uart *u)
{
    if (!u->tx_buf || (u->regs->state & UART_STATE_TXFULL))
        return;
    if (u->tx_pos < u->tx_len) {
        u->regs->data = u->tx_buf[u->tx_pos++];
        return;
    }
    const uint8_t *buf = u->tx_buf;
    uint32_t len = u->tx_len;
    u->tx_buf = NULL;
    u->regs->ctrl &= ~UART_CTRL_TXINTEN;
    if (u->client && u->client->tx_done)
        u->client->tx_done(u->client, buf, len, OK);
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
        uint8_t c = (uint8_t)u->regs->data;
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

void cmsdk_uart_putc_sync(struct cmsdk_uart *u, char c)
{
    while (u->regs->state & UART_STATE_TXFULL)
        ;
    u->regs->data = (uint8_t)c;
}

// SPDX-License-Identifier: Apache-2.0
// UART transfer bookkeeping shared by the chip drivers (cairn/uart_xfer.h).
#include <stddef.h>

#include <cairn/errorcode.h>
#include <cairn/uart_xfer.h>

static void rx_abort_done(void *ctx)
{
    struct uart_xfer *x = ctx;
    if (x->rx_abort && x->rx_buf) {
        uint8_t *buf = x->rx_buf;
        uint32_t n = x->rx_pos;
        x->rx_buf = NULL;
        x->rx_abort = false;
        if (x->client && x->client->rx_done)
            x->client->rx_done(x->client, buf, n, CANCEL);
    }
}

void uart_xfer_init(struct uart_xfer *x)
{
    x->client = NULL;
    x->tx_buf = NULL;
    x->rx_buf = NULL;
    x->rx_abort = false;
    x->rx_dropped = 0;
    deferred_call_register(&x->dc, rx_abort_done, x);
}

int uart_xfer_tx_begin(struct uart_xfer *x, const uint8_t *buf, uint32_t len)
{
    if (x->tx_buf)
        return BUSY;
    if (len == 0)
        return SIZE;
    x->tx_buf = buf;
    x->tx_len = len;
    x->tx_pos = 0;
    return OK;
}

void uart_xfer_tx_end(struct uart_xfer *x)
{
    const uint8_t *buf = x->tx_buf;
    x->tx_buf = NULL;
    if (x->client && x->client->tx_done)
        x->client->tx_done(x->client, buf, x->tx_len, OK);
}

int uart_xfer_rx_begin(struct uart_xfer *x, uint8_t *buf, uint32_t len)
{
    if (x->rx_buf)
        return BUSY;
    if (len == 0)
        return SIZE;
    x->rx_buf = buf;
    x->rx_len = len;
    x->rx_pos = 0;
    x->rx_abort = false;
    return OK;
}

int uart_xfer_rx_abort(struct uart_xfer *x)
{
    if (!x->rx_buf)
        return ALREADY;
    x->rx_abort = true;
    deferred_call_schedule(&x->dc);
    return OK;
}

void uart_xfer_rx_byte(struct uart_xfer *x, uint8_t c)
{
    if (!x->rx_buf || x->rx_abort) {
        x->rx_dropped++;
        return;
    }
    x->rx_buf[x->rx_pos++] = c;
    if (x->rx_pos == x->rx_len) {
        uint8_t *buf = x->rx_buf;
        x->rx_buf = NULL;
        if (x->client && x->client->rx_done)
            x->client->rx_done(x->client, buf, x->rx_len, OK);
    }
}

// SPDX-License-Identifier: Apache-2.0
// UART multiplexer: round-robin whole transmits and lines, receive bytes copied to every reader.
#include <stddef.h>

#include "uart_mux.h"

#include <cairn/errorcode.h>

#define DEV_OF(h) ((struct uart_mux_dev *)(h))

static void mux_start_next(struct uart_mux *m);

static void mux_tx_done(struct uart_client *c, const uint8_t *buf, uint32_t len, int err)
{
    struct uart_mux *m = (struct uart_mux *)((uint8_t *)c - offsetof(struct uart_mux, as_client));
    struct uart_mux_dev *d = m->tx_owner;
    m->tx_owner = NULL;
    if (d) {
        d->tx_buf = NULL;
        d->run += len;
        // Mid-line: a transmit the device starts from its tx_done goes first (bounded).
        d->keep = d->whole_lines && err == OK && len && buf[len - 1] != '\n' &&
                  d->run < UART_MUX_LINE_MAX;
        if (d->client && d->client->tx_done)
            d->client->tx_done(d->client, buf, len, err);
        d->keep = false;
    }
    mux_start_next(m);
}

static void mux_rx_done(struct uart_client *c, uint8_t *buf, uint32_t len, int err)
{
    struct uart_mux *m = (struct uart_mux *)((uint8_t *)c - offsetof(struct uart_mux, as_client));
    (void)buf;
    if (err == OK && len == 1 && m->rx_filter && m->rx_filter(m->rx_filter_ctx, m->rx_byte))
        len = 0; // taken by the protocol: no reader sees it
    if (err == OK && len == 1) {
        for (struct uart_mux_dev *d = m->devs; d; d = d->next) {
            if (!d->rx_buf || d->rx_cancel)
                continue;
            d->rx_buf[d->rx_pos++] = m->rx_byte;
            if (d->rx_pos == d->rx_len) {
                uint8_t *b = d->rx_buf;
                d->rx_buf = NULL;
                if (d->client && d->client->rx_done)
                    d->client->rx_done(d->client, b, d->rx_len, OK);
            }
        }
    }
    // Always keep one byte outstanding: input is never lost while some reader exists.
    uart_receive(m->uart, &m->rx_byte, 1);
}

static void mux_start_next(struct uart_mux *m)
{
    if (m->tx_owner || !m->devs)
        return;
    // A holding (or line-keeping) device goes first; otherwise scan from the one after
    // the last served.
    bool holding = m->last && (m->last->hold || m->last->keep);
    struct uart_mux_dev *start = holding                      ? m->last
                                 : (m->last && m->last->next) ? m->last->next
                                                              : m->devs;
    struct uart_mux_dev *d = start;
    do {
        if (d->tx_queued) {
            d->tx_queued = false;
            if (!(holding && d == m->last))
                d->run = 0; // a new run: the line bound counts from here
            m->tx_owner = d;
            m->last = d;
            if (uart_transmit(m->uart, d->tx_buf, d->tx_len) != OK) {
                // The real UART refused: report failure to this device, try others later.
                m->tx_owner = NULL;
                const uint8_t *b = d->tx_buf;
                d->tx_buf = NULL;
                if (d->client && d->client->tx_done)
                    d->client->tx_done(d->client, b, 0, FAIL);
                continue;
            }
            return;
        }
        if (holding && d == m->last)
            return; // the holder has the UART reserved even while it prepares more
        d = d->next ? d->next : m->devs;
    } while (d != start);
}

static int dev_tx(struct uart *h, const uint8_t *buf, uint32_t len)
{
    struct uart_mux_dev *d = DEV_OF(h);
    if (d->tx_buf)
        return BUSY;
    if (len == 0)
        return SIZE;
    d->tx_buf = buf;
    d->tx_len = len;
    d->tx_queued = true;
    mux_start_next(d->mux);
    return OK;
}

static int dev_rx(struct uart *h, uint8_t *buf, uint32_t len)
{
    struct uart_mux_dev *d = DEV_OF(h);
    if (d->rx_buf)
        return BUSY;
    if (len == 0)
        return SIZE;
    d->rx_buf = buf;
    d->rx_len = len;
    d->rx_pos = 0;
    d->rx_cancel = false;
    return OK;
}

static void mux_deferred(void *ctx)
{
    struct uart_mux *m = ctx;
    for (struct uart_mux_dev *d = m->devs; d; d = d->next) {
        if (d->rx_cancel && d->rx_buf) {
            uint8_t *b = d->rx_buf;
            d->rx_buf = NULL;
            d->rx_cancel = false;
            if (d->client && d->client->rx_done)
                d->client->rx_done(d->client, b, d->rx_pos, CANCEL);
        }
    }
}

static int dev_rx_abort(struct uart *h)
{
    struct uart_mux_dev *d = DEV_OF(h);
    if (!d->rx_buf)
        return ALREADY;
    d->rx_cancel = true;
    deferred_call_schedule(&d->mux->dc);
    return OK;
}

static void dev_set_client(struct uart *h, struct uart_client *c)
{
    DEV_OF(h)->client = c;
}

static const struct uart_ops mux_dev_ops = {
    .transmit = dev_tx,
    .receive = dev_rx,
    .receive_abort = dev_rx_abort,
    .set_client = dev_set_client,
};

void uart_mux_init(struct uart_mux *m, struct uart *uart)
{
    m->uart = uart;
    m->as_client.tx_done = mux_tx_done;
    m->as_client.rx_done = mux_rx_done;
    deferred_call_register(&m->dc, mux_deferred, m);
    uart_set_client(uart, &m->as_client);
    uart_receive(uart, &m->rx_byte, 1);
}

// Not inlined: the board calls it once per device at boot, and LTO would otherwise
// unroll the list walk into each call (about 80 B apiece).
__attribute__((noinline)) void uart_mux_dev_init(struct uart_mux_dev *d, struct uart_mux *m)
{
    d->hil.ops = &mux_dev_ops;
    d->mux = m;
    d->whole_lines = true;
    // Append, so round-robin order is the board's wiring order.
    struct uart_mux_dev **pp = &m->devs;
    while (*pp)
        pp = &(*pp)->next;
    *pp = d;
}

void uart_mux_hold(struct uart_mux_dev *d, bool hold)
{
    d->hold = hold;
    if (!hold)
        mux_start_next(d->mux);
}

void uart_mux_set_rx_filter(struct uart_mux *m, bool (*filter)(void *ctx, uint8_t byte), void *ctx)
{
    m->rx_filter = filter;
    m->rx_filter_ctx = ctx;
}

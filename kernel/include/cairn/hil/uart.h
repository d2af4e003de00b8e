// SPDX-License-Identifier: Apache-2.0
// UART HIL: split-phase transmit and receive of byte buffers.
//
// Split-phase: transmit/receive start an operation and return OK or an error at once;
// completion arrives later through the client's callback, never from inside the call.
// Buffers are lent to the driver for the duration of the operation and handed back in
// the callback: the caller must not touch them meanwhile.
#ifndef CAIRN_HIL_UART_H
#define CAIRN_HIL_UART_H

#include <stdint.h>

struct uart;

struct uart_client {
    // The whole buffer was sent (err OK), or the transfer stopped early (err != OK; len
    // says how much went out).
    void (*tx_done)(struct uart_client *c, const uint8_t *buf, uint32_t len, int err);
    // len bytes were received into buf (err OK), or the receive was aborted (err CANCEL,
    // len = bytes received so far).
    void (*rx_done)(struct uart_client *c, uint8_t *buf, uint32_t len, int err);
};

struct uart_ops {
    // OK, BUSY (a transmit is in progress), SIZE (len 0).
    int (*transmit)(struct uart *u, const uint8_t *buf, uint32_t len);
    // OK, BUSY (a receive is in progress), SIZE (len 0).
    int (*receive)(struct uart *u, uint8_t *buf, uint32_t len);
    // OK (rx_done with CANCEL follows), ALREADY (no receive in progress).
    int (*receive_abort)(struct uart *u);
    void (*set_client)(struct uart *u, struct uart_client *c);
};

struct uart {
    const struct uart_ops *ops;
};

static inline int uart_transmit(struct uart *u, const uint8_t *buf, uint32_t len)
{
    return u->ops->transmit(u, buf, len);
}
static inline int uart_receive(struct uart *u, uint8_t *buf, uint32_t len)
{
    return u->ops->receive(u, buf, len);
}
static inline int uart_receive_abort(struct uart *u)
{
    return u->ops->receive_abort(u);
}
static inline void uart_set_client(struct uart *u, struct uart_client *c)
{
    u->ops->set_client(u, c);
}

#endif

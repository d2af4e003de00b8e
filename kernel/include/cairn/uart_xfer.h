// SPDX-License-Identifier: Apache-2.0
// The byte-transfer bookkeeping every UART driver shares: one transmit and one receive
// buffer lent by the client, receive abort completed from a deferred call.
//
// A chip driver keeps a struct uart_xfer, answers its struct uart ops through the
// uart_xfer_* calls below, and does only the register work itself: priming and stepping
// the transmitter (tx_buf/tx_len/tx_pos, then uart_xfer_tx_end), and handing each
// received byte to uart_xfer_rx_byte.
#ifndef CAIRN_UART_XFER_H
#define CAIRN_UART_XFER_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/deferred.h>
#include <cairn/hil/uart.h>

// Invariants: tx_buf != NULL exactly while a transmit is lent (tx_pos <= tx_len, both
// bytes); rx_buf != NULL exactly while a receive is lent (rx_pos < rx_len).
struct uart_xfer {
    struct uart_client *client;
    const uint8_t *tx_buf;
    uint32_t tx_len, tx_pos;
    uint8_t *rx_buf;
    uint32_t rx_len, rx_pos;
    bool rx_abort;       // receive_abort asked; completion runs as a deferred call
    uint32_t rx_dropped; // bytes that arrived with no receive outstanding
    struct deferred_call dc;
};

void uart_xfer_init(struct uart_xfer *x);

static inline void uart_xfer_set_client(struct uart_xfer *x, struct uart_client *c)
{
    x->client = c;
}

// Lend buf for a transmit: BUSY if one is in progress, SIZE if len is 0, else OK (the
// driver then primes its transmitter).
int uart_xfer_tx_begin(struct uart_xfer *x, const uint8_t *buf, uint32_t len);

// The transmitter has sent every byte: give the buffer back (tx_done, OK).
void uart_xfer_tx_end(struct uart_xfer *x);

// Lend buf for a receive of exactly len bytes: BUSY, SIZE or OK.
int uart_xfer_rx_begin(struct uart_xfer *x, uint8_t *buf, uint32_t len);

// Cut the receive short: ALREADY if none is lent; else OK, and rx_done(CANCEL) with the
// bytes so far follows from a deferred call (never inside the caller).
int uart_xfer_rx_abort(struct uart_xfer *x);

// One byte from the wire: stored (rx_done once the buffer is full) or counted as dropped.
void uart_xfer_rx_byte(struct uart_xfer *x, uint8_t c);

#endif

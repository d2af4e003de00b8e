// SPDX-License-Identifier: Apache-2.0
// UART multiplexer: many virtual UARTs (kernel debug, consoles) over one real UART.
#ifndef CAIRN_UART_MUX_H
#define CAIRN_UART_MUX_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/deferred.h>
#include <cairn/hil/uart.h>

struct uart_mux;

// Longest run of one device's output, in bytes, that the mux keeps together on its own
// while that output continues a line (see whole_lines below).
#define UART_MUX_LINE_MAX 512

// A virtual UART: implements the UART HIL for one client.
// Transmit: queued until the real UART is free; devices are served round-robin, one
// whole transmit at a time, so bytes of one transmit are never interleaved with others.
// Lines stay whole across transmits in one of two ways:
// - whole_lines (the default): when a transmit ends mid-line (its last byte is not '\n')
//   and the device transmits again from its tx_done, that transmit goes next, until a
//   line ends or UART_MUX_LINE_MAX bytes went out this way. A device with nothing more
//   ready gives way at once (a prompt never holds the UART). The kernel debug writer
//   relies on this: a message cut by its ring buffer's wrap stays whole.
// - hold: a device that sets it keeps the UART for its next transmit whatever it sent (a
//   console writing one line in chunks); it must transmit again from its tx_done or
//   release. Such a device manages its own turns and clears whole_lines.
// Receive: every device with a receive outstanding gets a copy of each received byte.
struct uart_mux_dev {
    struct uart hil;
    struct uart_mux *mux;
    struct uart_client *client;
    struct uart_mux_dev *next;
    const uint8_t *tx_buf;
    uint32_t tx_len;
    bool tx_queued, hold;
    bool whole_lines; // see above; set by uart_mux_dev_init
    bool keep;        // during tx_done: whole_lines applies to its next transmit
    uint32_t run;     // bytes sent in this device's current run of kept transmits
    uint8_t *rx_buf;
    uint32_t rx_len, rx_pos;
    bool rx_cancel;
};

struct uart_mux {
    struct uart *uart;
    struct uart_client as_client;
    struct uart_mux_dev *devs;
    struct uart_mux_dev *tx_owner; // device whose transmit is on the wire, or null
    struct uart_mux_dev *last;     // last device served, for round-robin
    uint8_t rx_byte;
    struct deferred_call dc;
    // See uart_mux_set_rx_filter.
    bool (*rx_filter)(void *ctx, uint8_t byte);
    void *rx_filter_ctx;
};

void uart_mux_init(struct uart_mux *m, struct uart *uart);
void uart_mux_dev_init(struct uart_mux_dev *d, struct uart_mux *m);
// Keep the UART for this device's following transmit (see above).
void uart_mux_hold(struct uart_mux_dev *d, bool hold);
// The demultiplexing hook for binary protocols that share the console UART (the app
// store link): every received byte goes to filter first, and only bytes it returns false
// for reach the devices' receives. One filter per mux. The filter runs in the receive
// bottom half and must only copy the byte and maybe schedule work.
void uart_mux_set_rx_filter(struct uart_mux *m, bool (*filter)(void *ctx, uint8_t byte), void *ctx);

#endif

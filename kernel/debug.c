// SPDX-License-Identifier: Apache-2.0
// Kernel debug writer: synchronous at boot and in panics, buffered split-phase otherwise.
#include <stdbool.h>

#include <cairn/debug.h>
#include <cairn/kprint.h>
#include <cairn/ringbuf.h>

static struct {
    void (*put_sync)(char c);
    void (*poll_tx)(void);
    struct uart *uart; // null while synchronous
    struct uart_client client;
    struct ringbuf ring;
    uint8_t storage[DEBUG_BUF_SIZE];
    uint32_t in_flight; // bytes lent to the UART, still at the ring's head
    uint32_t dropped;   // bytes lost to a full ring since the last report
    uint8_t hold;       // > 0: a full ring waits for the UART instead of dropping (nests)
} dbg;

void debug_init(void (*put_sync)(char c), void (*poll_tx)(void))
{
    dbg.put_sync = put_sync;
    dbg.poll_tx = poll_tx;
    // Synchronous again and nothing lent out: a fuzzer re-initialises the kernel per input.
    dbg.uart = 0;
    dbg.in_flight = dbg.dropped = 0;
    ringbuf_init(&dbg.ring, dbg.storage, sizeof dbg.storage);
}

static void debug_tx_done(struct uart_client *c, const uint8_t *buf, uint32_t len, int err)
{
    (void)c;
    (void)buf;
    (void)len;
    (void)err;
    // The whole run is done with even on error: retrying a broken UART would loop.
    ringbuf_consume(&dbg.ring, dbg.in_flight);
    dbg.in_flight = 0;
    debug_kick();
}

void debug_attach_uart(struct uart *u)
{
    dbg.client.tx_done = debug_tx_done;
    dbg.client.rx_done = 0;
    uart_set_client(u, &dbg.client);
    dbg.uart = u;
}

static void put_sync_crlf(char c)
{
    if (!dbg.put_sync)
        return;
    if (c == '\n')
        dbg.put_sync('\r');
    dbg.put_sync(c);
}

void debug_put(char c)
{
    if (!dbg.uart) {
        put_sync_crlf(c);
        return;
    }
    if (dbg.hold)
        debug_reserve(2); // room for "\r\n

    if (dbg.dropped && ringbuf_space(&dbg.ring) > 48) {
        // Say how much was lost at the point where it was lost, through kprintf (which
        // comes back here, CR LF included). The count is cleared first, and the note (at
        // most 37 bytes) fits the room tested, so the nested calls never take this branch.
        uint32_t n = dbg.dropped;
        dbg.dropped = 0;
        kprintf("\n[debug: %u bytes dropped]\n", (unsigned)n);
    }
    // Terminals want CR LF; the kernel's strings use '\n' alone.
    if (c == '\n' && !ringbuf_put(&dbg.ring, '\r')) {
        dbg.dropped++;
        return;
    }
    if (!ringbuf_put(&dbg.ring, (uint8_t)c)) {
        dbg.dropped++;
    }
}

void debug_kick(void)
{
    if (!dbg.uart || dbg.in_flight)
        return;
    uint32_t run;
    const uint8_t *p = ringbuf_peek_run(&dbg.ring, &run);
    if (run == 0)
        return;
    if (uart_transmit(dbg.uart, p, run) == 0)
        dbg.in_flight = run;
}

void debug_go_sync(void)
{
    if (!dbg.uart)
        return;
    // Let the UART finish what it was lent (bounded: a dead UART must not hang a panic),
    // so nothing is sent twice or lost; then write the rest ourselves.
    for (uint32_t spins = 0; dbg.in_flight && dbg.poll_tx && spins < 1000000; spins++)
        dbg.poll_tx();
    dbg.uart = 0;
    if (dbg.in_flight) {
        ringbuf_consume(&dbg.ring, dbg.in_flight); // the UART never finished: skip, not repeat
        dbg.in_flight = 0;
    }
    uint8_t c;
    while (ringbuf_get(&dbg.ring, &c))
        if (dbg.put_sync)
            dbg.put_sync((char)c); // already CR LF: converted on the way in
}

void debug_put_sync(char c)
{
    debug_go_sync();
    put_sync_crlf(c);
}

void debug_hold(bool on)
{
    // Nested: a console command that faults a process holds around the fault dump's own
    // hold, and the dump's end must not release the command's.
    if (on)
        dbg.hold++;
    else if (dbg.hold)
        dbg.hold--;
}

void debug_reserve(uint32_t n)
{
    if (!dbg.uart || !dbg.poll_tx)
        return;
    if (n > DEBUG_BUF_SIZE)
        n = DEBUG_BUF_SIZE;
    // Drain by polling: used for rare, long diagnostics (fault dumps) that must not be
    // cut, at the price of holding the CPU while the UART catches up.
    for (uint32_t spins = 0; ringbuf_space(&dbg.ring) < n && spins < 1000000; spins++) {
        if (!dbg.in_flight)
            debug_kick();
        dbg.poll_tx();
    }
}

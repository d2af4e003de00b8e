// SPDX-License-Identifier: Apache-2.0
// Console capsule: chunked, round-robin process writes and single-reader input.
#include <stddef.h>

#include "console.h"

#include <cairn/errorcode.h>

#define CON_OF(cl) ((struct console *)((uint8_t *)(cl)-offsetof(struct console, client)))

enum { UPCALL_WRITE = 1, UPCALL_READ = 2, ALLOW_SLOT = 1 };

struct pick {
    unsigned after;
    procid_t first, next;
};

static void pick_writer(procid_t pid, void *state, void *ctx)
{
    struct console_app *app = state;
    struct pick *p = ctx;
    if (!app->write_pending)
        return;
    if (!p->first)
        p->first = pid;
    if (!p->next && PROCID_INDEX(pid) > p->after)
        p->next = pid;
}

struct chunk_ctx {
    struct console *c;
    uint32_t n;
    bool done;
    uint32_t written;
};

// Copy the current writer's next chunk into c->tx: at most CONSOLE_BUF bytes, no more
// than its turn has left, and never past the end of a line (the '\n' included).
static void take_chunk(procid_t pid, void *state, void *ctx)
{
    struct console_app *app = state;
    struct chunk_ctx *k = ctx;
    struct console *c = k->c;
    uint32_t want = app->write_len - app->write_pos;
    if (want > CONSOLE_BUF)
        want = CONSOLE_BUF;
    if (want > CONSOLE_LINE_MAX - c->turn_bytes)
        want = CONSOLE_LINE_MAX - c->turn_bytes;
    // The process may have shrunk or swapped the buffer meanwhile: the accessor clamps
    // to what is allowed now, and a short chunk ends the write early.
    k->n = want ? allow_ro_read(&c->grant, pid, ALLOW_SLOT, app->write_pos, c->tx, want) : 0;
    if (k->n == 0) {
        k->done = true;
        k->written = app->write_pos;
        app->write_pending = 0;
        return;
    }
    for (uint32_t i = 0; i < k->n; i++) {
        if (c->tx[i] == '\n') {
            k->n = i + 1;
            break;
        }
    }
}

static void start_next(struct console *c);

static void stop_in_grant(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct console_app *app = state;
    app->write_pending = 0;
    *(uint32_t *)ctx = app->write_pos;
}

// End pid's write now and report the bytes sent so far (its write-done upcall).
static void stop_write(struct console *c, procid_t pid)
{
    uint32_t written = 0;
    if (grant_enter_existing(&c->grant, pid, stop_in_grant, &written) == OK)
        upcall_schedule(pid, CONSOLE_DRIVER_NUM, UPCALL_WRITE, written, 0, 0);
}

// The current turn is over: give the UART back (other devices go first if they wait)
// and let the next writer in round-robin order have a turn.
static void end_turn(struct console *c)
{
    c->tx_pid = PROCID_NONE;
    uart_mux_hold(c->dev, false);
    start_next(c);
}

// Send the next chunk of the current writer's turn, or end the turn.
static void pump(struct console *c)
{
    struct chunk_ctx k = {.c = c};
    if (grant_enter_existing(&c->grant, c->tx_pid, take_chunk, &k) != OK) {
        end_turn(c); // the writer died or restarted: nobody to tell, nothing more to send
        return;
    }
    if (k.done) {
        upcall_schedule(c->tx_pid, CONSOLE_DRIVER_NUM, UPCALL_WRITE, k.written, 0, 0);
        end_turn(c);
        return;
    }
    c->tx_chunk = k.n;
    c->tx_replaced = false;
    uart_mux_hold(c->dev, true);
    if (uart_transmit(&c->dev->hil, c->tx, k.n) == OK)
        return;
    // The UART refused: end this write with what went out before.
    stop_write(c, c->tx_pid);
    end_turn(c);
}

static void start_next(struct console *c)
{
    if (c->tx_pid)
        return;
    struct pick p = {.after = c->last_slot};
    grant_each(&c->grant, pick_writer, &p);
    procid_t pid = p.next ? p.next : p.first;
    if (!pid)
        return;
    c->tx_pid = pid;
    c->last_slot = PROCID_INDEX(pid);
    c->turn_bytes = 0;
    pump(c);
}

struct advance_ctx {
    uint32_t sent;
    bool more; // the write has bytes left
};

static void advance(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct console_app *app = state;
    struct advance_ctx *a = ctx;
    app->write_pos += a->sent;
    a->more = app->write_pos < app->write_len;
}

static void console_tx_done(struct uart_client *cl, const uint8_t *buf, uint32_t len, int err)
{
    (void)buf;
    struct console *c = CON_OF(cl);
    if (!c->tx_pid)
        return;
    uint32_t wire = err == OK ? c->tx_chunk : len;
    // A chunk of a write the process has since replaced does not advance the new one,
    // but it did use the turn: replacing writes cannot stretch a turn.
    struct advance_ctx a = {.sent = c->tx_replaced ? 0 : wire};
    if (grant_enter_existing(&c->grant, c->tx_pid, advance, &a) != OK) {
        end_turn(c); // died while its chunk was on the wire: that chunk was its last
        return;
    }
    c->turn_bytes += wire;
    bool line_end = wire && c->tx[wire - 1] == '\n';
    if (err != OK || !a.more)
        stop_write(c, c->tx_pid); // all sent (or the UART failed): report it now
    if (err != OK || !a.more || line_end || c->turn_bytes >= CONSOLE_LINE_MAX) {
        end_turn(c);
        return;
    }
    pump(c);
}

// Hand the reader the oldest want bytes of the input ring (fewer only when cancelled) and
// its read-done upcall; the bytes leave the ring even if its buffer took fewer.
static void finish_read(struct console *c, uint32_t want, int status)
{
    procid_t pid = c->rx_pid;
    c->rx_pid = PROCID_NONE;
    uint32_t room = allow_rw_len(&c->grant, pid, ALLOW_SLOT);
    uint32_t n = 0;
    for (uint32_t i = 0; i < want; i++) {
        uint8_t b = c->in[(c->in_head + i) % CONSOLE_IN_BUF];
        n += allow_rw_write(&c->grant, pid, ALLOW_SLOT, i, &b, 1);
    }
    c->in_head = (uint8_t)((c->in_head + want) % CONSOLE_IN_BUF);
    c->in_len = (uint8_t)(c->in_len - want);
    if (status == OK && room == 0)
        status = NOMEM;
    else if (status == OK && n < want)
        status = SIZE;
    upcall_schedule(pid, CONSOLE_DRIVER_NUM, UPCALL_READ, (uint32_t)status, n, 0);
}

// A read completes once the ring holds all it asked for (Tock's rule: exactly the length).
static void serve_read(struct console *c)
{
    if (c->rx_pid && c->in_len >= c->rx_len)
        finish_read(c, c->rx_len, OK);
}

bool console_input(struct console *c, uint8_t byte)
{
    if (c->in_len == CONSOLE_IN_BUF)
        return false;
    c->in[(c->in_head + c->in_len) % CONSOLE_IN_BUF] = byte;
    c->in_len++;
    serve_read(c);
    return true;
}

bool console_reader(struct console *c, procid_t *pid)
{
    if (c->rx_pid && !process_alive(c->rx_pid))
        c->rx_pid = PROCID_NONE; // died or restarted: its read went with it
    *pid = c->rx_pid;
    return c->rx_pid != PROCID_NONE;
}

void console_init(struct console *c, struct uart_mux_dev *dev)
{
    c->dev = dev;
    dev->whole_lines = false; // the console cuts its own turns at line ends (hold)
    c->client.tx_done = console_tx_done;
    uart_set_client(&dev->hil, &c->client);
    c->grant = (struct grant)GRANT_INIT(CONSOLE_DRIVER_NUM, struct console_app, 3, 2, 2);
    grant_register(&c->grant);
}

struct cmd_ctx {
    struct console *c;
    uint32_t cmd, arg0;
    struct cmd_result r;
};

static void command_in_grant(procid_t pid, void *state, void *ctx)
{
    struct console_app *app = state;
    struct cmd_ctx *k = ctx;
    struct console *c = k->c;
    k->r = cmd_success();
    switch (k->cmd) {
    case 0:
        return;
    case 1: {
        uint32_t len = allow_ro_len(&c->grant, pid, ALLOW_SLOT);
        app->write_len = k->arg0 < len ? k->arg0 : len;
        app->write_pos = 0;
        app->write_pending = 1;
        if (pid == c->tx_pid)
            c->tx_replaced = true; // the chunk on the wire is not part of the new write
        return;
    }
    case 2: {
        procid_t reader;
        if (console_reader(c, &reader)) {
            k->r = cmd_failure(BUSY);
            return;
        }
        uint32_t len = allow_rw_len(&c->grant, pid, ALLOW_SLOT);
        if (k->arg0 < len)
            len = k->arg0;
        if (len > CONSOLE_IN_BUF) {
            k->r = cmd_failure(INVAL);
            return;
        }
        c->rx_pid = pid;
        c->rx_len = len;
        serve_read(c); // typed ahead (or len 0): done at once
        return;
    }
    case 3:
        if (c->rx_pid != pid) {
            k->r = cmd_failure(ALREADY);
            return;
        }
        // The upcall carries what had arrived; it stays queued until the next yield.
        finish_read(c, c->in_len < c->rx_len ? c->in_len : c->rx_len, CANCEL);
        return;
    default:
        k->r = cmd_failure(NOSUPPORT);
        return;
    }
}

struct cmd_result console_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                                  uint32_t arg1)
{
    (void)arg1;
    struct console *c = d->ctx;
    if (cmd > 3)
        return cmd_failure(NOSUPPORT);
    struct cmd_ctx k = {.c = c, .cmd = cmd, .arg0 = arg0};
    int err = grant_enter(&c->grant, pid, command_in_grant, &k);
    if (err)
        return cmd_failure(err);
    if (cmd == 1)
        start_next(c);
    return k.r;
}

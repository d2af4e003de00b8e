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

static void take_chunk(procid_t pid, void *state, void *ctx)
{
    struct console_app *app = state;
    struct chunk_ctx *k = ctx;
    uint32_t want = app->write_len - app->write_pos;
    if (want > CONSOLE_BUF)
        want = CONSOLE_BUF;
    // The process may have shrunk or swapped the buffer meanwhile: the accessor clamps
    // to what is allowed now, and a short chunk ends the write early.
    k->n = want ? allow_ro_read(&k->c->grant, pid, ALLOW_SLOT, app->write_pos, k->c->tx, want) : 0;
    if (k->n == 0) {
        k->done = true;
        k->written = app->write_pos;
        app->write_pending = 0;
    }
}

static void start_next(struct console *c);

static void finish_write(struct console *c, procid_t pid, uint32_t written)
{
    upcall_schedule(pid, CONSOLE_DRIVER_NUM, UPCALL_WRITE, written, 0, 0);
    c->tx_pid = PROCID_NONE;
    uart_mux_hold(c->dev, false);
}

// Send the next chunk of the current writer, or pick the next writer.
static void pump(struct console *c)
{
    while (c->tx_pid) {
        struct chunk_ctx k = {.c = c};
        if (grant_enter_existing(&c->grant, c->tx_pid, take_chunk, &k) != OK) {
            c->tx_pid = PROCID_NONE; // the writer died: nobody to tell
            uart_mux_hold(c->dev, false);
            break;
        }
        if (k.done) {
            finish_write(c, c->tx_pid, k.written);
            break;
        }
        c->tx_chunk = k.n;
        uart_mux_hold(c->dev, true);
        if (uart_transmit(&c->dev->hil, c->tx, k.n) == OK)
            return;
        finish_write(c, c->tx_pid, 0); // the UART refused: report what went out (none)
        break;
    }
    start_next(c);
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
    pump(c);
}

static void advance(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct console_app *app = state;
    app->write_pos += *(uint32_t *)ctx;
}

static void console_tx_done(struct uart_client *cl, const uint8_t *buf, uint32_t len, int err)
{
    (void)buf;
    struct console *c = CON_OF(cl);
    if (!c->tx_pid)
        return;
    uint32_t sent = err == OK ? c->tx_chunk : len;
    if (grant_enter_existing(&c->grant, c->tx_pid, advance, &sent) != OK) {
        c->tx_pid = PROCID_NONE;
        uart_mux_hold(c->dev, false);
        start_next(c);
        return;
    }
    pump(c);
}

static void console_rx_done(struct uart_client *cl, uint8_t *buf, uint32_t len, int err)
{
    struct console *c = CON_OF(cl);
    procid_t pid = c->rx_pid;
    c->rx_pid = PROCID_NONE;
    if (!pid)
        return;
    uint32_t room = allow_rw_len(&c->grant, pid, ALLOW_SLOT);
    uint32_t n = allow_rw_write(&c->grant, pid, ALLOW_SLOT, 0, buf, len);
    int status = err;
    if (status == OK && room == 0)
        status = NOMEM;
    else if (status == OK && n < len)
        status = SIZE;
    upcall_schedule(pid, CONSOLE_DRIVER_NUM, UPCALL_READ, (uint32_t)status, n, 0);
}

void console_init(struct console *c, struct uart_mux_dev *dev)
{
    c->dev = dev;
    c->client.tx_done = console_tx_done;
    c->client.rx_done = console_rx_done;
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
        return;
    }
    case 2: {
        if (c->rx_pid && !process_alive(c->rx_pid)) {
            // The reader died or restarted (its pid is stale): its read goes with it,
            // so the slot is free for this reader now rather than after the next input.
            uart_mux_receive_drop(c->dev);
            c->rx_pid = PROCID_NONE;
        }
        if (c->rx_pid) {
            k->r = cmd_failure(BUSY);
            return;
        }
        uint32_t len = allow_rw_len(&c->grant, pid, ALLOW_SLOT);
        if (k->arg0 < len)
            len = k->arg0;
        if (len > CONSOLE_BUF) {
            k->r = cmd_failure(INVAL);
            return;
        }
        if (len == 0) {
            upcall_schedule(pid, CONSOLE_DRIVER_NUM, UPCALL_READ, OK, 0, 0);
            return;
        }
        int err = uart_receive(&c->dev->hil, c->rx, len);
        if (err) {
            k->r = cmd_failure(err);
            return;
        }
        c->rx_pid = pid;
        return;
    }
    case 3:
        if (c->rx_pid != pid) {
            k->r = cmd_failure(ALREADY);
            return;
        }
        uart_receive_abort(&c->dev->hil);
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

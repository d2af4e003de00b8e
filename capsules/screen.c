// SPDX-License-Identifier: Apache-2.0
// Screen capsule: per-process frames and one queued op each, served in turn, chunk by chunk.
#include "screen.h"

#include <stddef.h>

#include <cairn/errorcode.h>

enum { NONE, FRAME, POWER, BRIGHTNESS, INVERT, WRITE, FILL };

// Highest pixel format number Tock defines (Mono_8BitPage).
#define TOCK_FORMAT_MAX 6u

static uint32_t fill_bytes(const struct screen_frame *f)
{
    return ((uint32_t)f->w * f->h + 7u) / 8u; // Mono: 8 pixels a byte
}

static void run_next_later(struct screen_capsule *c)
{
    deferred_call_schedule(&c->dc);
}

// ---- completion -----------------------------------------------------------------------

static void clear_op(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)ctx;
    ((struct screen_app *)state)->op = NONE;
}

static void finish(struct screen_capsule *c, int status)
{
    procid_t pid = c->cur;
    c->cur = PROCID_NONE;
    if (grant_enter_existing(&c->grant, pid, clear_op, NULL) == OK)
        upcall_schedule(pid, SCREEN_DRIVER_NUM, 0, (uint32_t)status, 0, 0);
    run_next_later(c);
}

// ---- one step of the current op ---------------------------------------------------------

// What one step did: a HIL op is in flight (final: the op's last), the op is over
// (done, with status err), or the HIL is still setting up (retry when it says done).
enum { IN_FLIGHT, OVER, WAIT_HIL };

struct step_ctx {
    struct screen_capsule *c;
    uint8_t result;
    int err;
};

static void step_one(procid_t pid, void *state, void *vctx)
{
    struct step_ctx *x = vctx;
    struct screen_capsule *c = x->c;
    struct screen_app *a = state;
    struct screen *s = c->screen;
    int err;
    c->final = true;
    switch (a->op) {
    case FRAME:
        x->result = OVER; // nothing to send: the frame applies at the next write
        x->err = OK;
        return;
    case POWER:
        err = s->ops->set_power(s, a->arg != 0);
        break;
    case BRIGHTNESS:
        err = s->ops->set_brightness(s, a->arg);
        break;
    case INVERT:
        err = s->ops->set_invert(s, a->arg != 0);
        break;
    case WRITE:
    case FILL: {
        uint32_t n = a->len - a->pos;
        if (n > SCREEN_CHUNK)
            n = SCREEN_CHUNK;
        if (n > s->max_write)
            n = s->max_write;
        if (a->op == WRITE) {
            // Copied now: the HIL sends from the kernel's buffer only.
            if (allow_ro_read(&c->grant, pid, 0, a->pos, c->chunk, n) != n) {
                x->result = OVER;
                x->err = FAIL; // withdrawn or shrunk mid-write
                return;
            }
        } else {
            uint8_t first = 0;
            if (allow_ro_read(&c->grant, pid, 0, 0, &first, 1) != 1) {
                x->result = OVER;
                x->err = FAIL;
                return;
            }
            uint8_t v = (first & 0x80u) ? 0xFFu : 0x00u;
            for (uint32_t i = 0; i < n; i++)
                c->chunk[i] = v;
        }
        err = s->ops->write(s, &a->frame, c->chunk, n, a->pos == 0);
        if (err == OK) {
            a->pos += n;
            c->final = a->pos >= a->len;
        }
        break;
    }
    default:
        err = FAIL;
        break;
    }
    if (err == BUSY) {
        x->result = WAIT_HIL;
        return;
    }
    x->result = err == OK ? IN_FLIGHT : OVER;
    x->err = err;
}

static void step(struct screen_capsule *c)
{
    struct step_ctx x = {c, OVER, FAIL};
    if (grant_enter_existing(&c->grant, c->cur, step_one, &x) != OK) {
        c->cur = PROCID_NONE; // died: its op went with it
        run_next_later(c);
        return;
    }
    switch (x.result) {
    case IN_FLIGHT:
        c->hw_busy = true;
        break;
    case WAIT_HIL:
        c->cur = PROCID_NONE; // stays queued; the HIL's done() brings it back
        break;
    default:
        finish(c, x.err);
        break;
    }
}

// ---- choosing the next op: round robin from the slot after the one served last ------------

struct pick_ctx {
    uint32_t last;
    procid_t after, first; // first pending slot after `last`, and first pending at all
};

static void pick_one(procid_t pid, void *state, void *vctx)
{
    struct pick_ctx *p = vctx;
    if (((struct screen_app *)state)->op == NONE)
        return;
    if (p->first == PROCID_NONE)
        p->first = pid;
    if (p->after == PROCID_NONE && PROCID_INDEX(pid) > p->last)
        p->after = pid;
}

static void run_next(void *ctx)
{
    struct screen_capsule *c = ctx;
    if (c->hw_busy)
        return;
    if (c->cur != PROCID_NONE) {
        if (c->more) {
            c->more = false;
            step(c); // the next chunk of cur's write
        }
        return;
    }
    struct pick_ctx p = {c->last_slot, PROCID_NONE, PROCID_NONE};
    grant_each(&c->grant, pick_one, &p);
    procid_t next = p.after != PROCID_NONE ? p.after : p.first;
    if (next == PROCID_NONE)
        return;
    c->cur = next;
    c->more = false;
    c->last_slot = PROCID_INDEX(next);
    step(c);
}

static void hil_done(struct screen_client *cl, int status)
{
    struct screen_capsule *c =
        (struct screen_capsule *)((char *)cl - offsetof(struct screen_capsule, client));
    c->hw_busy = false;
    if (c->cur == PROCID_NONE) {
        run_next_later(c); // the display finished setting up, or the owner died earlier
        return;
    }
    if (!process_alive(c->cur)) {
        c->cur = PROCID_NONE; // died mid-op: drop the rest, serve the others
        run_next_later(c);
        return;
    }
    if (status != OK) {
        finish(c, status);
        return;
    }
    if (c->final) {
        finish(c, OK);
        return;
    }
    // The next chunk from a deferred call, not from here: processes run between chunks,
    // so a long write neither holds the kernel (QEMU's SPI completes at once, and the
    // whole write would otherwise run in one pass of bottom halves) nor starves anyone.
    c->more = true;
    // frequency * CHUNK_US / 10^6 ticks, rounded down, in 32 bits: the same value while
    // CHUNK_US divides a second (a 64-bit product would link a 64-bit division, 0.7 kB).
    _Static_assert(1000000u % SCREEN_CHUNK_US == 0, "a chunk divides a second");
    if (c->pace)
        alarm_hw_set(c->pace, alarm_hw_now(c->pace),
                     alarm_hw_frequency(c->pace) / (1000000u / SCREEN_CHUNK_US) + 1u);
    else
        run_next_later(c);
}

static void pace_fired(struct alarm_hw_client *cl, uint32_t now)
{
    (void)now;
    struct screen_capsule *c =
        (struct screen_capsule *)((char *)cl - offsetof(struct screen_capsule, pace_client));
    run_next_later(c);
}

// ---- commands -----------------------------------------------------------------------------

struct enqueue_ctx {
    const struct screen *screen;
    uint8_t op;
    uint32_t arg;
    const struct screen_frame *frame; // FRAME only
    uint32_t have;                    // bytes in read-only allow 0
    int err;
};

static void enqueue_one(procid_t pid, void *state, void *vctx)
{
    struct enqueue_ctx *e = vctx;
    struct screen_app *a = state;
    (void)pid;
    if (a->op != NONE) {
        e->err = BUSY; // checked first, as Tock does
        return;
    }
    if ((e->op == WRITE || e->op == FILL) && (e->have == 0 || e->arg == 0)) {
        e->err = NOMEM;
        return;
    }
    if (!a->frame_set) {
        a->frame = (struct screen_frame){0, 0, e->screen->width, e->screen->height};
        a->frame_set = 1;
    }
    if (e->op == FRAME)
        a->frame = *e->frame;
    a->op = e->op;
    a->arg = e->arg;
    a->pos = 0;
    a->len = e->op == FILL ? fill_bytes(&a->frame) : e->arg;
    e->err = OK;
}

static struct cmd_result enqueue(struct screen_capsule *c, procid_t pid, uint8_t op, uint32_t arg,
                                 const struct screen_frame *f)
{
    uint32_t have = allow_ro_len(&c->grant, pid, 0);
    if (op == WRITE && arg > have)
        arg = have;
    if (op == FILL)
        arg = 1; // only the first pixel is used
    struct enqueue_ctx e = {c->screen, op, arg, f, have, FAIL};
    int err = grant_enter(&c->grant, pid, enqueue_one, &e);
    if (err != OK)
        return cmd_failure(err);
    if (e.err != OK)
        return cmd_failure(e.err);
    // An idle display starts the op now (its first chunk is on the wire when the command
    // returns); a busy one serves it in turn.
    run_next(c);
    return cmd_success();
}

static struct cmd_result set_frame(struct screen_capsule *c, procid_t pid, uint32_t a0, uint32_t a1)
{
    struct screen_frame f = {(uint16_t)(a0 >> 16), (uint16_t)a0, (uint16_t)(a1 >> 16),
                             (uint16_t)a1};
    const struct screen *s = c->screen;
    if (f.w == 0 || f.h == 0 || (uint32_t)f.x + f.w > s->width || (uint32_t)f.y + f.h > s->height ||
        f.x % s->x_align || f.w % s->x_align)
        return cmd_failure(INVAL);
    return enqueue(c, pid, FRAME, 0, &f);
}

struct cmd_result screen_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                                 uint32_t arg1)
{
    struct screen_capsule *c = d->ctx;
    if (!c->screen)
        return cmd_failure(NODEVICE);
    switch (cmd) {
    case 0:
        return cmd_success();
    case 1:
        return cmd_success_u32(0);
    case 2:
        return enqueue(c, pid, POWER, arg0 != 0, NULL);
    case 3:
        return enqueue(c, pid, BRIGHTNESS, arg0, NULL);
    case 4:
    case 5:
        return enqueue(c, pid, INVERT, cmd == 4, NULL);
    case 6:
        return enqueue(c, pid, INVERT, arg0 != 0, NULL);
    case 21:
        return cmd_success_u32(0);
    case 23:
        return cmd_success_2u32(c->screen->width, c->screen->height);
    case 25:
        return cmd_success_u32(c->screen->format);
    case 26:
        return cmd_failure(arg0 > TOCK_FORMAT_MAX ? INVAL : NOSUPPORT);
    case 100:
        return set_frame(c, pid, arg0, arg1);
    case 200:
        return enqueue(c, pid, WRITE, arg0, NULL);
    case 300:
        return enqueue(c, pid, FILL, 0, NULL);
    default:
        return cmd_failure(NOSUPPORT);
    }
}

void screen_capsule_init(struct screen_capsule *c, struct screen *screen, struct alarm_hw *pace)
{
    c->screen = screen;
    c->pace = pace;
    c->pace_client.fired = pace_fired;
    if (pace)
        alarm_hw_set_client(pace, &c->pace_client);
    c->cur = PROCID_NONE;
    c->last_slot = 0;
    c->hw_busy = false;
    c->more = false;
    c->client.done = hil_done;
    c->grant = (struct grant)GRANT_INIT(SCREEN_DRIVER_NUM, struct screen_app, 1, 1, 0);
    grant_register(&c->grant);
    deferred_call_register(&c->dc, run_next, c);
    if (screen)
        screen->ops->set_client(screen, &c->client);
}

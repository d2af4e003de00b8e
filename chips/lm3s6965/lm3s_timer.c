// SPDX-License-Identifier: Apache-2.0
// LM3S6965 alarm driver: 32-bit wrapping time base (watchdog) and a one-shot compare (GPTM0).
#include "lm3s_timer.h"
#include "arch.h"

#define AL_OF(h) ((struct lm3s_alarm *)(h))

// A quarter of the watchdog's 2^32-tick period (43 s at 25 MHz): the longest the compare
// ever waits, and the count past which the time base is refreshed.
#define KEEPALIVE_TICKS (1u << 30)

static uint32_t al_now(struct alarm_hw *h)
{
    // The watchdog counts down from 0xFFFFFFFF and reloads: its complement counts up.
    return ~AL_OF(h)->wdt->value + AL_OF(h)->offset;
}

static uint32_t al_frequency(struct alarm_hw *h)
{
    return AL_OF(h)->hz;
}

static void compare_stop(struct lm3s_alarm *t)
{
    t->gptm->ctl = 0;
    t->gptm->icr = GPTM_INT_TATO;
}

// Restart the watchdog's count from the top once it is past a quarter of its period,
// carrying what it had counted into the offset (the ticks between the read and the write
// are lost: at most one per refresh, a refresh at most every KEEPALIVE_TICKS).
static void refresh_base(struct lm3s_alarm *t)
{
    uint32_t counted = ~t->wdt->value;
    if (counted < KEEPALIVE_TICKS)
        return;
    t->wdt->icr = 1u;
    t->offset += counted;
}

// Arm the one-shot for `ticks`, or for the keepalive if that comes first. Invariant: the
// compare is always running, so the watchdog never reaches its expiry while the kernel
// is alive. This matters under QEMU's icount with sleep=off: an idle guest whose only
// timer is the watchdog has virtual time jump from one expiry to the next, and QEMU can
// jump twice before the CPU runs; the second expiry of an unacknowledged watchdog stops
// its counter, freezing the time base (found by screen_kill and an idle kernel).
static void compare_start(struct lm3s_alarm *t, uint32_t ticks)
{
    compare_stop(t);
    t->gptm->tailr = ticks < KEEPALIVE_TICKS ? ticks : KEEPALIVE_TICKS;
    t->gptm->ctl = GPTM_CTL_TAEN;
}

static void program(struct lm3s_alarm *t)
{
    uint32_t now = al_now(&t->hil);
    if (alarm_due(now, t->reference, t->dt)) {
        compare_start(t, KEEPALIVE_TICKS);
        deferred_call_schedule(&t->dc);
        return;
    }
    // Ticks left until due. The one-shot starts counting when enabled, a few ticks after
    // `now` was read, so it ends late by those ticks, never early.
    compare_start(t, t->dt - (now - t->reference));
}

static void al_set(struct alarm_hw *h, uint32_t reference, uint32_t dt)
{
    struct lm3s_alarm *t = AL_OF(h);
    t->reference = reference;
    t->dt = dt;
    t->armed = true;
    program(t);
}

static void al_disarm(struct alarm_hw *h)
{
    struct lm3s_alarm *t = AL_OF(h);
    t->armed = false;
    compare_start(t, KEEPALIVE_TICKS);
}

static void al_set_client(struct alarm_hw *h, struct alarm_hw_client *c)
{
    AL_OF(h)->client = c;
}

static const struct alarm_hw_ops lm3s_alarm_ops = {
    .now = al_now,
    .frequency = al_frequency,
    .set = al_set,
    .disarm = al_disarm,
    .set_client = al_set_client,
};

static void fire_if_due(struct lm3s_alarm *t)
{
    if (!t->armed)
        return;
    uint32_t now = al_now(&t->hil);
    if (!alarm_due(now, t->reference, t->dt)) {
        program(t); // woke early (a stale interrupt): wait for the rest
        return;
    }
    t->armed = false;
    if (t->client)
        t->client->fired(t->client, now);
}

static void alarm_deferred(void *ctx)
{
    fire_if_due(ctx);
}

void lm3s_alarm_init(struct lm3s_alarm *t, struct wdt_regs *wdt, struct gptm_regs *gptm,
                     uint8_t irq, uint8_t wdt_irq, uint32_t hz)
{
    t->hil.ops = &lm3s_alarm_ops;
    t->wdt = wdt;
    t->gptm = gptm;
    t->irq = irq;
    t->wdt_irq = wdt_irq;
    t->offset = 0;
    t->hz = hz;
    deferred_call_register(&t->dc, alarm_deferred, t);
    // Time base: the largest load, counting from the moment INTEN starts it. An expiry
    // (every 2^32 ticks, 171 s at 25 MHz) reloads it, which is the time base's wrap; but
    // the watchdog stops (or resets the chip, with RESEN) at the next expiry unless its
    // interrupt was cleared in between: lm3s_alarm_wdt_service does that.
    wdt->load = 0xFFFFFFFFu;
    wdt->ctl = WDT_CTL_INTEN;
    arch_irq_enable(wdt_irq);
    // Compare: 32-bit one-shot, timeout interrupt on, stopped until an alarm is set.
    gptm->ctl = 0;
    gptm->cfg = 0;
    gptm->tamr = GPTM_TAMR_ONESHOT;
    gptm->icr = GPTM_INT_TATO;
    gptm->imr = GPTM_INT_TATO;
    arch_irq_enable(irq);
    compare_start(t, KEEPALIVE_TICKS);
}

void lm3s_alarm_wdt_service(struct lm3s_alarm *t)
{
    // Clearing reloads the counter from LOAD (complement 0): carry what it had counted
    // since the expiry into the offset, so now() goes on from where it was. The ticks
    // between the read and the write are lost (a few per 171 s).
    uint32_t counted = ~t->wdt->value;
    t->wdt->icr = 1u;
    t->offset += counted;
}

void lm3s_alarm_service(struct lm3s_alarm *t)
{
    if (t->gptm->mis & GPTM_INT_TATO)
        compare_stop(t);
    refresh_base(t);
    fire_if_due(t);
    if (!t->armed) // nothing set, or the client set nothing new: keep the watch
        compare_start(t, KEEPALIVE_TICKS);
}

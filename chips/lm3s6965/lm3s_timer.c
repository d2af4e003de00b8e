// SPDX-License-Identifier: Apache-2.0
// LM3S6965 alarm driver: 32-bit wrapping time base (watchdog) and a one-shot compare (GPTM0).
#include "lm3s_timer.h"
#include "arch.h"

#define AL_OF(h) ((struct lm3s_alarm *)(h))

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

static void program(struct lm3s_alarm *t)
{
    compare_stop(t);
    uint32_t now = al_now(&t->hil);
    if (alarm_due(now, t->reference, t->dt)) {
        deferred_call_schedule(&t->dc);
        return;
    }
    // Ticks left until due. The one-shot starts counting when enabled, a few ticks after
    // `now` was read, so it ends late by those ticks, never early.
    t->gptm->tailr = t->dt - (now - t->reference);
    t->gptm->ctl = GPTM_CTL_TAEN;
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
    compare_stop(t);
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
    if (!alarm_due(al_now(&t->hil), t->reference, t->dt)) {
        program(t); // woke early (a stale interrupt): wait for the rest
        return;
    }
    t->armed = false;
    if (t->client)
        t->client->fired(t->client);
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
    fire_if_due(t);
}

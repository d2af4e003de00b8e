// SPDX-License-Identifier: Apache-2.0
// CMSDK dual timer driver: 32-bit wrapping time base plus a one-shot compare for alarms.
#include "arch.h"
#include "dualtimer.h"

#define DT_OF(h) ((struct cmsdk_dualtimer *)(h))
#define TIMEBASE 0
#define COMPARE  1

static uint32_t dt_now(struct alarm_hw *h)
{
    // Timer 1 counts down from 0xFFFFFFFF and wraps: its complement counts up.
    return ~DT_OF(h)->regs->t[TIMEBASE].value;
}

static uint32_t dt_frequency(struct alarm_hw *h)
{
    return DT_OF(h)->hz;
}

static void program(struct cmsdk_dualtimer *t)
{
    struct cmsdk_dualtimer_unit *c = &t->regs->t[COMPARE];
    c->ctrl = 0;
    c->intclr = 1;
    uint32_t now = dt_now(&t->hil);
    if (alarm_due(now, t->reference, t->dt)) {
        deferred_call_schedule(&t->dc);
        return;
    }
    // Ticks left until due; the compare counter interrupts when it reaches zero.
    uint32_t left = t->dt - (now - t->reference);
    c->load = left;
    c->ctrl = DUALTIMER_CTRL_ENABLE | DUALTIMER_CTRL_ONESHOT | DUALTIMER_CTRL_SIZE32 |
              DUALTIMER_CTRL_INTEN;
}

static void dt_set(struct alarm_hw *h, uint32_t reference, uint32_t dt)
{
    struct cmsdk_dualtimer *t = DT_OF(h);
    t->reference = reference;
    t->dt = dt;
    t->armed = true;
    program(t);
}

static void dt_disarm(struct alarm_hw *h)
{
    struct cmsdk_dualtimer *t = DT_OF(h);
    t->armed = false;
    t->regs->t[COMPARE].ctrl = 0;
    t->regs->t[COMPARE].intclr = 1;
}

static void dt_set_client(struct alarm_hw *h, struct alarm_hw_client *c)
{
    DT_OF(h)->client = c;
}

static const struct alarm_hw_ops dualtimer_ops = {
    .now = dt_now,
    .frequency = dt_frequency,
    .set = dt_set,
    .disarm = dt_disarm,
    .set_client = dt_set_client,
};

static void fire_if_due(struct cmsdk_dualtimer *t)
{
    if (!t->armed)
        return;
    uint32_t now = dt_now(&t->hil);
    if (!alarm_due(now, t->reference, t->dt)) {
        program(t); // woke early (e.g. a stale interrupt): wait for the rest
        return;
    }
    t->armed = false;
    if (t->client)
        t->client->fired(t->client, now);
}

static void dualtimer_deferred(void *ctx)
{
    fire_if_due(ctx);
}

void cmsdk_dualtimer_init(struct cmsdk_dualtimer *t, struct cmsdk_dualtimer_regs *regs, uint8_t irq,
                          uint32_t hz)
{
    t->hil.ops = &dualtimer_ops;
    t->regs = regs;
    t->irq = irq;
    t->hz = hz;
    deferred_call_register(&t->dc, dualtimer_deferred, t);
    struct cmsdk_dualtimer_unit *b = &regs->t[TIMEBASE];
    b->ctrl = 0;
    b->load = 0xFFFFFFFFu;
    // Free-running mode (not periodic, not one-shot): wraps from 0 to 0xFFFFFFFF.
    b->ctrl = DUALTIMER_CTRL_ENABLE | DUALTIMER_CTRL_SIZE32;
    regs->t[COMPARE].ctrl = 0;
    arch_irq_enable(irq);
}

void cmsdk_dualtimer_service(struct cmsdk_dualtimer *t)
{
    struct cmsdk_dualtimer_unit *c = &t->regs->t[COMPARE];
    if (c->mis) {
        c->intclr = 1;
        c->ctrl = 0;
    }
    fire_if_due(t);
}

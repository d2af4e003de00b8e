// SPDX-License-Identifier: Apache-2.0
// Virtual alarm multiplexer: keeps the hardware armed for the soonest virtual alarm.
#include <stddef.h>

#include "alarm_mux.h"

#define VA_OF(h)  ((struct valarm *)(h))
#define MUX_OF(c) ((struct alarm_mux *)((uint8_t *)(c)-offsetof(struct alarm_mux, as_client)))

// Ticks from now until (reference, dt) is due; 0 if already due. Wrap-safe: all math is
// on differences modulo 2^32.
static uint32_t ticks_left(uint32_t now, uint32_t reference, uint32_t dt)
{
    uint32_t elapsed = now - reference;
    return elapsed >= dt ? 0 : dt - elapsed;
}

static void reprogram(struct alarm_mux *m)
{
    if (m->in_fire)
        return;
    struct valarm *only = m->list;
    if (only && !only->next) {
        // One virtual alarm (a board with one alarm client): the hardware simply follows
        // it, with no clock read and no walk.
        if (only->armed)
            alarm_hw_set(m->hw, only->reference, only->dt);
        else
            alarm_hw_disarm(m->hw);
        return;
    }
    uint32_t now = alarm_hw_now(m->hw);
    struct valarm *soonest = NULL;
    uint32_t best = 0;
    for (struct valarm *v = m->list; v; v = v->next) {
        if (!v->armed)
            continue;
        uint32_t left = ticks_left(now, v->reference, v->dt);
        if (!soonest || left < best) {
            soonest = v;
            best = left;
        }
    }
    if (soonest)
        alarm_hw_set(m->hw, soonest->reference, soonest->dt);
    else
        alarm_hw_disarm(m->hw);
}

static void mux_fired(struct alarm_hw_client *c, uint32_t now)
{
    struct alarm_mux *m = MUX_OF(c);
    struct valarm *only = m->list;
    if (only && !only->next) {
        // One virtual alarm: the hardware was armed for exactly its (reference, dt), so it
        // is due if still armed. Its client's set or disarm reprograms the hardware
        // directly (reprogram above), and the hardware disarmed itself on firing, so the
        // invariant holds without a pass of our own.
        if (only->armed) {
            only->armed = false;
            if (only->client)
                only->client->fired(only->client, now);
        }
        return;
    }
    m->in_fire = true;
    for (struct valarm *v = m->list; v; v = v->next) {
        // Decide due-ness against one `now` so an alarm armed by a callback below is not
        // fired in the same pass (it would starve others if it re-arms with dt 0).
        if (v->armed && alarm_due(now, v->reference, v->dt)) {
            v->armed = false;
            if (v->client)
                v->client->fired(v->client, now);
        }
    }
    m->in_fire = false;
    reprogram(m);
}

static uint32_t va_now(struct alarm_hw *h)
{
    return alarm_hw_now(VA_OF(h)->mux->hw);
}

static uint32_t va_frequency(struct alarm_hw *h)
{
    return alarm_hw_frequency(VA_OF(h)->mux->hw);
}

static void va_set(struct alarm_hw *h, uint32_t reference, uint32_t dt)
{
    struct valarm *v = VA_OF(h);
    v->reference = reference;
    v->dt = dt;
    v->armed = true;
    reprogram(v->mux);
}

static void va_disarm(struct alarm_hw *h)
{
    struct valarm *v = VA_OF(h);
    v->armed = false;
    reprogram(v->mux);
}

static void va_set_client(struct alarm_hw *h, struct alarm_hw_client *c)
{
    VA_OF(h)->client = c;
}

static const struct alarm_hw_ops valarm_ops = {
    .now = va_now,
    .frequency = va_frequency,
    .set = va_set,
    .disarm = va_disarm,
    .set_client = va_set_client,
};

void alarm_mux_init(struct alarm_mux *m, struct alarm_hw *hw)
{
    m->hw = hw;
    m->list = NULL;
    m->in_fire = false;
    m->as_client.fired = mux_fired;
    alarm_hw_set_client(hw, &m->as_client);
}

void valarm_init(struct valarm *v, struct alarm_mux *m)
{
    v->hil.ops = &valarm_ops;
    v->mux = m;
    v->client = NULL;
    v->armed = false;
    v->next = m->list;
    m->list = v;
}

// SPDX-License-Identifier: Apache-2.0
// Machine timer: one mtimecmp serving both the timeslice and the alarm HIL, earliest first.
//
// mtime counts up at RV_MTIME_HZ and never wraps in practice (64 bits). The compare holds
// the earlier of two deadlines; the top half (rv_timer_isr) retires whichever passed: an
// expired timeslice preempts the running process, a passed alarm deadline is reported as
// interrupt line RV_IRQ_MTIMER, whose bottom half (rv_alarm_service) calls the HIL client.
#include "arch.h"
#include "div.h"
#include "rv.h"
#include "mtimer.h"

#define MTIMECMP_LO (*(volatile uint32_t *)(RV_CLINT_BASE + 0x4000u))
#define MTIMECMP_HI (*(volatile uint32_t *)(RV_CLINT_BASE + 0x4004u))
#define MTIME_LO    (*(volatile uint32_t *)(RV_CLINT_BASE + 0xBFF8u))
#define MTIME_HI    (*(volatile uint32_t *)(RV_CLINT_BASE + 0xBFFCu))
#define NEVER       UINT64_MAX

// Written by the kernel with interrupts masked and by the top half (interrupts off).
static uint64_t slice_deadline = NEVER, alarm_deadline = NEVER;
volatile uint32_t rv_timeslice_expired;

uint64_t rv_mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = MTIME_HI;
        lo = MTIME_LO;
    } while (hi != MTIME_HI);
    return ((uint64_t)hi << 32) | lo;
}

static void program(void)
{
    uint64_t d = slice_deadline < alarm_deadline ? slice_deadline : alarm_deadline;
    if (d == NEVER) {
        // Masked instead of a compare at the end of time: QEMU arms a host timer for
        // any future compare, and under -icount an idle guest skips ahead to it.
        CSR_CLEAR(mie, MIE_MTIE);
        return;
    }
    // High word to all ones first, so no intermediate value lies in the past.
    MTIMECMP_HI = 0xFFFFFFFFu;
    MTIMECMP_LO = (uint32_t)d;
    MTIMECMP_HI = (uint32_t)(d >> 32);
    CSR_SET(mie, MIE_MTIE);
}

void rv_timer_init(void)
{
    slice_deadline = alarm_deadline = NEVER;
    program();
}

bool rv_timer_isr(void)
{
    uint64_t now = rv_mtime();
    bool over = false;
    if (now >= slice_deadline) {
        slice_deadline = NEVER;
        rv_timeslice_expired = 1;
        over = true;
    }
    if (now >= alarm_deadline) {
        alarm_deadline = NEVER;
        rv_irq_fired |= 1u << RV_IRQ_MTIMER;
    }
    program();
    return over;
}

void rv_timer_set_alarm(uint64_t deadline)
{
    uint32_t s = arch_irq_save();
    alarm_deadline = deadline;
    program();
    arch_irq_restore(s);
}

void rv_timer_clear_alarm(void)
{
    uint32_t s = arch_irq_save();
    alarm_deadline = NEVER;
    program();
    arch_irq_restore(s);
}

// ---- timeslice -------------------------------------------------------------------------

void arch_timeslice_start(uint32_t us)
{
    uint64_t ticks = (uint64_t)us * RV_MTIME_PER_US;
    uint32_t s = arch_irq_save();
    rv_timeslice_expired = 0;
    slice_deadline = rv_mtime() + (ticks ? ticks : 1);
    program();
    arch_irq_restore(s);
}

// The machine timer is one-shot here and kernel_switch_preempted is never called.
void arch_timeslice_renew(uint32_t us)
{
    arch_timeslice_start(us);
}

bool arch_timeslice_expired(void)
{
    return rv_timeslice_expired != 0;
}

uint32_t arch_timeslice_stop(void)
{
    uint32_t s = arch_irq_save();
    uint64_t now = rv_mtime(), left = 0;
    if (!rv_timeslice_expired && slice_deadline != NEVER && slice_deadline > now)
        // The quotient fits 32 bits: the slice was at most 2^32 - 1 us of ticks long.
        left = rv_div_u64_u32(slice_deadline - now, RV_MTIME_PER_US);
    rv_timeslice_expired = 0;
    slice_deadline = NEVER;
    program();
    arch_irq_restore(s);
    return (uint32_t)left;
}

// ---- alarm HIL -------------------------------------------------------------------------

#define ALARM_OF(h) ((struct rv_alarm *)(h))

static uint32_t al_now(struct alarm_hw *h)
{
    (void)h;
    return (uint32_t)rv_mtime();
}

static uint32_t al_frequency(struct alarm_hw *h)
{
    (void)h;
    return RV_MTIME_HZ;
}

static void al_program(struct rv_alarm *a)
{
    uint64_t now = rv_mtime();
    uint32_t now32 = (uint32_t)now;
    if (alarm_due(now32, a->reference, a->dt)) {
        rv_timer_clear_alarm();
        deferred_call_schedule(&a->dc);
        return;
    }
    // Ticks left until due, from now: the 64-bit deadline cannot wrap.
    uint32_t left = a->dt - (now32 - a->reference);
    rv_timer_set_alarm(now + left);
}

static void al_set(struct alarm_hw *h, uint32_t reference, uint32_t dt)
{
    struct rv_alarm *a = ALARM_OF(h);
    a->reference = reference;
    a->dt = dt;
    a->armed = true;
    al_program(a);
}

static void al_disarm(struct alarm_hw *h)
{
    ALARM_OF(h)->armed = false;
    rv_timer_clear_alarm();
}

static void al_set_client(struct alarm_hw *h, struct alarm_hw_client *c)
{
    ALARM_OF(h)->client = c;
}

static const struct alarm_hw_ops rv_alarm_ops = {
    .now = al_now,
    .frequency = al_frequency,
    .set = al_set,
    .disarm = al_disarm,
    .set_client = al_set_client,
};

static void fire_if_due(struct rv_alarm *a)
{
    if (!a->armed)
        return;
    uint32_t now = (uint32_t)rv_mtime();
    if (!alarm_due(now, a->reference, a->dt)) {
        al_program(a); // woke early (a stale line): wait for the rest
        return;
    }
    a->armed = false;
    if (a->client)
        a->client->fired(a->client, now);
}

static void alarm_deferred(void *ctx)
{
    fire_if_due(ctx);
}

void rv_alarm_init(struct rv_alarm *a)
{
    a->hil.ops = &rv_alarm_ops;
    a->armed = false;
    deferred_call_register(&a->dc, alarm_deferred, a);
}

void rv_alarm_service(struct rv_alarm *a)
{
    fire_if_due(a);
}

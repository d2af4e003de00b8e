// SPDX-License-Identifier: Apache-2.0
// LM3S6965 ADC driver: sequencer 3, timer-triggered, one sample per interrupt.
#include <stddef.h>

#include "arch.h"
#include "lm3s_adc.h"

#include <cairn/errorcode.h>

_Static_assert(offsetof(struct adc_regs, ss[3].fstat) == 0xAC, "ADC SSFSTAT3 offset");

#define SS        3u
#define SS_BIT    (1u << SS)
#define ADC_OF(h) ((struct lm3s_adc *)(h))
// A single sample waits this long for its trigger (a few conversion times).
#define SINGLE_DELAY_US 10u

// Entries in sequencer 3's FIFO, from its head and tail pointers (SSFSTAT bits 7:4 and
// 3:0), not from its EMPTY flag: QEMU 7.2's model never sets EMPTY when a read leaves
// the tail at 15 and the head at 0 (it compares tail + 1 without wrapping), and a loop
// "read until EMPTY" then reads stale entries for ever. Equal pointers mean empty unless
// FULL is set (the silicon's one-entry FIFO, or QEMU's sixteen).
static uint32_t fifo_count(struct lm3s_adc *a)
{
    uint32_t st = a->regs->ss[SS].fstat;
    uint32_t n = ((st >> 4) - st) & 0xFu;
    return n == 0 && (st & ADC_FSTAT_FULL) ? 16u : n;
}

// Read and drop up to n entries, stopping early where the silicon says EMPTY.
static void drain(struct lm3s_adc *a, uint32_t n)
{
    for (uint32_t i = 0; i < n && !(a->regs->ss[SS].fstat & ADC_FSTAT_EMPTY); i++)
        (void)a->regs->ss[SS].fifo;
}

static void timer_stop(struct lm3s_adc *a)
{
    a->timer->ctl = 0;
    a->timer->icr = GPTM_INT_TATO;
}

static void hw_stop(struct lm3s_adc *a)
{
    timer_stop(a);
    a->regs->actss &= ~SS_BIT;
    a->regs->im &= ~SS_BIT;
    // Drop what was converted but not taken, so that a later run starts clean.
    drain(a, fifo_count(a));
    a->regs->isc = SS_BIT;
    a->regs->ostat = SS_BIT;
    a->running = false;
}

static int start(struct lm3s_adc *a, uint32_t ch, uint32_t load, bool continuous)
{
    if (a->running)
        return BUSY;
    if (ch >= LM3S_ADC_CHANNELS)
        return INVAL;
    a->running = true;
    a->continuous = continuous;
    a->regs->actss &= ~SS_BIT; // reprogram a disabled sequencer (datasheet)
    a->regs->emux = (a->regs->emux & ~(0xFu << (4 * SS))) | ADC_EMUX_TIMER << (4 * SS);
    a->regs->ss[SS].mux = ch;
    a->regs->ss[SS].ctl = ADC_SSCTL_END0 | ADC_SSCTL_IE0;
    a->regs->isc = SS_BIT;
    a->regs->im |= SS_BIT;
    a->regs->actss |= SS_BIT;
    a->timer->ctl = 0;
    a->timer->cfg = 0; // 32-bit
    a->timer->tamr = continuous ? GPTM_TAMR_PERIODIC : GPTM_TAMR_ONESHOT;
    a->timer->tailr = load;
    a->timer->imr = 0; // the trigger only: the timer's own interrupt stays off
    a->timer->ctl = GPTM_CTL_TAEN | GPTM_CTL_TAOTE;
    return OK;
}

static int sample(struct adc *h, uint32_t ch)
{
    struct lm3s_adc *a = ADC_OF(h);
    return start(a, ch, a->hz / 1000000u * SINGLE_DELAY_US, false);
}

static int sample_continuous(struct adc *h, uint32_t ch, uint32_t rate)
{
    struct lm3s_adc *a = ADC_OF(h);
    if (rate == 0 || rate > a->hil.max_hz) {
        if (a->running)
            return BUSY;
        return INVAL;
    }
    return start(a, ch, a->hz / rate - 1u, true);
}

static void stop(struct adc *h)
{
    hw_stop(ADC_OF(h));
}

static void set_client(struct adc *h, struct adc_client *c)
{
    ADC_OF(h)->client = c;
}

void lm3s_adc_service(struct lm3s_adc *a)
{
    a->regs->isc = SS_BIT;
    uint32_t n = fifo_count(a);
    if (!a->running || n == 0) {
        drain(a, n);
        return;
    }
    // One sample per interrupt, the oldest; the rest are dropped. On the silicon
    // sequencer 3's FIFO holds one entry, so there is no rest; QEMU's model converts twice
    // per timer timeout (its trigger input takes both edges of the timer's pulse) and
    // would otherwise deliver twice the requested rate.
    uint16_t v = (uint16_t)(a->regs->ss[SS].fifo & 0x3FFu);
    drain(a, n - 1);
    if (!a->continuous)
        hw_stop(a);
    if (a->client)
        a->client->sample_ready(a->client, v);
}

static const struct adc_ops ops = {
    .sample = sample,
    .sample_continuous = sample_continuous,
    .stop = stop,
    .set_client = set_client,
};

void lm3s_adc_init(struct lm3s_adc *a, struct adc_regs *regs, uint8_t adc_irq,
                   struct gptm_regs *timer, uint32_t hz)
{
    a->hil.ops = &ops;
    a->hil.channels = LM3S_ADC_CHANNELS;
    a->hil.bits = 10;
    a->hil.max_hz = LM3S_ADC_MAX_HZ;
    a->regs = regs;
    a->timer = timer;
    a->hz = hz;
    a->client = NULL;
    hw_stop(a);
    arch_irq_enable(adc_irq);
}

// SPDX-License-Identifier: Apache-2.0
// timers: ten periodic virtual alarms sharing the process's one kernel alarm.
//
// Each firing is printed; after a fixed number of firings a summary line "timers: done"
// says whether they came in time order.

#include <inttypes.h>
#include <stdio.h>

#include "cairn.h"

#define TIMER_COUNT 10
// Ends after this many firings in all (deterministic under QEMU icount).
#define TOTAL_FIRINGS 60

struct timer {
    struct alarm alarm;
    unsigned id;
    uint32_t period; // ticks
    unsigned firings;
};

static struct timer timers[TIMER_COUNT];
static unsigned total_firings;
static unsigned out_of_order;
static uint32_t start_ticks;
static uint32_t last_expiration; // ticks since start_ticks of the latest firing

static void fired(uint32_t now, uint32_t expiration, void *userdata)
{
    struct timer *t = userdata;
    // Late (real time, a loaded host), several alarms come due in one dispatch, so some
    // still fire after the last counted one: the run ends at exactly TOTAL_FIRINGS.
    if (total_firings >= TOTAL_FIRINGS)
        return;
    uint32_t since_start = expiration - start_ticks;
    if (since_start < last_expiration)
        out_of_order++;
    last_expiration = since_start;
    t->firings++;
    total_firings++;
    printf("timer %u fired at %" PRIu32 " ms (#%u)\n", t->id,
           (uint32_t)alarm_ticks_to_ms(since_start), t->firings);
    // Re-armed from its own expiration, not from now: the period does not drift.
    if (total_firings < TOTAL_FIRINGS)
        alarm_at(&t->alarm, expiration, t->period, fired, t);
}

int main(void)
{
    uint32_t hz = 0;
    returncode_t rc = alarm_frequency(&hz);
    if (rc < 0) {
        printf("timers: no alarm driver (%s)\n", returncode_name(rc));
        return 1;
    }
    printf("timers: %d alarms, clock %" PRIu32 " Hz\n", TIMER_COUNT, hz);
    delay_ms(1);

    alarm_now(&start_ticks);
    for (unsigned i = 0; i < TIMER_COUNT; i++) {
        struct timer *t = &timers[i];
        t->id = i;
        // Periods 7, 11, 13, ... ms: pairwise distinct, so the firing order interleaves.
        static const uint8_t period_ms[TIMER_COUNT] = {7, 11, 13, 17, 19, 23, 29, 31, 37, 41};
        t->period = (uint32_t)alarm_ms_to_ticks(period_ms[i]);
        rc = alarm_at(&t->alarm, start_ticks, t->period, fired, t);
        if (rc < 0) {
            printf("timers: alarm_at failed (%s)\n", returncode_name(rc));
            return 1;
        }
    }

    while (total_firings < TOTAL_FIRINGS)
        yield_wait();
    for (unsigned i = 0; i < TIMER_COUNT; i++)
        alarm_cancel(&timers[i].alarm);

    printf("timers: done, %u firings, %u out of order\n", total_firings, out_of_order);
    return out_of_order == 0 ? 0 : 1;
}

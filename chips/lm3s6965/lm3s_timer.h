// SPDX-License-Identifier: Apache-2.0
// LM3S6965 alarm HIL: the watchdog counter as the time base, timer 0A one-shot as compare.
//
// Why the watchdog: the alarm HIL needs a counter the kernel can read at any time, and
// QEMU 7.2's GPTM model never returns the count (TAR reads 0 outside RTC mode), so the
// only free-running 32-bit counter that can be read on this machine is the watchdog's
// WDTVALUE. Its interrupt enable (which starts it) cannot be cleared until reset, and its
// reset output stays off, so it counts down from 0xFFFFFFFF forever and wraps. On the
// silicon a GPTM in periodic mode would do as well; the watchdog then stays free for its
// real job. The compare is GPTM0 timer A in 32-bit one-shot mode, loaded with the ticks
// left until the alarm is due, or at most a quarter of the watchdog's period: that
// keepalive restarts the watchdog's count before it ever expires (lm3s_timer.c says why).
#ifndef CAIRN_LM3S_TIMER_H
#define CAIRN_LM3S_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/deferred.h>
#include <cairn/hil/alarm.h>

#include "lm3s_regs.h"

struct lm3s_alarm {
    struct alarm_hw hil;
    struct wdt_regs *wdt;
    struct gptm_regs *gptm;
    uint8_t irq;     // the GPTM's timer A line
    uint8_t wdt_irq; // the watchdog's line
    // Added to the watchdog's complement: clearing its interrupt reloads the counter, and
    // the time base must not jump back then (lm3s_alarm_wdt_service).
    uint32_t offset;
    uint32_t hz;
    struct alarm_hw_client *client;
    bool armed;
    uint32_t reference, dt;
    struct deferred_call dc; // fires alarms that were already due when set
};

// hz: the system clock, which both counters run from.
void lm3s_alarm_init(struct lm3s_alarm *t, struct wdt_regs *wdt, struct gptm_regs *gptm,
                     uint8_t irq, uint8_t wdt_irq, uint32_t hz);

// The watchdog's interrupt (its counter reached 0 and reloaded; only if the keepalive was
// missed): acknowledge it, or its next expiry, 2^32 ticks later, stops the counter (and
// the time base with it).
void lm3s_alarm_wdt_service(struct lm3s_alarm *t);
void lm3s_alarm_service(struct lm3s_alarm *t);

#endif

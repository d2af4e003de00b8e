// SPDX-License-Identifier: Apache-2.0
// Alarm driver (0x0): clock reads, any number of one-shot virtual alarms, and delays.
#ifndef CAIRN_ALARM_H
#define CAIRN_ALARM_H

#include <stdbool.h>
#include <stdint.h>

#include "errors.h"

#define ALARM_DRIVER 0x0

// Called from a yield (or from delay_ms) when the alarm is due: now is the tick count
// read after the alarm expired, expiration = reference + dt. The alarm is already
// removed from the list, so the callback may re-arm it, e.g. with
// alarm_at(a, expiration, period, ...) for a drift-free periodic timer.
struct alarm;
typedef void alarm_fn(uint32_t now, uint32_t expiration, void *userdata);

// One virtual alarm. The caller owns the storage (static or on a stack frame that lives
// until the alarm fires or is cancelled); libcairn links armed alarms into one list and
// keeps the kernel's single per-process alarm set to the earliest of them.
// Fields are private to alarm.c.
struct alarm {
    uint32_t reference;
    uint32_t dt;
    alarm_fn *callback;
    void *userdata;
    struct alarm *next;
};

// Ticks per second of the alarm counter (wraps at 2^32). Cached after the first call.
returncode_t alarm_frequency(uint32_t *hz);
// The current tick count.
returncode_t alarm_now(uint32_t *ticks);

// Arms `a` to fire when (now - reference) mod 2^32 >= dt, re-arming it if it was already
// armed. A reference in the past (e.g. the previous expiration) makes periodic timers not
// drift; if the alarm is already due it fires at the next yield.
returncode_t alarm_at(struct alarm *a, uint32_t reference, uint32_t dt, alarm_fn *callback,
                      void *userdata);
// alarm_at(a, now, ticks of ms); RETURNCODE_ESIZE if ms does not fit in 2^32 ticks.
returncode_t alarm_in_ms(struct alarm *a, uint32_t ms, alarm_fn *callback, void *userdata);
// Disarms `a`; nothing happens if it is not armed (it may have fired already).
void alarm_cancel(struct alarm *a);
bool alarm_is_armed(const struct alarm *a);

// Converts between milliseconds and ticks of the alarm counter (64-bit, no overflow for
// any 32-bit input); 0 if the frequency cannot be read.
uint64_t alarm_ms_to_ticks(uint32_t ms);
uint64_t alarm_ticks_to_ms(uint64_t ticks);

// Blocks for at least ms milliseconds, with Yield-WaitFor on the alarm: other drivers'
// upcalls stay queued, while other virtual alarms that come due meanwhile still run.
returncode_t delay_ms(uint32_t ms);

// Blocks until (now - reference) mod 2^32 >= dt with the kernel alarm alone: it arms the
// process's one kernel alarm and takes its event with Yield-WaitFor, so it needs no
// upcall, no list and little stack (a blink-style app uses it; userland/apps/blink).
// Not for apps that also use virtual alarms: it replaces whatever alarm they armed.
returncode_t alarm_wait_until(uint32_t reference, uint32_t dt);

#endif // CAIRN_ALARM_H

// SPDX-License-Identifier: Apache-2.0
// The machine timer (mtime) as the alarm HIL; its compare is shared with the timeslice.
#ifndef CAIRN_RV_MTIMER_H
#define CAIRN_RV_MTIMER_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/deferred.h>
#include <cairn/hil/alarm.h>

// The low 32 bits of mtime are the HIL's wrapping counter (RV_MTIME_HZ ticks a second).
// One instance: there is one mtimecmp per hart.
struct rv_alarm {
    struct alarm_hw hil;
    struct alarm_hw_client *client;
    bool armed;
    uint32_t reference, dt;
    struct deferred_call dc; // fires alarms that were already due when set
};

void rv_alarm_init(struct rv_alarm *a);
// Bottom half of interrupt line RV_IRQ_MTIMER (0): the alarm's deadline passed.
void rv_alarm_service(struct rv_alarm *a);

#endif

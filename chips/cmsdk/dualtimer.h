// SPDX-License-Identifier: Apache-2.0
// CMSDK dual timer as the alarm HIL: timer 1 free-running time base, timer 2 one-shot.
#ifndef CAIRN_CMSDK_DUALTIMER_H
#define CAIRN_CMSDK_DUALTIMER_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/deferred.h>
#include <cairn/hil/alarm.h>

#include "cmsdk_regs.h"

struct cmsdk_dualtimer {
    struct alarm_hw hil;
    struct cmsdk_dualtimer_regs *regs;
    uint8_t irq;
    uint32_t hz;
    struct alarm_hw_client *client;
    bool armed;
    uint32_t reference, dt;
    struct deferred_call dc; // fires alarms that were already due when set
};

// hz: the timer clock (25 MHz on mps2).
void cmsdk_dualtimer_init(struct cmsdk_dualtimer *t, struct cmsdk_dualtimer_regs *regs, uint8_t irq,
                          uint32_t hz);
void cmsdk_dualtimer_service(struct cmsdk_dualtimer *t);

#endif

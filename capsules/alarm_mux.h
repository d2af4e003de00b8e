// SPDX-License-Identifier: Apache-2.0
// Virtual alarms: any number of independent alarms over one hardware alarm.
#ifndef CAIRN_ALARM_MUX_H
#define CAIRN_ALARM_MUX_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/alarm.h>

struct alarm_mux;

// A virtual alarm implements the alarm HIL for one client. Invariant: the hardware is
// armed for the soonest-due armed virtual alarm, or disarmed when none is armed.
struct valarm {
    struct alarm_hw hil;
    struct alarm_mux *mux;
    struct alarm_hw_client *client;
    struct valarm *next;
    uint32_t reference, dt;
    bool armed;
};

struct alarm_mux {
    struct alarm_hw *hw;
    struct alarm_hw_client as_client;
    struct valarm *list;
    bool in_fire; // reprogramming is done once after all due alarms ran
};

void alarm_mux_init(struct alarm_mux *m, struct alarm_hw *hw);
void valarm_init(struct valarm *v, struct alarm_mux *m);

#endif

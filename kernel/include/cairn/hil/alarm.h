// SPDX-License-Identifier: Apache-2.0
// Alarm HIL: a free-running 32-bit counter and one compare that fires a callback.
//
// Time is a 32-bit tick count that wraps. An alarm set with (reference, dt) is due once
// now - reference >= dt (mod 2^32): giving the reference explicitly lets callers chain
// alarms without drift and stay correct across the wrap.
#ifndef CAIRN_HIL_ALARM_H
#define CAIRN_HIL_ALARM_H

#include <stdint.h>

struct alarm_hw;

struct alarm_hw_client {
    // The armed alarm is due (or overdue). It is disarmed before this is called. now: the
    // counter as the driver read it to find the alarm due (so the client need not read it
    // again; a client that takes long reads it anew).
    void (*fired)(struct alarm_hw_client *c, uint32_t now);
};

struct alarm_hw_ops {
    uint32_t (*now)(struct alarm_hw *a);
    uint32_t (*frequency)(struct alarm_hw *a); // ticks per second
    // Arm (replacing any armed alarm). If already due, fired follows soon, never inside.
    void (*set)(struct alarm_hw *a, uint32_t reference, uint32_t dt);
    void (*disarm)(struct alarm_hw *a);
    void (*set_client)(struct alarm_hw *a, struct alarm_hw_client *c);
};

struct alarm_hw {
    const struct alarm_hw_ops *ops;
};

static inline uint32_t alarm_hw_now(struct alarm_hw *a)
{
    return a->ops->now(a);
}
static inline uint32_t alarm_hw_frequency(struct alarm_hw *a)
{
    return a->ops->frequency(a);
}
static inline void alarm_hw_set(struct alarm_hw *a, uint32_t reference, uint32_t dt)
{
    a->ops->set(a, reference, dt);
}
static inline void alarm_hw_disarm(struct alarm_hw *a)
{
    a->ops->disarm(a);
}
static inline void alarm_hw_set_client(struct alarm_hw *a, struct alarm_hw_client *c)
{
    a->ops->set_client(a, c);
}

// True if an alarm (reference, dt) is due at now, modulo 2^32.
static inline int alarm_due(uint32_t now, uint32_t reference, uint32_t dt)
{
    return (uint32_t)(now - reference) >= dt;
}

#endif

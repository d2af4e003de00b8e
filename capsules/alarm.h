// SPDX-License-Identifier: Apache-2.0
// Alarm capsule (driver 0x0): one one-shot alarm per process over a virtual alarm.
//
// ABI (Tock 2.x, spec 8.2). Ticks are the board's 32-bit counter (mps2: 25 MHz).
//   command 0: exists -> Success (allocates the grant; NOMEM possible)
//   command 1: frequency -> Success-u32(Hz)
//   command 2: now -> Success-u32(ticks)
//   command 3: cancel -> Success if an alarm was armed, Failure ALREADY if none
//   command 4: -> Failure NOSUPPORT (1.x absolute set)
//   command 5 (dt): arm at now + dt -> Success-u32(now + dt)
//   command 6 (reference, dt): arm at reference + dt -> Success-u32(reference + dt)
//   other commands: Failure NOSUPPORT
//   subscribe 0: fired, upcall (now, reference + dt, 0); the alarm is disarmed first
// Arming replaces the process's previous alarm. An alarm already due when armed fires at
// once (queued from a deferred pass, never inside the command).
#ifndef CAIRN_CAPSULE_ALARM_H
#define CAIRN_CAPSULE_ALARM_H

#include <cairn/driver.h>
#include <cairn/grant.h>

#include <cairn/hil/alarm.h>

#define ALARM_DRIVER_NUM 0x0u

// A process's alarm. Armed alarms are linked in expiry order: next is the process whose
// alarm is due next after this one (PROCID_NONE: none), meaningful only while armed.
struct alarm_app {
    uint32_t reference, dt;
    procid_t next;
    uint8_t armed;
};

struct alarm_capsule {
    // The alarm it keeps armed for the soonest process: a virtual alarm of the multiplexer
    // (alarm_mux.h) where the board has other alarm clients, else the hardware's own.
    struct alarm_hw *hw;
    struct alarm_hw_client client;
    struct grant grant;
    procid_t head; // the process whose alarm is due first, PROCID_NONE if none is armed
};

void alarm_capsule_init(struct alarm_capsule *a, struct alarm_hw *hw);
struct cmd_result alarm_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                                uint32_t arg1);

#endif

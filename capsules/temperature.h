// SPDX-License-Identifier: Apache-2.0
// Temperature capsule (driver 0x60000): readings of the board's temperature sensor.
//
// ABI (Tock 2.x, doc/syscalls/60000_ambient_temperature.md and
// capsules/extra/src/temperature.rs):
//   command 0: exists -> Success; Failure NODEVICE on a board without a sensor, or once
//              the sensor has failed to answer
//   command 1: start a reading -> Success (the process then gets the next reading; a
//              reading already in progress serves every process waiting for it);
//              Failure NOMEM if the grant cannot be allocated, the bus error if the
//              reading cannot start
//   other commands: Failure NOSUPPORT
//   subscribe 0: upcall (temperature in hundredths of a degree C, as a signed int, 0, 0)
//   No allows (Failure NOSUPPORT, from the grant).
// A reading that fails (the sensor does not answer) queues no upcall, as in Tock; the
// kernel prints why, and the driver then answers NODEVICE.
#ifndef CAIRN_CAPSULE_TEMPERATURE_H
#define CAIRN_CAPSULE_TEMPERATURE_H

#include <stdbool.h>

#include <cairn/driver.h>
#include <cairn/grant.h>
#include <cairn/hil/temperature.h>

#define TEMPERATURE_DRIVER_NUM 0x60000u

struct temperature_app {
    uint8_t waiting; // asked (command 1) and not yet given a reading
};

struct temperature_capsule {
    struct temperature_sensor *sensor; // null: the board has none
    struct temperature_client client;
    struct grant grant;
    bool busy, failed;
};

void temperature_capsule_init(struct temperature_capsule *t, struct temperature_sensor *sensor);
struct cmd_result temperature_command(const struct driver *d, procid_t pid, uint32_t cmd,
                                      uint32_t arg0, uint32_t arg1);

#endif

// SPDX-License-Identifier: Apache-2.0
// Temperature sensor HIL: one split-phase reading at a time, in hundredths of a degree C.
#ifndef CAIRN_HIL_TEMPERATURE_H
#define CAIRN_HIL_TEMPERATURE_H

#include <stdint.h>

struct temperature_sensor;

struct temperature_client {
    // status OK: centi_celsius is the reading; otherwise (NOACK, FAIL) it is 0.
    void (*done)(struct temperature_client *c, int status, int32_t centi_celsius);
};

struct temperature_sensor_ops {
    // Start a reading. OK (done follows, never inside this call), BUSY, or the bus error.
    int (*read)(struct temperature_sensor *s);
    void (*set_client)(struct temperature_sensor *s, struct temperature_client *c);
};

struct temperature_sensor {
    const struct temperature_sensor_ops *ops;
};

#endif

// SPDX-License-Identifier: Apache-2.0
// TI TMP105 digital temperature sensor on an I2C master HIL, behind the temperature HIL.
//
// The first reading sets the configuration register to 12-bit resolution (R1 R0 = 11,
// 0.0625 degree steps); every reading then points at the temperature register and reads
// its two bytes (a STOP between, see the I2C HIL). The register holds the temperature in
// 1/256 degree units, left-justified, two's complement.
#ifndef CAIRN_CAPSULE_TMP105_H
#define CAIRN_CAPSULE_TMP105_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/i2c.h>
#include <cairn/hil/temperature.h>

#define TMP105_DEFAULT_ADDR 0x48u

struct tmp105 {
    struct temperature_sensor hil;
    struct i2c_master_client i2c_client;
    struct i2c_master *i2c;
    struct temperature_client *client;
    uint8_t addr;
    uint8_t buf[2];
    uint8_t state; // enum in tmp105.c
    bool configured;
};

void tmp105_init(struct tmp105 *t, struct i2c_master *i2c, uint8_t addr);

// Register value (two bytes as read) to hundredths of a degree C, rounded toward zero.
int32_t tmp105_centi_celsius(uint8_t msb, uint8_t lsb);

#endif

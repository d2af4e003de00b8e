// SPDX-License-Identifier: Apache-2.0
// Stellaris I2C master (I2C0 at 0x40020000), interrupt-driven, behind the I2C master HIL.
//
// One byte per step: the driver writes MSA/MDR and a command to MCS (START, RUN, STOP,
// ACK), the controller raises its interrupt when the byte is on the bus, and the bottom
// half issues the next step. A write phase ends with STOP; a read phase then starts with
// a new START (the controller, and QEMU's model of it, cannot restart: see the HIL).
// A NACK ends the transfer with NOACK; the completion always comes from the bottom half
// or a deferred call, never inside write_read.
#ifndef CAIRN_LM3S_I2C_H
#define CAIRN_LM3S_I2C_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/deferred.h>
#include <cairn/hil/i2c.h>

#include "lm3s_regs.h"

struct lm3s_i2c {
    struct i2c_master hil;
    struct i2c_regs *regs;
    struct i2c_master_client *client;
    struct deferred_call done_call; // completes a transfer that failed without an interrupt
    uint8_t *buf;
    uint32_t wlen, rlen, pos;
    uint8_t addr, phase; // phase: enum in lm3s_i2c.c
    int status;
};

// hz: the system clock (sets the 100 kHz SCL divider). post: master enabled, its
// interrupt unmasked in the controller and the NVIC.
void lm3s_i2c_init(struct lm3s_i2c *i, struct i2c_regs *regs, uint8_t irq, uint32_t hz);
// Bottom half of the controller's line.
void lm3s_i2c_service(struct lm3s_i2c *i);

#endif

// SPDX-License-Identifier: Apache-2.0
// ARM SBCon two-wire interface (MPS2 boards' I2C): an I2C master bit-banged over two
// register-controlled lines, behind the I2C master HIL.
//
// Registers (MPS2 FPGA images; QEMU's versatile_i2c): +0x0 read SCL (bit 0) and SDA
// (bit 1) as the bus sees them; +0x0 write sets, +0x4 write clears those bits. No
// interrupt and no clock stretching: a transfer runs to its end inside write_read (about
// 30 register writes per byte) and completes from a deferred call.
#ifndef CAIRN_CHIPS_SBCON_I2C_H
#define CAIRN_CHIPS_SBCON_I2C_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/deferred.h>
#include <cairn/hil/i2c.h>

struct sbcon_regs {
    volatile uint32_t control; // read: line state; write: set lines
    volatile uint32_t clear;   // write: clear lines
};

struct sbcon_i2c {
    struct i2c_master hil;
    struct sbcon_regs *regs;
    struct i2c_master_client *client;
    struct deferred_call done_call;
    int status;
    bool busy;
};

void sbcon_i2c_init(struct sbcon_i2c *s, struct sbcon_regs *regs);

#endif

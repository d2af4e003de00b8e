// SPDX-License-Identifier: Apache-2.0
// I2C master HIL: one transfer at a time, split-phase (the completion never runs inside
// the call that started it).
//
// A transfer writes wlen bytes of buf to the 7-bit address, then, if rlen > 0, reads rlen
// bytes into buf (overwriting what was written). Between the two there is a STOP and a
// new START, not a repeated START: the Stellaris I2C master (and QEMU's model of it)
// cannot restart, and every register-pointer device Cairn drives accepts a STOP there.
#ifndef CAIRN_HIL_I2C_H
#define CAIRN_HIL_I2C_H

#include <stdint.h>

struct i2c_master;

struct i2c_master_client {
    // status: OK, NOACK (nobody answered the address or a byte), FAIL (bus error).
    void (*done)(struct i2c_master_client *c, int status);
};

struct i2c_master_ops {
    // Start a transfer. Returns OK (done follows), BUSY (one in flight), INVAL (wlen and
    // rlen both 0, or addr above 0x7F). buf must stay valid until done.
    int (*write_read)(struct i2c_master *m, uint8_t addr, uint8_t *buf, uint32_t wlen,
                      uint32_t rlen);
    void (*set_client)(struct i2c_master *m, struct i2c_master_client *c);
};

struct i2c_master {
    const struct i2c_master_ops *ops;
};

#endif

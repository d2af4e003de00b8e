// SPDX-License-Identifier: Apache-2.0
// Stellaris I2C master driver: one byte per interrupt, write phase then read phase.
#include <stddef.h>

#include "arch.h"
#include "lm3s_i2c.h"

#include <cairn/errorcode.h>

_Static_assert(offsetof(struct i2c_regs, mcr) == 0x20, "I2C MCR offset");

// FAILED: a step failed at once; the deferred call completes the transfer.
enum { IDLE, WRITING, READING, FAILED };

#define I2C_OF(h) ((struct lm3s_i2c *)(h))

static void finish(struct lm3s_i2c *i, int status)
{
    i->phase = IDLE;
    i->buf = NULL;
    if (i->client)
        i->client->done(i->client, status);
}

// Every ERROR is reported as NOACK: Cairn is the only master on the bus, so a lost
// arbitration cannot happen, and QEMU's model flags a NACK as ERROR | ARBLST.
// Issue one step. The controller reports an address NACK at once and, in QEMU's model,
// without an interrupt; such a step ends the transfer through the deferred call (the
// silicon's interrupt for it then finds the driver idle and is ignored).
static void step(struct lm3s_i2c *i, uint32_t cmd)
{
    i->regs->mcs = cmd;
    uint32_t st = i->regs->mcs;
    if ((st & I2C_MCS_ERROR) && !(st & I2C_MCS_BUSY)) {
        if (!(cmd & I2C_MCS_STOP))
            i->regs->mcs = I2C_MCS_STOP;
        i->status = NOACK;
        i->phase = FAILED;
        deferred_call_schedule(&i->done_call);
    }
}

static uint32_t read_cmd(struct lm3s_i2c *i)
{
    // The last byte is not acknowledged, and the STOP goes with it.
    return i->pos + 1 == i->rlen ? I2C_MCS_RUN | I2C_MCS_STOP : I2C_MCS_RUN | I2C_MCS_ACK;
}

static void start_read(struct lm3s_i2c *i)
{
    i->phase = READING;
    i->pos = 0;
    i->regs->msa = (uint32_t)i->addr << 1 | 1u;
    step(i, I2C_MCS_START | read_cmd(i));
}

static uint32_t write_cmd(struct lm3s_i2c *i)
{
    return i->pos + 1 == i->wlen ? I2C_MCS_RUN | I2C_MCS_STOP : I2C_MCS_RUN;
}

static int write_read(struct i2c_master *m, uint8_t addr, uint8_t *buf, uint32_t wlen,
                      uint32_t rlen)
{
    struct lm3s_i2c *i = I2C_OF(m);
    if (i->phase != IDLE)
        return BUSY;
    if (addr > 0x7Fu || (wlen == 0 && rlen == 0))
        return INVAL;
    i->addr = addr;
    i->buf = buf;
    i->wlen = wlen;
    i->rlen = rlen;
    i->status = OK;
    if (wlen == 0) {
        start_read(i);
        return OK;
    }
    i->phase = WRITING;
    i->pos = 0;
    i->regs->msa = (uint32_t)addr << 1;
    i->regs->mdr = buf[0];
    step(i, I2C_MCS_START | write_cmd(i));
    return OK;
}

void lm3s_i2c_service(struct lm3s_i2c *i)
{
    i->regs->micr = 1u;
    uint32_t st = i->regs->mcs;
    if (i->phase != WRITING && i->phase != READING)
        return; // a failure already handled, or a stray interrupt
    if (st & I2C_MCS_ERROR) {
        // The silicon needs a STOP after a failed byte unless that byte carried one.
        i->regs->mcs = I2C_MCS_STOP;
        finish(i, NOACK);
        return;
    }
    if (i->phase == WRITING) {
        if (++i->pos < i->wlen) {
            i->regs->mdr = i->buf[i->pos];
            step(i, write_cmd(i));
        } else if (i->rlen) {
            start_read(i);
        } else {
            finish(i, OK);
        }
        return;
    }
    i->buf[i->pos] = (uint8_t)i->regs->mdr;
    if (++i->pos < i->rlen)
        step(i, read_cmd(i));
    else
        finish(i, OK);
}

static void failed(void *ctx)
{
    struct lm3s_i2c *i = ctx;
    finish(i, i->status);
}

static void set_client(struct i2c_master *m, struct i2c_master_client *c)
{
    I2C_OF(m)->client = c;
}

static const struct i2c_master_ops ops = {.write_read = write_read, .set_client = set_client};

void lm3s_i2c_init(struct lm3s_i2c *i, struct i2c_regs *regs, uint8_t irq, uint32_t hz)
{
    i->hil.ops = &ops;
    i->regs = regs;
    i->client = NULL;
    i->phase = IDLE;
    deferred_call_register(&i->done_call, failed, i);
    regs->mcr = I2C_MCR_MFE;
    // SCL = hz / (20 * (TPR + 1)) (datasheet): 100 kHz standard mode.
    uint32_t tpr = hz / (20u * 100000u);
    regs->mtpr = tpr ? tpr - 1u : 0u;
    regs->micr = 1u;
    regs->mimr = 1u;
    arch_irq_enable(irq);
}

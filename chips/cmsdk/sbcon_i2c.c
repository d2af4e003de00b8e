// SPDX-License-Identifier: Apache-2.0
// SBCon bit-banged I2C master: START, bytes with ACK, STOP, one line change per write.
#include "sbcon_i2c.h"

#include <cairn/errorcode.h>

#define SCL 1u
#define SDA 2u

// One line change per register write: the model (and a real open-drain bus) sees each edge.
static void set(struct sbcon_i2c *s, uint32_t line)
{
    s->regs->control = line;
}

static void clr(struct sbcon_i2c *s, uint32_t line)
{
    s->regs->clear = line;
}

static bool sda(struct sbcon_i2c *s)
{
    return (s->regs->control & SDA) != 0;
}

static void start(struct sbcon_i2c *s)
{
    set(s, SDA);
    set(s, SCL);
    clr(s, SDA);
    clr(s, SCL);
}

static void stop(struct sbcon_i2c *s)
{
    clr(s, SDA);
    set(s, SCL);
    set(s, SDA);
}

// Write one byte, MSB first; true if the slave acknowledged it.
static bool put_byte(struct sbcon_i2c *s, uint8_t b)
{
    for (int i = 7; i >= 0; i--) {
        if ((b >> i) & 1u)
            set(s, SDA);
        else
            clr(s, SDA);
        set(s, SCL);
        clr(s, SCL);
    }
    set(s, SDA); // release SDA for the slave's ACK
    set(s, SCL);
    bool ack = !sda(s);
    clr(s, SCL);
    return ack;
}

// Read one byte, MSB first, then ACK it (more follow) or NACK it (the last).
static uint8_t get_byte(struct sbcon_i2c *s, bool ack)
{
    uint8_t b = 0;
    set(s, SDA);
    for (int i = 0; i < 8; i++) {
        set(s, SCL);
        b = (uint8_t)(b << 1 | (sda(s) ? 1u : 0u));
        clr(s, SCL);
    }
    if (ack)
        clr(s, SDA);
    else
        set(s, SDA);
    set(s, SCL);
    clr(s, SCL);
    set(s, SDA);
    return b;
}

static int transfer(struct sbcon_i2c *s, uint8_t addr, uint8_t *buf, uint32_t wlen, uint32_t rlen)
{
    if (wlen) {
        start(s);
        bool ok = put_byte(s, (uint8_t)(addr << 1));
        for (uint32_t i = 0; ok && i < wlen; i++)
            ok = put_byte(s, buf[i]);
        stop(s);
        if (!ok)
            return NOACK;
    }
    if (rlen) {
        start(s);
        if (!put_byte(s, (uint8_t)(addr << 1 | 1u))) {
            stop(s);
            return NOACK;
        }
        for (uint32_t i = 0; i < rlen; i++)
            buf[i] = get_byte(s, i + 1 < rlen);
        stop(s);
    }
    return OK;
}

static int write_read(struct i2c_master *m, uint8_t addr, uint8_t *buf, uint32_t wlen,
                      uint32_t rlen)
{
    struct sbcon_i2c *s = (struct sbcon_i2c *)m;
    if (s->busy)
        return BUSY;
    if (addr > 0x7Fu || (wlen == 0 && rlen == 0))
        return INVAL;
    s->status = transfer(s, addr, buf, wlen, rlen);
    s->busy = true;
    deferred_call_schedule(&s->done_call);
    return OK;
}

static void done(void *ctx)
{
    struct sbcon_i2c *s = ctx;
    s->busy = false;
    if (s->client)
        s->client->done(s->client, s->status);
}

static void set_client(struct i2c_master *m, struct i2c_master_client *c)
{
    ((struct sbcon_i2c *)m)->client = c;
}

static const struct i2c_master_ops ops = {.write_read = write_read, .set_client = set_client};

void sbcon_i2c_init(struct sbcon_i2c *s, struct sbcon_regs *regs)
{
    s->hil.ops = &ops;
    s->regs = regs;
    s->client = 0;
    s->busy = false;
    deferred_call_register(&s->done_call, done, s);
    // Bus idle: both lines high.
    set(s, SCL);
    set(s, SDA);
}

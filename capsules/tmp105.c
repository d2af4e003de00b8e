// SPDX-License-Identifier: Apache-2.0
// TMP105 driver: configure once (12-bit), then pointer write + two-byte read per reading.
#include "tmp105.h"

#include <cairn/errorcode.h>

#define REG_TEMPERATURE 0x00u
#define REG_CONFIG      0x01u
#define CONFIG_12BIT    0x60u // R1 R0 = 11: 12-bit conversions

enum { IDLE, CONFIGURING, READING };

int32_t tmp105_centi_celsius(uint8_t msb, uint8_t lsb)
{
    int32_t raw = (int16_t)((uint16_t)msb << 8 | lsb); // 1/256 degree
    return raw * 100 / 256;
}

static int start_read(struct tmp105 *t)
{
    t->buf[0] = REG_TEMPERATURE;
    t->state = READING;
    return t->i2c->ops->write_read(t->i2c, t->addr, t->buf, 1, 2);
}

static void finish(struct tmp105 *t, int status, int32_t value)
{
    t->state = IDLE;
    if (t->client)
        t->client->done(t->client, status, value);
}

static void i2c_done(struct i2c_master_client *c, int status)
{
    struct tmp105 *t = (struct tmp105 *)((char *)c - __builtin_offsetof(struct tmp105, i2c_client));
    if (status != OK) {
        finish(t, status, 0);
        return;
    }
    if (t->state == CONFIGURING) {
        t->configured = true;
        int err = start_read(t);
        if (err != OK)
            finish(t, err, 0);
        return;
    }
    finish(t, OK, tmp105_centi_celsius(t->buf[0], t->buf[1]));
}

static int read(struct temperature_sensor *s)
{
    struct tmp105 *t = (struct tmp105 *)s;
    if (t->state != IDLE)
        return BUSY;
    int err;
    if (!t->configured) {
        t->buf[0] = REG_CONFIG;
        t->buf[1] = CONFIG_12BIT;
        t->state = CONFIGURING;
        err = t->i2c->ops->write_read(t->i2c, t->addr, t->buf, 2, 0);
    } else {
        err = start_read(t);
    }
    if (err != OK)
        t->state = IDLE;
    return err;
}

static void set_client(struct temperature_sensor *s, struct temperature_client *c)
{
    ((struct tmp105 *)s)->client = c;
}

static const struct temperature_sensor_ops ops = {.read = read, .set_client = set_client};

void tmp105_init(struct tmp105 *t, struct i2c_master *i2c, uint8_t addr)
{
    t->hil.ops = &ops;
    t->i2c = i2c;
    t->addr = addr;
    t->client = 0;
    t->state = IDLE;
    t->configured = false;
    t->i2c_client.done = i2c_done;
    i2c->ops->set_client(i2c, &t->i2c_client);
}

// SPDX-License-Identifier: Apache-2.0
// SSD0323 OLED driver: command bytes with D/C low, pixel bytes with D/C high, over SPI.
#include <stddef.h>

#include "ssd0323.h"

#include <cairn/errorcode.h>

// INIT: the set-up sequence; WINDOW: a window command, pixels follow; PIXELS, COMMAND: the
// last transfer of an op.
enum { IDLE, INIT, WINDOW, PIXELS, COMMAND };

#define CMD_COLUMNS     0x15u
#define CMD_ROWS        0x75u
#define CMD_CONTRAST    0x81u
#define CMD_REMAP       0xA0u
#define CMD_START_LINE  0xA1u
#define CMD_OFFSET      0xA2u
#define CMD_NORMAL      0xA4u
#define CMD_INVERSE     0xA7u
#define CMD_MUX         0xA8u
#define CMD_DISPLAY_OFF 0xAEu
#define CMD_DISPLAY_ON  0xAFu
#define CONTRAST_MAX    0x7Fu

#define DRV_OF(h) ((struct ssd0323 *)(h))

// Panel set-up: display off while configuring, column address increment with the
// nibbles in reading order and COM split (0x52, the evaluation board's wiring), start
// line and offset 0, 64 rows, mid contrast, normal mode, display on.
static const uint8_t init_seq[] = {
    CMD_DISPLAY_OFF, CMD_REMAP, 0x52u,        CMD_START_LINE, 0x00u,      CMD_OFFSET,     0x00u,
    CMD_MUX,         0x3Fu,     CMD_CONTRAST, 0x40u,          CMD_NORMAL, CMD_DISPLAY_ON,
};

static int send(struct ssd0323 *d, const uint8_t *buf, uint32_t len, bool data)
{
    d->dc->ops->set(d->dc, data);
    return d->spi->ops->write(d->spi, buf, len);
}

static void spi_done(struct spi_client *c, int status)
{
    struct ssd0323 *d = (struct ssd0323 *)((char *)c - offsetof(struct ssd0323, spi_client));
    if (d->state == WINDOW && status == OK) {
        d->state = PIXELS;
        status = send(d, d->tx, d->tx_len, true);
        if (status == OK)
            return;
    }
    d->state = IDLE;
    if (d->client)
        d->client->done(d->client, status);
}

// Mono bits to grey bytes: each pair of pixels becomes one byte, left pixel high nibble.
static void convert(struct ssd0323 *d, const uint8_t *data, uint32_t len)
{
    static const uint8_t pair[4] = {0x00u, 0x0Fu, 0xF0u, 0xFFu};
    for (uint32_t i = 0; i < len; i++)
        for (unsigned k = 0; k < 4; k++)
            d->tx[4 * i + k] = pair[(data[i] >> (6 - 2 * k)) & 3u];
    d->tx_len = 4 * len;
}

static int write(struct screen *s, const struct screen_frame *f, const uint8_t *data, uint32_t len,
                 bool first)
{
    struct ssd0323 *d = DRV_OF(s);
    if (d->state != IDLE)
        return BUSY;
    if (len == 0 || len > SSD0323_MAX_WRITE)
        return SIZE;
    convert(d, data, len);
    int err;
    if (first) {
        uint8_t c[] = {CMD_COLUMNS, (uint8_t)(f->x / 2), (uint8_t)((f->x + f->w) / 2 - 1),
                       CMD_ROWS,    (uint8_t)f->y,       (uint8_t)(f->y + f->h - 1)};
        for (unsigned i = 0; i < sizeof c; i++)
            d->cmd[i] = c[i];
        d->state = WINDOW;
        err = send(d, d->cmd, sizeof c, false);
    } else {
        d->state = PIXELS;
        err = send(d, d->tx, d->tx_len, true);
    }
    if (err != OK)
        d->state = IDLE;
    return err;
}

static int command(struct ssd0323 *d, const uint8_t *c, uint32_t n)
{
    if (d->state != IDLE)
        return BUSY;
    for (uint32_t i = 0; i < n; i++)
        d->cmd[i] = c[i];
    d->state = COMMAND;
    int err = send(d, d->cmd, n, false);
    if (err != OK)
        d->state = IDLE;
    return err;
}

static int set_power(struct screen *s, bool on)
{
    uint8_t c = on ? CMD_DISPLAY_ON : CMD_DISPLAY_OFF;
    return command(DRV_OF(s), &c, 1);
}

static int set_brightness(struct screen *s, uint32_t percent)
{
    if (percent == 0) {
        uint8_t off = CMD_DISPLAY_OFF;
        return command(DRV_OF(s), &off, 1);
    }
    if (percent > 100)
        percent = 100;
    uint8_t c[] = {CMD_CONTRAST, (uint8_t)(percent * CONTRAST_MAX / 100), CMD_DISPLAY_ON};
    return command(DRV_OF(s), c, sizeof c);
}

static int set_invert(struct screen *s, bool on)
{
    uint8_t c = on ? CMD_INVERSE : CMD_NORMAL;
    return command(DRV_OF(s), &c, 1);
}

static void set_client(struct screen *s, struct screen_client *c)
{
    DRV_OF(s)->client = c;
}

static const struct screen_ops ops = {
    .write = write,
    .set_power = set_power,
    .set_brightness = set_brightness,
    .set_invert = set_invert,
    .set_client = set_client,
};

void ssd0323_init(struct ssd0323 *d, struct spi_master *spi, struct gpio_pin *dc)
{
    d->hil.ops = &ops;
    d->hil.width = SSD0323_WIDTH;
    d->hil.height = SSD0323_HEIGHT;
    d->hil.format = SCREEN_FORMAT_MONO;
    d->hil.x_align = 2;
    d->hil.max_write = SSD0323_MAX_WRITE;
    d->spi = spi;
    d->dc = dc;
    d->client = NULL;
    d->spi_client.write_done = spi_done;
    spi->ops->set_client(spi, &d->spi_client);
    d->state = INIT;
    if (send(d, init_seq, sizeof init_seq, false) != OK)
        d->state = IDLE;
}

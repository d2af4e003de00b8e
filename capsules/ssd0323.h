// SPDX-License-Identifier: Apache-2.0
// Solomon SSD0323 OLED controller (128x64, 4-bit grey) on a transmit-only SPI master and a
// data/command GPIO, behind the screen HIL in Tock's Mono pixel format.
//
// The controller's RAM holds two pixels a byte (high nibble on the left) and fills a
// column/row window byte by byte, wrapping within it. The driver takes Mono pixels
// (8 a byte) and sends each lit pixel as grey 15, each dark one as 0; so a frame's x and
// width must be even (x_align 2). Every write of a new frame first sends the window
// (command mode: 0x15 columns, 0x75 rows), then the pixels (data mode). QEMU's model
// ignores contrast, display on/off and inverse mode; the driver still sends them, as the
// panel needs them.
#ifndef CAIRN_CAPSULE_SSD0323_H
#define CAIRN_CAPSULE_SSD0323_H

#include <stdint.h>

#include <cairn/hil/gpio.h>
#include <cairn/hil/screen.h>
#include <cairn/hil/spi.h>

#define SSD0323_WIDTH     128u
#define SSD0323_HEIGHT    64u
#define SSD0323_MAX_WRITE 16u // Mono bytes per write: 128 pixels, 64 bytes on the wire

struct ssd0323 {
    struct screen hil;
    struct spi_client spi_client;
    struct spi_master *spi;
    struct gpio_pin *dc; // low: command, high: data
    struct screen_client *client;
    uint8_t state; // enum in ssd0323.c
    uint8_t cmd_len;
    uint8_t cmd[8];
    uint8_t tx[SSD0323_MAX_WRITE * 4];
    uint32_t tx_len;
};

// pre: spi and dc initialised (dc an output). Starts the controller's set-up sequence;
// the first done() (status OK) says it is over, and ops answer BUSY until then.
void ssd0323_init(struct ssd0323 *d, struct spi_master *spi, struct gpio_pin *dc);

#endif

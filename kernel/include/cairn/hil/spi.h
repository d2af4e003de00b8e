// SPDX-License-Identifier: Apache-2.0
// SPI master HIL, transmit only: the bytes go out, whatever comes back is dropped.
//
// Split-phase: write_done runs from the chip's bottom half, never inside write. One
// transfer at a time; buf must stay valid and unchanged until write_done. Chip select is
// the board's business (a GPIO or the controller's frame signal).
#ifndef CAIRN_HIL_SPI_H
#define CAIRN_HIL_SPI_H

#include <stdint.h>

struct spi_master;

struct spi_client {
    void (*write_done)(struct spi_client *c, int status);
};

struct spi_master_ops {
    // OK (write_done follows), BUSY (one in flight), INVAL (len 0).
    int (*write)(struct spi_master *m, const uint8_t *buf, uint32_t len);
    void (*set_client)(struct spi_master *m, struct spi_client *c);
};

struct spi_master {
    const struct spi_master_ops *ops;
};

#endif

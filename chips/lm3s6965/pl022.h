// SPDX-License-Identifier: Apache-2.0
// ARM PL022 synchronous serial port (Stellaris SSI0) as an SPI master, transmit only.
//
// Interrupt-driven on "transmit FIFO half empty": each bottom half drains the receive
// FIFO (QEMU's model stalls the transmitter while it is full) and refills the transmit
// FIFO. Once the last byte is queued it waits for the shifter to go idle (at most a FIFO's
// worth of bytes, a few microseconds) so that write_done means "on the wire": a device
// with a data/command line may then switch it.
#ifndef CAIRN_PL022_H
#define CAIRN_PL022_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/spi.h>

#include "lm3s_regs.h"

struct pl022 {
    struct spi_master hil;
    struct ssi_regs *regs;
    struct spi_client *client;
    const uint8_t *buf;
    uint32_t len, sent;
};

// Mode 3 (SPO = SPH = 1, what the SSD0323 samples on), 8-bit frames, bit rate
// hz / (2 * prescale) with prescale even. post: enabled, its line unmasked.
void pl022_init(struct pl022 *s, struct ssi_regs *regs, uint8_t irq, uint32_t prescale);
void pl022_service(struct pl022 *s);

#endif

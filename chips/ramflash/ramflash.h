// SPDX-License-Identifier: Apache-2.0
// NOR flash emulated over memory that is really RAM (QEMU's mps2 PSRAM or a host buffer).
//
// Gives exactly the flash HIL's semantics (cairn/hil/flash.h): erase sets a page to 0xFF,
// a write ANDs the new bytes into the old, completion through a deferred call. Used where
// the "flash" a board has is RAM-like (QEMU models no flash controller on mps2), so that
// the code above it is written for, and tested against, real NOR rules.
#ifndef CAIRN_RAMFLASH_H
#define CAIRN_RAMFLASH_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/deferred.h>
#include <cairn/hil/flash.h>

struct ramflash {
    struct flash hil;
    uint8_t *mem;
    struct flash_client *client;
    struct deferred_call dc;
    bool busy;
    // Operations completed since init (for cost measurements).
    uint32_t writes, erases;
};

// mem is the region's bytes (base = its bus address); size a multiple of page_size.
void ramflash_init(struct ramflash *r, uint8_t *mem, uint32_t base, uint32_t size,
                   uint32_t page_size);

#endif

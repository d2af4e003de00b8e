// SPDX-License-Identifier: Apache-2.0
// Flash HIL: split-phase page erase and bit-clearing writes of a memory-mapped NOR region.
//
// The model is NOR flash, which every user of this HIL (the app store, a key-value store)
// must respect, and which every driver must give, emulating it where the part is RAM:
// - The region [info.base, info.base + info.size) is memory mapped: reads are plain loads
//   through info.map (the same bytes; a pointer so that capsules need no address casts).
// - Erase works on whole pages of info.page_size bytes (a power of two, the region is a
//   whole number of pages, aligned to one) and sets every byte of the page to 0xFF.
// - A write can only clear bits: the byte afterwards is old & new. Writing 0xFF changes
//   nothing, writing a 1 over a 0 leaves the 0. Address and length are multiples of
//   info.write_align (a power of two, at most 8).
// - Power may fail during any operation. A user that must survive that assumes what this
//   HIL promises and nothing more: the operations done before the cut are complete; the
//   interrupted one took effect on an address-ordered prefix of its aligned words (a
//   write: some leading words programmed, the rest untouched; an erase: some leading
//   words erased), and each word is all-old or all-new. Which prefix is unknown.
// - Split-phase, as the UART HIL: write and erase_page start the operation and return OK
//   or an error at once; completion comes later through the client, never from inside
//   the call. One operation at a time (BUSY otherwise). The buffer of a write is lent to
//   the driver until write_done.
// - Erasing or writing a page while a process executes from it is the user's business:
//   a driver neither knows nor checks who uses the region.
#ifndef CAIRN_HIL_FLASH_H
#define CAIRN_HIL_FLASH_H

#include <stdint.h>

struct flash;

struct flash_info {
    const uint8_t *map; // the region's bytes, readable at any time
    uint32_t base;      // bus address of map[0] (what TBF fixed addresses refer to)
    uint32_t size;      // bytes, a multiple of page_size
    uint32_t page_size; // erase unit, a power of two
    uint32_t write_align;
};

struct flash_client {
    // The write or erase started last is complete (OK) or failed (FAIL: the bytes it
    // covered are in an unknown mix of old and new, as after a power cut).
    void (*done)(struct flash_client *c, int err);
};

struct flash_ops {
    // OK, BUSY (an operation is in progress), INVAL (outside the region or misaligned).
    int (*write)(struct flash *f, uint32_t offset, const uint8_t *buf, uint32_t len);
    // offset: of the page's first byte. OK, BUSY, INVAL.
    int (*erase_page)(struct flash *f, uint32_t offset);
    void (*set_client)(struct flash *f, struct flash_client *c);
};

struct flash {
    const struct flash_ops *ops;
    struct flash_info info;
};

static inline int flash_write(struct flash *f, uint32_t offset, const uint8_t *buf, uint32_t len)
{
    return f->ops->write(f, offset, buf, len);
}
static inline int flash_erase_page(struct flash *f, uint32_t offset)
{
    return f->ops->erase_page(f, offset);
}
static inline void flash_set_client(struct flash *f, struct flash_client *c)
{
    f->ops->set_client(f, c);
}

#endif

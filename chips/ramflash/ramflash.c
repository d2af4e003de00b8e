// SPDX-License-Identifier: Apache-2.0
// NOR flash semantics (erase to 0xFF, writes clear bits) over a RAM region.
#include <stddef.h>

#include "ramflash.h"

#include <cairn/errorcode.h>

#define RF(f) ((struct ramflash *)(f))

static void rf_done(void *ctx)
{
    struct ramflash *r = ctx;
    r->busy = false;
    if (r->client && r->client->done)
        r->client->done(r->client, OK);
}

static bool in_region(const struct ramflash *r, uint32_t off, uint32_t len)
{
    return off <= r->hil.info.size && len <= r->hil.info.size - off;
}

static int rf_write(struct flash *f, uint32_t off, const uint8_t *buf, uint32_t len)
{
    struct ramflash *r = RF(f);
    uint32_t al = r->hil.info.write_align - 1;
    if (r->busy)
        return BUSY;
    if (!in_region(r, off, len) || (off & al) || (len & al))
        return INVAL;
    // The work is done now and reported later: a RAM store cannot fail, and the client
    // still sees the split-phase contract (no callback inside the call).
    for (uint32_t i = 0; i < len; i++)
        r->mem[off + i] &= buf[i];
    r->writes++;
    r->busy = true;
    deferred_call_schedule(&r->dc);
    return OK;
}

static int rf_erase(struct flash *f, uint32_t off)
{
    struct ramflash *r = RF(f);
    uint32_t ps = r->hil.info.page_size;
    if (r->busy)
        return BUSY;
    if (!in_region(r, off, ps) || (off & (ps - 1)))
        return INVAL;
    for (uint32_t i = 0; i < ps; i++)
        r->mem[off + i] = 0xFF;
    r->erases++;
    r->busy = true;
    deferred_call_schedule(&r->dc);
    return OK;
}

static void rf_set_client(struct flash *f, struct flash_client *c)
{
    RF(f)->client = c;
}

static const struct flash_ops rf_ops = {
    .write = rf_write,
    .erase_page = rf_erase,
    .set_client = rf_set_client,
};

void ramflash_init(struct ramflash *r, uint8_t *mem, uint32_t base, uint32_t size,
                   uint32_t page_size)
{
    r->hil.ops = &rf_ops;
    r->hil.info = (struct flash_info){
        .map = mem, .base = base, .size = size, .page_size = page_size, .write_align = 4};
    r->mem = mem;
    r->client = NULL;
    r->busy = false;
    r->writes = r->erases = 0;
    deferred_call_register(&r->dc, rf_done, r);
}

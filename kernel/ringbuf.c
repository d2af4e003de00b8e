// SPDX-License-Identifier: Apache-2.0
// Byte ring buffer: fixed storage, no allocation, overflow refused rather than overwritten.
#include <cairn/ringbuf.h>
#include <cairn/kassert.h>

void ringbuf_init(struct ringbuf *r, uint8_t *storage, uint32_t size)
{
    r->buf = storage;
    r->size = size;
    r->head = 0;
    r->len = 0;
}

bool ringbuf_put(struct ringbuf *r, uint8_t c)
{
    if (r->len == r->size)
        return false;
    uint32_t at = r->head + r->len;
    if (at >= r->size)
        at -= r->size;
    r->buf[at] = c;
    r->len++;
    return true;
}

bool ringbuf_get(struct ringbuf *r, uint8_t *c)
{
    if (r->len == 0)
        return false;
    *c = r->buf[r->head];
    ringbuf_consume(r, 1);
    return true;
}

uint32_t ringbuf_len(const struct ringbuf *r)
{
    return r->len;
}

uint32_t ringbuf_space(const struct ringbuf *r)
{
    return r->size - r->len;
}

const uint8_t *ringbuf_peek_run(const struct ringbuf *r, uint32_t *run)
{
    uint32_t to_end = r->size - r->head;
    *run = r->len < to_end ? r->len : to_end;
    return r->buf + r->head;
}

void ringbuf_consume(struct ringbuf *r, uint32_t n)
{
    kassert(n <= r->len);
    r->head += n;
    if (r->head >= r->size)
        r->head -= r->size;
    r->len -= n;
    if (r->len == 0)
        r->head = 0; // keeps runs as long as possible
}

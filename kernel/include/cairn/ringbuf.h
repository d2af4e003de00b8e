// SPDX-License-Identifier: Apache-2.0
// Byte ring buffer over caller storage (debug output, UART receive staging).
#ifndef CAIRN_RINGBUF_H
#define CAIRN_RINGBUF_H

#include <stdbool.h>
#include <stdint.h>

// Invariant: head, tail < size; len = bytes stored ≤ size. One producer and one consumer
// in the same context (the kernel thread); callers mask interrupts if that changes.
struct ringbuf {
    uint8_t *buf;
    uint32_t size, head, len;
};

void ringbuf_init(struct ringbuf *r, uint8_t *storage, uint32_t size);
bool ringbuf_put(struct ringbuf *r, uint8_t c);  // false when full (nothing stored)
bool ringbuf_get(struct ringbuf *r, uint8_t *c); // false when empty
uint32_t ringbuf_len(const struct ringbuf *r);
uint32_t ringbuf_space(const struct ringbuf *r);
// Longest run of stored bytes that is contiguous in storage, starting at the oldest.
const uint8_t *ringbuf_peek_run(const struct ringbuf *r, uint32_t *run);
// Drop n bytes from the oldest end (n ≤ len).
void ringbuf_consume(struct ringbuf *r, uint32_t n);

#endif

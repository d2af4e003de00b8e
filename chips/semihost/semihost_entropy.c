// SPDX-License-Identifier: Apache-2.0
// The host's /dev/urandom as an entropy source, through Arm semihosting (bkpt 0xab).
#include "semihost_entropy.h"

#include <cairn/errorcode.h>

// Arm semihosting operations (Arm "Semihosting for AArch32 and AArch64", 2.0).
#define SYS_OPEN 0x01u
#define SYS_READ 0x06u
#define OPEN_RB  1u // fopen mode "rb"

static int semihost(uint32_t op, const uint32_t *block)
{
    register uint32_t r0 __asm__("r0") = op;
    register const uint32_t *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int)r0;
}

static int urandom_read(struct entropy_source *src, uint8_t *buf, uint32_t len)
{
    struct semihost_entropy *s = (struct semihost_entropy *)src;
    static const char path[] = "/dev/urandom";
    if (s->handle < 0) {
        uint32_t open_args[3] = {(uint32_t)(uintptr_t)path, OPEN_RB, sizeof path - 1};
        s->handle = semihost(SYS_OPEN, open_args);
        if (s->handle < 0)
            return FAIL;
    }
    uint32_t read_args[3] = {(uint32_t)s->handle, (uint32_t)(uintptr_t)buf, len};
    // SYS_READ answers the number of bytes NOT read: anything but 0 is a short read.
    return semihost(SYS_READ, read_args) == 0 ? OK : FAIL;
}

static const struct entropy_source_ops ops = {.read = urandom_read};

void semihost_entropy_init(struct semihost_entropy *s)
{
    s->src.ops = &ops;
    s->src.what = "the emulator host's /dev/urandom through semihosting";
    s->handle = -1;
}

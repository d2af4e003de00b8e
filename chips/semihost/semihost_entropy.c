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

// QEMU reads and writes the argument block and the buffer of a semihosting call through a
// debug access, which it checks one 1 kB page at a time: on a page that holds an MPU
// region denying access (the kernel stack's guard shares its page with the bottom of the
// kernel stack) the call fails. So the block and the bytes go through static memory,
// never the caller's stack.
static uint32_t sh_args[3];
static uint8_t sh_bounce[32];

static int urandom_read(struct entropy_source *src, uint8_t *buf, uint32_t len)
{
    struct semihost_entropy *s = (struct semihost_entropy *)src;
    static const char path[] = "/dev/urandom";
    if (s->handle < 0) {
        sh_args[0] = (uint32_t)(uintptr_t)path;
        sh_args[1] = OPEN_RB;
        sh_args[2] = sizeof path - 1;
        s->handle = semihost(SYS_OPEN, sh_args);
        if (s->handle < 0)
            return FAIL;
    }
    while (len) {
        uint32_t n = len < sizeof sh_bounce ? len : sizeof sh_bounce;
        sh_args[0] = (uint32_t)s->handle;
        sh_args[1] = (uint32_t)(uintptr_t)sh_bounce;
        sh_args[2] = n;
        // SYS_READ answers the number of bytes NOT read: anything but 0 is a short read.
        if (semihost(SYS_READ, sh_args) != 0)
            return FAIL;
        for (uint32_t i = 0; i < n; i++) {
            buf[i] = sh_bounce[i];
            sh_bounce[i] = 0; // no copy of the seed left behind
        }
        buf += n;
        len -= n;
    }
    return OK;
}

static const struct entropy_source_ops ops = {.read = urandom_read};

void semihost_entropy_init(struct semihost_entropy *s)
{
    s->src.ops = &ops;
    s->src.what = "the emulator host's /dev/urandom through semihosting";
    s->handle = -1;
}

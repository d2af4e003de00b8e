// SPDX-License-Identifier: Apache-2.0
// ARMv8-M PMSAv8 region arithmetic for process flash and RAM (pure, host-testable).
//
// Every value computed here is checked on the host against an independent decoder of the
// architecture (tests/host/test_pmsav8.c). Sums that could pass 4 GB are 64-bit.

#include "pmsav8.h"

#define GRANULE_MASK ((uint32_t)(PMSAV8_GRANULE - 1u))

static uint64_t round_up64(uint64_t x)
{
    return (x + GRANULE_MASK) & ~(uint64_t)GRANULE_MASK;
}

static bool aligned(uint32_t x)
{
    return (x & GRANULE_MASK) == 0;
}

// One enabled region on [base, end), end > base, both multiples of 32, end <= 2^32.
static struct pmsav8_region region(uint32_t base, uint64_t end, uint32_t ap, bool xn, uint32_t attr)
{
    struct pmsav8_region r;
    r.rbar =
        (base & PMSAV8_RBAR_BASE_MASK) | (ap << PMSAV8_RBAR_AP_SHIFT) | (xn ? PMSAV8_RBAR_XN : 0u);
    // LIMIT holds the base of the last granule: the region ends at LIMIT | 0x1F.
    r.rlar = ((uint32_t)(end - PMSAV8_GRANULE) & PMSAV8_RLAR_LIMIT_MASK) |
             ((attr << PMSAV8_RLAR_ATTR_SHIFT) & PMSAV8_RLAR_ATTR_MASK) | PMSAV8_RLAR_EN;
    return r;
}

// A disabled region; rbar keeps the base for diagnostics only.
static struct pmsav8_region disabled(uint32_t base)
{
    struct pmsav8_region r = {.rbar = base & PMSAV8_RBAR_BASE_MASK, .rlar = 0};
    return r;
}

bool pmsav8_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want_app,
                      uint32_t kernel_part, uint32_t *start, uint32_t *len)
{
    uint64_t block = round_up64(round_up64(want_app) + kernel_part);
    if (block == 0 || block > pool_end)
        return false;
    uint32_t s = (uint32_t)(pool_end - block) & ~GRANULE_MASK;
    if (s < pool_start)
        return false;
    *start = s;
    *len = (uint32_t)block;
    return true;
}

static bool ram_block_ok(uint32_t ram, uint32_t len)
{
    return len != 0 && aligned(ram) && aligned(len) && (uint64_t)ram + len <= UINT32_MAX;
}

uint32_t pmsav8_ram_reach(uint32_t ram, uint32_t len, uint32_t brk)
{
    if (brk <= ram)
        return ram;
    if (brk - ram >= len)
        return ram + len;
    // ram is a multiple of 32, so rounding the offset rounds the address; brk - ram < len
    // and ram + len fits 32 bits, so the sum cannot wrap.
    return ram + (uint32_t)round_up64(brk - ram);
}

bool pmsav8_plan_ram(struct pmsav8_config *c, uint32_t ram, uint32_t len, uint32_t brk,
                     uint32_t kbrk)
{
    if (!ram_block_ok(ram, len) || brk < ram || brk - ram > len)
        return false;
    // The whole check that keeps the kernel part private. Also refuses kbrk < ram.
    uint32_t reach = pmsav8_ram_reach(ram, len, brk);
    if (reach > kbrk)
        return false;
    if (reach == ram)
        c->ram = disabled(ram);
    else
        c->ram = region(ram, reach, PMSAV8_AP_RW, true, PMSAV8_ATTR_RAM);
    return true;
}

bool pmsav8_plan_flash(struct pmsav8_config *c, uint32_t flash, uint32_t len, uint32_t code_start,
                       uint32_t code_end)
{
    uint64_t end = (uint64_t)flash + len;
    if (len == 0 || !aligned(flash) || !aligned(len) || !aligned(code_start) ||
        !aligned(code_end) || flash < code_start || end > code_end)
        return false;
    c->flash = region(flash, end, PMSAV8_AP_RO, false, PMSAV8_ATTR_FLASH);
    // The kernel's own code lies in the code flash: both neighbours stay executable for it
    // (as the whole code flash is under PMSAv7), never writable.
    c->code_lo = flash > code_start
                     ? region(code_start, flash, PMSAV8_AP_PRIV_RO, false, PMSAV8_ATTR_FLASH)
                     : disabled(code_start);
    c->code_hi = end < code_end
                     ? region((uint32_t)end, code_end, PMSAV8_AP_PRIV_RO, false, PMSAV8_ATTR_FLASH)
                     : disabled((uint32_t)end);
    return true;
}

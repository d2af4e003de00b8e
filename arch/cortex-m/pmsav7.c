// SPDX-License-Identifier: Apache-2.0
// ARMv7-M PMSAv7 region arithmetic for process flash and RAM (pure, host-testable).
//
// Every value computed here is checked on the host against an independent decoder of the
// architecture (tests/host/test_pmsav7.c). Sizes are handled as log2 so that the only
// divisions are shifts (no libgcc helpers on the target) and 64-bit sums guard every
// "start + length" against wrapping past 4 GB.

#include "pmsav7.h"

#define SUBREGION_LOG2  3u  // 8 subregions per region
#define RAM_HALVES_LOG2 1u  // two regions per RAM block
#define GRANULE_LOG2    4u  // 16 subregions per RAM block
#define MIN_SRD_LOG2    8u  // PMSAV7_MIN_SRD_REGION
#define MIN_BLOCK_LOG2  9u  // PMSAV7_RAM_MIN_BLOCK
#define MAX_BLOCK_LOG2  31u // PMSAV7_MAX_RAM_BLOCK
#define ALL_SUBREGIONS  0xFFu
#define ADDR_SPACE_END  ((uint64_t)1 << 32)

static bool is_pow2(uint32_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

// pre: x is a power of two.
static uint32_t log2_pow2(uint32_t x)
{
    return (uint32_t)__builtin_ctz(x);
}

// Mask of the low `log2` bits; log2 may be 32 (a 4 GB region).
static uint32_t low_mask(uint32_t log2)
{
    return log2 >= 32u ? UINT32_MAX : (1u << log2) - 1u;
}

// RASR SIZE field for a region of 2^log2 bytes. pre: MIN_REGION_LOG2 <= log2 <= 32.
static uint32_t rasr_size(uint32_t log2)
{
    return ((log2 - 1u) << PMSAV7_RASR_SIZE_SHIFT) & PMSAV7_RASR_SIZE_MASK;
}

// RASR SRD field leaving subregions [first, last) enabled. pre: first <= last <= 8.
static uint32_t rasr_srd(uint32_t first, uint32_t last)
{
    uint32_t enabled = (ALL_SUBREGIONS << first) & ~(ALL_SUBREGIONS << last) & ALL_SUBREGIONS;
    return ((~enabled & ALL_SUBREGIONS) << PMSAV7_RASR_SRD_SHIFT) & PMSAV7_RASR_SRD_MASK;
}

// The blocks pmsav7_place_ram hands out: a power of two in [512 B, 2 GB], start aligned to
// half of it, ending at or below the last byte of the address space (so ram + len and every
// reach value fit a uint32_t).
static bool ram_block_ok(uint32_t ram, uint32_t len)
{
    if (!is_pow2(len) || len < PMSAV7_RAM_MIN_BLOCK || len > PMSAV7_MAX_RAM_BLOCK)
        return false;
    if ((ram & ((len >> RAM_HALVES_LOG2) - 1u)) != 0)
        return false;
    return len <= ~ram; // ram + len <= UINT32_MAX, in 32 bits
}

// Subregions (granules) needed to cover [ram, brk). pre: ram_block_ok, ram <= brk <= ram + len.
// The result is <= 16 because brk - ram <= len.
static uint32_t ram_granules(uint32_t ram, uint32_t len, uint32_t brk)
{
    uint32_t g_log2 = log2_pow2(len) - GRANULE_LOG2;
    uint32_t used = brk - ram;
    // used <= 2^31 and granule - 1 < 2^27: the sum cannot wrap.
    return (used + low_mask(g_log2)) >> g_log2;
}

// One RAM half: `enabled` of its 8 subregions, lowest first. Disabled outright when none
// is enabled, so a process with brk == ram has no RAM region at all.
static struct pmsav7_region ram_half(uint32_t base, uint32_t half_log2, uint32_t enabled)
{
    struct pmsav7_region r = {.rbar = base & PMSAV7_RBAR_ADDR_MASK, .rasr = 0};
    if (enabled == 0)
        return r;
    r.rasr = PMSAV7_RASR_XN | (PMSAV7_AP_FULL << PMSAV7_RASR_AP_SHIFT) | PMSAV7_ATTR_RAM |
             rasr_srd(0, enabled) | rasr_size(half_log2) | PMSAV7_RASR_ENABLE;
    return r;
}

bool pmsav7_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want_app,
                      uint32_t kernel_part, uint32_t *start, uint32_t *len)
{
    for (uint32_t b_log2 = MIN_BLOCK_LOG2; b_log2 <= MAX_BLOCK_LOG2; b_log2++) {
        // The block is at most 2^31 and fits 32 bits; the request rounded up to whole
        // granules may not (want_app up to 2^32 - 1), so it is rounded in 64 bits, with
        // a mask rather than shifts (one AND per word on a 32-bit core).
        uint32_t block = 1u << b_log2;
        uint64_t g_mask = low_mask(b_log2 - GRANULE_LOG2);
        uint64_t need = ((uint64_t)want_app + g_mask) & ~g_mask;
        if (need + kernel_part > block)
            continue;
        // Smallest block found. A larger one would have to start lower still, so if this
        // one does not fit, none does.
        if (pool_end < block)
            return false;
        uint32_t s = (pool_end - block) & ~low_mask(b_log2 - RAM_HALVES_LOG2);
        if (s < pool_start)
            return false;
        *start = s;
        *len = block;
        return true;
    }
    return false;
}

uint32_t pmsav7_ram_reach(uint32_t ram, uint32_t len, uint32_t brk)
{
    if (brk <= ram)
        return ram;
    if (brk - ram >= len)
        return ram + len;
    uint32_t g_log2 = log2_pow2(len) - GRANULE_LOG2;
    return ram + (ram_granules(ram, len, brk) << g_log2);
}

bool pmsav7_plan_ram(struct pmsav7_config *c, uint32_t ram, uint32_t len, uint32_t brk,
                     uint32_t kbrk)
{
    if (!ram_block_ok(ram, len) || brk < ram || brk - ram > len)
        return false;
    // The whole check that keeps the kernel part private: the last enabled granule ends at
    // or below kbrk. Also refuses kbrk < ram, which no valid process has.
    if (pmsav7_ram_reach(ram, len, brk) > kbrk)
        return false;

    uint32_t n = ram_granules(ram, len, brk);
    uint32_t half_log2 = log2_pow2(len) - RAM_HALVES_LOG2;
    uint32_t low = n < PMSAV7_SUBREGIONS ? n : PMSAV7_SUBREGIONS;
    c->ram0 = ram_half(ram, half_log2, low);
    c->ram1 = ram_half(ram + (len >> RAM_HALVES_LOG2), half_log2, n - low);
    return true;
}

bool pmsav7_plan_flash(struct pmsav7_config *c, uint32_t flash, uint32_t len)
{
    // flash + len <= 2^32, in 32 bits: len - 1 <= UINT32_MAX - flash.
    if (len == 0 || len - 1u > ~flash)
        return false;

    uint32_t region_log2;
    uint32_t base;
    uint32_t srd;
    if (is_pow2(len) && len >= PMSAV7_MIN_REGION_SIZE && (flash & (len - 1u)) == 0) {
        // Shape 1: the range is itself a region; also the only shape below 256 B.
        region_log2 = log2_pow2(len);
        base = flash;
        srd = rasr_srd(0, PMSAV7_SUBREGIONS);
    } else {
        // Shape 2: subregions of the largest power of two dividing both ends. A smaller
        // subregion gives a smaller region whose aligned blocks nest inside this one's, so
        // it can never fit where this one does not; the cap keeps the region <= 4 GB
        // (a subregion of 2^29 with 2^30 | flash, len still fits a 4 GB region).
        uint32_t sub_log2 = (uint32_t)__builtin_ctz(flash | len);
        if (sub_log2 > PMSAV7_MAX_REGION_LOG2 - SUBREGION_LOG2)
            sub_log2 = PMSAV7_MAX_REGION_LOG2 - SUBREGION_LOG2;
        region_log2 = sub_log2 + SUBREGION_LOG2;
        if (region_log2 < MIN_SRD_LOG2)
            return false;
        base = flash & ~low_mask(region_log2);
        // Both flash - base and len are multiples of the subregion (sub_log2 divides
        // both, capped or not), so the subregion numbers add up exactly, in 32 bits.
        uint32_t first = (flash - base) >> sub_log2;
        uint32_t last = first + (len >> sub_log2);
        if (last > PMSAV7_SUBREGIONS)
            return false; // crosses a region boundary
        srd = rasr_srd(first, last);
    }
    c->flash.rbar = base & PMSAV7_RBAR_ADDR_MASK;
    // Unprivileged read-only; privileged writes allowed: on boards whose app flash is RAM
    // (QEMU's mps2, chips/ramflash) the kernel's app store writes the checksum word of a
    // process's own TBF (retiring it) while that process's regions may still be loaded.
    c->flash.rasr = (PMSAV7_AP_PRW_URO << PMSAV7_RASR_AP_SHIFT) | PMSAV7_ATTR_FLASH | srd |
                    rasr_size(region_log2) | PMSAV7_RASR_ENABLE;
    return true;
}

bool pmsav7_plan_shared(struct pmsav7_region *r, uint32_t addr, uint32_t len)
{
    if (!is_pow2(len) || len < PMSAV7_MIN_REGION_SIZE || (addr & (len - 1u)) != 0 ||
        (uint64_t)addr + len > ADDR_SPACE_END)
        return false;
    r->rbar = addr & PMSAV7_RBAR_ADDR_MASK;
    r->rasr = PMSAV7_RASR_XN | (PMSAV7_AP_FULL << PMSAV7_RASR_AP_SHIFT) | PMSAV7_ATTR_RAM |
              rasr_size(log2_pow2(len)) | PMSAV7_RASR_ENABLE;
    return true;
}

// SPDX-License-Identifier: Apache-2.0
// RISC-V PMP region arithmetic (TOR entries for process flash and RAM), host-testable.
#include "pmp.h"

static uint32_t cfg_byte(uint32_t word, unsigned entry_in_word, uint32_t byte)
{
    unsigned sh = 8u * entry_in_word;
    return (word & ~(0xFFu << sh)) | (byte << sh);
}

bool pmp_plan_flash(struct pmp_config *cfg, uint32_t flash, uint32_t len)
{
    uint64_t end = (uint64_t)flash + len;
    if (len == 0 || flash % PMP_GRANULE || len % PMP_GRANULE || end > 0x100000000ull)
        return false;
    // pmpaddr holds address bits 33:2; a region ending at 2^32 needs 0x40000000.
    cfg->addr[PMP_E_FLASH_L] = flash >> 2;
    cfg->addr[PMP_E_FLASH_H] = (uint32_t)(end >> 2);
    cfg->cfg0 = cfg_byte(cfg->cfg0, PMP_E_FLASH_L, PMP_A_OFF);
    cfg->cfg0 = cfg_byte(cfg->cfg0, PMP_E_FLASH_H, PMP_A_TOR | PMP_R | PMP_X);
    return true;
}

uint32_t pmp_ram_reach(uint32_t brk)
{
    uint64_t r = ((uint64_t)brk + PMP_GRANULE - 1) / PMP_GRANULE * PMP_GRANULE;
    return r > 0xFFFFFFFFull ? 0xFFFFFFFFu : (uint32_t)r;
}

bool pmp_plan_ram(struct pmp_config *cfg, uint32_t ram, uint32_t len, uint32_t brk, uint32_t kbrk)
{
    uint64_t end = (uint64_t)ram + len;
    if (ram % PMP_GRANULE || end > 0xFFFFFFFFull || brk < ram || kbrk > end)
        return false;
    uint64_t reach = ((uint64_t)brk + PMP_GRANULE - 1) / PMP_GRANULE * PMP_GRANULE;
    if (reach > kbrk)
        return false;
    cfg->addr[PMP_E_RAM_L] = ram >> 2;
    cfg->addr[PMP_E_RAM_H] = (uint32_t)(reach >> 2);
    cfg->cfg0 = cfg_byte(cfg->cfg0, PMP_E_RAM_L, PMP_A_OFF);
    // brk == ram: pmpaddr3 == pmpaddr4, a TOR entry that matches nothing (no RAM yet).
    cfg->cfg1 = cfg_byte(cfg->cfg1, PMP_E_RAM_H - 4u, PMP_A_TOR | PMP_R | PMP_W);
    return true;
}

bool pmp_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want, uint32_t kernel_part,
                   uint32_t *start, uint32_t *len)
{
    uint64_t need = (uint64_t)want + kernel_part;
    need = (need + PMP_RAM_ALIGN - 1) / PMP_RAM_ALIGN * PMP_RAM_ALIGN;
    if (need == 0 || pool_end < pool_start || need > (uint64_t)pool_end - pool_start)
        return false;
    uint32_t s = (uint32_t)(pool_end - need) & ~(PMP_RAM_ALIGN - 1);
    if (s < pool_start)
        return false;
    *start = s;
    *len = (uint32_t)need;
    return true;
}

uint32_t pmp_napot_addr(uint32_t base, uint32_t size)
{
    return (base >> 2) | ((size >> 3) - 1u);
}

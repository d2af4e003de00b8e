// SPDX-License-Identifier: Apache-2.0
// PMP driver: the locked kernel stack guard at boot, a process's four entries on each switch.
//
// Machine mode ignores every unlocked entry, so the kernel reaches all memory; user mode
// reaches only what entries 1..4 grant (pmp.h). Entry 0 is locked: it binds machine mode
// too, which is what makes it a guard, and it stays as it is until reset.
#include "arch.h"
#include "rv.h"

extern uint32_t __kstack_guard[];
#define KSTACK_GUARD_SIZE 32u

// pmpcfg0 byte 0: the guard. Every later write of pmpcfg0 carries it unchanged.
static uint32_t guard_cfg;
// pmpcfg1 as the last arch_mpu_load wrote it (entry 4; entries 5-7 off), so the shared
// region can be switched without reading the CSR back.
static uint32_t plan_cfg1;

void rv_pmp_init(void)
{
    CSR_WRITE(pmpcfg0, 0);
    CSR_WRITE(pmpcfg1, 0);
    CSR_WRITE(pmpcfg2, 0);
    CSR_WRITE(pmpcfg3, 0);
    CSR_WRITE(pmpaddr0, pmp_napot_addr((uint32_t)(uintptr_t)__kstack_guard, KSTACK_GUARD_SIZE));
    guard_cfg = PMP_L | PMP_A_NAPOT; // no R, W or X, for machine mode as well
    CSR_WRITE(pmpcfg0, guard_cfg);
}

bool arch_mpu_plan(struct arch_mpu_config *cfg, uint32_t flash, uint32_t flash_len, uint32_t ram,
                   uint32_t ram_len, uint32_t brk, uint32_t kbrk)
{
    struct pmp_config c = *cfg;
    if (!pmp_plan_flash(&c, flash, flash_len) || !pmp_plan_ram(&c, ram, ram_len, brk, kbrk))
        return false;
    *cfg = c;
    return true;
}

uint32_t arch_mpu_ram_reach(uint32_t ram, uint32_t ram_len, uint32_t brk)
{
    (void)ram;
    (void)ram_len;
    return pmp_ram_reach(brk);
}

bool arch_mpu_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want, uint32_t kernel_part,
                        uint32_t *start, uint32_t *len)
{
    return pmp_place_ram(pool_start, pool_end, want, kernel_part, start, len);
}

bool arch_mpu_flash_ok(uint32_t start, uint32_t len)
{
    struct pmp_config c = {0};
    return pmp_plan_flash(&c, start, len);
}

void arch_mpu_load(const struct arch_mpu_config *cfg)
{
    // Disable the process entries first so no mix of old and new addresses is ever live
    // for user mode (the kernel is in M-mode here and unaffected either way).
    CSR_WRITE(pmpcfg0, guard_cfg);
    CSR_WRITE(pmpcfg1, 0);
    CSR_WRITE(pmpaddr1, cfg->addr[1]);
    CSR_WRITE(pmpaddr2, cfg->addr[2]);
    CSR_WRITE(pmpaddr3, cfg->addr[3]);
    CSR_WRITE(pmpaddr4, cfg->addr[4]);
    CSR_WRITE(pmpcfg0, (cfg->cfg0 & ~0xFFu) | guard_cfg);
    CSR_WRITE(pmpcfg1, cfg->cfg1);
#if !defined(CAIRN_FEATURE_IPC) || CAIRN_FEATURE_IPC
    plan_cfg1 = cfg->cfg1; // read only by arch_mpu_load_shared, which only IPC calls
#endif
    // mret into the process follows; QEMU and the spec order PMP writes before it
    // (no sfence needed without paging).
}

bool arch_mpu_plan_shared(struct arch_mpu_shared *sh, uint32_t addr, uint32_t len)
{
    return pmp_plan_shared(sh, addr, len);
}

void arch_mpu_load_shared(const struct arch_mpu_shared *sh)
{
    // Entry 6 off while its addresses change, then on: user mode never sees a mix.
    unsigned sh6 = 8u * (PMP_E_SHARED_H - 4u);
    uint32_t base = plan_cfg1 & ~(0xFFu << (8u * (PMP_E_SHARED_L - 4u))) & ~(0xFFu << sh6);
    CSR_WRITE(pmpcfg1, base);
    if (!sh)
        return;
    CSR_WRITE(pmpaddr5, sh->addr_lo);
    CSR_WRITE(pmpaddr6, sh->addr_hi);
    CSR_WRITE(pmpcfg1, base | (sh->cfg << sh6));
}

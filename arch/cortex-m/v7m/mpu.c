// SPDX-License-Identifier: Apache-2.0
// PMSAv7 MPU driver (ARMv7-M): fixed kernel regions at boot, per-process regions on each switch.
//
// Region numbers (a higher number wins where regions overlap):
//   0  whole code flash: privileged read-only, unprivileged none (QEMU's "flash" is RAM,
//      so without this the kernel could write its own code and apps could be patched)
//   1  kernel stack guard: no access at all, 32 bytes at the bottom of the kernel stack
//   2  process flash (RX), 3-4 process RAM (RW, XN) from pmsav7_plan_*
//   5   the IPC shared region: another process's buffer shared with this one, RW, XN
//   6-7 free
// PRIVDEFENA keeps the default map for the kernel elsewhere; unprivileged code reaches
// only what regions 2-4 grant.
#include "arch.h"
#include "regs.h"
#include "cm.h"

// PMSAv7 MPU registers.
struct mpu_regs {
    REG32 type; // 0xE000ED90
    REG32 ctrl;
    REG32 rnr;
    REG32 rbar;
    REG32 rasr;
    // Aliases of rbar/rasr: with rbar's VALID bit, three regions in one burst of writes.
    REG32 rbar_a1, rasr_a1, rbar_a2, rasr_a2, rbar_a3, rasr_a3;
};
#define MPU                 ((struct mpu_regs *)0xE000ED90u)
#define MPU_CTRL_ENABLE     (1u << 0)
#define MPU_CTRL_HFNMIENA   (1u << 1)
#define MPU_CTRL_PRIVDEFENA (1u << 2)
#define MPU_RBAR_VALID      (1u << 4)
#define MPU_RBAR_REGION_MSK 0xFu

extern uint32_t __ram_start[], __flash_region_size_log2[];

enum {
    MPU_R_FLASH_ALL = 0,
    MPU_R_KSTACK_GUARD = 1,
    MPU_R_PROC_FLASH = 2,
    MPU_R_PROC_RAM0 = 3,
    MPU_R_PROC_RAM1 = 4,
    MPU_R_PROC_SHARED = 5
};

#define RASR_ENABLE     (1u << 0)
#define RASR_SIZE_SHIFT 1
#define RASR_AP_SHIFT   24
#define RASR_AP_NONE    (0u << RASR_AP_SHIFT)
#define RASR_AP_PRIV_RO (5u << RASR_AP_SHIFT)
#define RASR_XN         (1u << 28)
#define RASR_NORMAL_MEM (1u << 17) // TEX=0 C=1 B=0: normal, write-through

static void set_region(unsigned n, uint32_t rbar, uint32_t rasr)
{
    MPU->rbar = (rbar & ~0x1Fu) | MPU_RBAR_VALID | n;
    MPU->rasr = rasr;
}

void cm_mpu_init(void)
{
    MPU->ctrl = 0;
    for (unsigned n = 0; n < 8; n++)
        set_region(n, 0, 0);
    uint32_t flash_log2 = (uint32_t)(uintptr_t)__flash_region_size_log2;
    set_region(MPU_R_FLASH_ALL, 0,
               RASR_ENABLE | ((flash_log2 - 1) << RASR_SIZE_SHIFT) | RASR_AP_PRIV_RO |
                   RASR_NORMAL_MEM);
    // 32 bytes = SIZE field 4. Any access, even privileged, faults: a kernel stack
    // overflow stops here instead of running into other RAM.
    set_region(MPU_R_KSTACK_GUARD, (uint32_t)(uintptr_t)__ram_start,
               RASR_ENABLE | (4u << RASR_SIZE_SHIFT) | RASR_AP_NONE | RASR_XN);
    MPU->ctrl = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    __asm volatile("dsb\n isb" ::: "memory");
}

bool arch_mpu_plan(struct arch_mpu_config *cfg, uint32_t flash, uint32_t flash_len, uint32_t ram,
                   uint32_t ram_len, uint32_t brk, uint32_t kbrk)
{
    struct pmsav7_config c = *cfg;
    if (!pmsav7_plan_flash(&c, flash, flash_len) || !pmsav7_plan_ram(&c, ram, ram_len, brk, kbrk))
        return false;
    // Each rbar names its region (VALID + number), so arch_mpu_load writes the plan as it is.
    c.flash.rbar |= MPU_RBAR_VALID | MPU_R_PROC_FLASH;
    c.ram0.rbar |= MPU_RBAR_VALID | MPU_R_PROC_RAM0;
    c.ram1.rbar |= MPU_RBAR_VALID | MPU_R_PROC_RAM1;
    *cfg = c;
    return true;
}

uint32_t arch_mpu_ram_reach(uint32_t ram, uint32_t ram_len, uint32_t brk)
{
    return pmsav7_ram_reach(ram, ram_len, brk);
}

bool arch_mpu_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want, uint32_t kernel_part,
                        uint32_t *start, uint32_t *len)
{
    return pmsav7_place_ram(pool_start, pool_end, want, kernel_part, start, len);
}

bool arch_mpu_flash_ok(uint32_t start, uint32_t len)
{
    struct pmsav7_config c;
    return pmsav7_plan_flash(&c, start, len);
}

// Inlined into every switch (under LTO; arch.h's plain declaration keeps this the external
// definition): GCC otherwise stops inlining it once the kernel calls it from four places.
__attribute__((always_inline)) inline void arch_mpu_load(const struct arch_mpu_config *cfg)
{
    // The kernel calls this only when the process or its plan changed. rbar, rasr and
    // their first two aliases are consecutive and the plan is rbar/rasr pairs whose rbar
    // selects the region: six words copied in order program all three regions.
    // One six-word LDM and STM: STM writes in ascending address order, each rbar before
    // its rasr.
    _Static_assert(sizeof *cfg == 6 * sizeof(uint32_t), "three rbar/rasr pairs");
    const uint32_t *src = (const uint32_t *)cfg;
    volatile uint32_t *dst = &MPU->rbar;
    __asm volatile("ldmia %0, {r0-r3, r12, lr}\n"
                   "stmia %1, {r0-r3, r12, lr}"
                   :
                   : "r"(src), "r"(dst)
                   : "r0", "r1", "r2", "r3", "r12", "lr", "memory");
    // No barrier: the exception return into the process is context synchronizing, and
    // the kernel itself does not rely on process regions.
}

bool arch_mpu_plan_shared(struct arch_mpu_shared *sh, uint32_t addr, uint32_t len)
{
    return pmsav7_plan_shared(sh, addr, len);
}

void arch_mpu_load_shared(const struct arch_mpu_shared *sh)
{
    // The window lies in another process's block, so it overlaps none of regions 2-4;
    // region 0 (code flash) and 1 (kernel stack guard) are not process RAM either.
    if (sh)
        set_region(MPU_R_PROC_SHARED, sh->rbar, sh->rasr);
    else
        set_region(MPU_R_PROC_SHARED, 0, 0);
}

// SPDX-License-Identifier: Apache-2.0
// PMSAv8 MPU driver (ARMv8-M): fixed kernel regions at boot, per-process regions on each switch.
//
// PMSAv8 regions must not overlap (an address in two enabled regions faults, privileged
// or not), so unlike the PMSAv7 driver there is no background region under the process's
// own: the plan itself covers the code flash in up to three disjoint pieces.
// Region numbers:
//   0    kernel stack guard: privileged read-only, execute-never, the 32 bytes at the
//        bottom of the kernel stack (PMSAv8 has no "no access" encoding; an overflow is a
//        run of writes, which fault)
//   1    the IPC shared region: another process's buffer shared with the loaded one (RW,
//        XN). It lies in another process's block, so it never overlaps regions 4-7 of the
//        plan it goes with; between arch_mpu_load and arch_mpu_load_shared it may overlap
//        the new plan's RAM for a moment, which like the plan's own transient overlaps
//        never faults the kernel (it touches no process memory in between).
//   2-3  free
//   4-7  the plan of the process last loaded (pmsav8_config: flash, RAM, the code flash
//        below and above its flash), loaded with one RNR write through the RBAR/RLAR
//        aliases. Until the first process, region 6 covers the whole code flash.
// PRIVDEFENA keeps the default map for the kernel elsewhere (its RAM, peripherals);
// unprivileged code reaches only what regions 4 and 5 grant.
#include "arch.h"
#include "regs.h"
#include "cm.h"

// PMSAv8 MPU registers (the Secure MPU, as Cairn runs in Secure state).
struct mpu_v8_regs {
    REG32 type; // 0xE000ED90
    REG32 ctrl;
    REG32 rnr;
    REG32 rbar_rlar[8]; // RBAR, RLAR, then the aliases A1..A3 for regions RNR + 1..3
    uint32_t _r0;
    REG32 mair0; // 0xE000EDC0
    REG32 mair1;
};
#define MPU_V8              ((struct mpu_v8_regs *)0xE000ED90u)
#define MPU_CTRL_ENABLE     (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2)

enum { MPU_R_KSTACK_GUARD = 0, MPU_R_SHARED = 1, MPU_R_PROCESS = 4, MPU_R_COUNT_USED = 8 };

// From the board's linker script: the code flash [__code_start, __code_end) (kernel image
// and the apps region), and the bottom of the kernel stack.
extern uint32_t __code_start[], __code_end[], __ram_start[];

static uint32_t code_start(void)
{
    return (uint32_t)(uintptr_t)__code_start;
}

static uint32_t code_end(void)
{
    return (uint32_t)(uintptr_t)__code_end;
}

static void set_region(unsigned n, struct pmsav8_region r)
{
    MPU_V8->rnr = n;
    MPU_V8->rbar_rlar[0] = r.rbar;
    MPU_V8->rbar_rlar[1] = r.rlar;
}

void cm_mpu_init(void)
{
    MPU_V8->ctrl = 0;
    MPU_V8->mair0 = PMSAV8_MAIR0;
    uint32_t n = (MPU_V8->type >> 8) & 0xFFu;
    for (unsigned i = 0; i < n; i++)
        set_region(i, (struct pmsav8_region){0, 0});
    uint32_t guard = (uint32_t)(uintptr_t)__ram_start;
    set_region(MPU_R_KSTACK_GUARD,
               (struct pmsav8_region){
                   .rbar = guard | (PMSAV8_AP_PRIV_RO << PMSAV8_RBAR_AP_SHIFT) | PMSAV8_RBAR_XN,
                   .rlar = guard | (PMSAV8_ATTR_RAM << PMSAV8_RLAR_ATTR_SHIFT) | PMSAV8_RLAR_EN,
               });
    set_region(MPU_R_PROCESS + 2,
               (struct pmsav8_region){
                   .rbar = code_start() | (PMSAV8_AP_PRIV_RO << PMSAV8_RBAR_AP_SHIFT),
                   .rlar = ((code_end() - PMSAV8_GRANULE) & PMSAV8_RLAR_LIMIT_MASK) |
                           (PMSAV8_ATTR_FLASH << PMSAV8_RLAR_ATTR_SHIFT) | PMSAV8_RLAR_EN,
               });
    MPU_V8->ctrl = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    __asm volatile("dsb\n isb" ::: "memory");
}

bool arch_mpu_plan(struct arch_mpu_config *cfg, uint32_t flash, uint32_t flash_len, uint32_t ram,
                   uint32_t ram_len, uint32_t brk, uint32_t kbrk)
{
    struct pmsav8_config c = *cfg;
    if (!pmsav8_plan_flash(&c, flash, flash_len, code_start(), code_end()) ||
        !pmsav8_plan_ram(&c, ram, ram_len, brk, kbrk))
        return false;
    *cfg = c;
    return true;
}

uint32_t arch_mpu_ram_reach(uint32_t ram, uint32_t ram_len, uint32_t brk)
{
    return pmsav8_ram_reach(ram, ram_len, brk);
}

bool arch_mpu_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want, uint32_t kernel_part,
                        uint32_t *start, uint32_t *len)
{
    return pmsav8_place_ram(pool_start, pool_end, want, kernel_part, start, len);
}

bool arch_mpu_flash_ok(uint32_t start, uint32_t len)
{
    struct pmsav8_config c;
    return pmsav8_plan_flash(&c, start, len, code_start(), code_end());
}

// Inlined into every switch (under LTO; arch.h's plain declaration keeps this the external
// definition): GCC otherwise stops inlining it once the kernel calls it from four places.
__attribute__((always_inline)) inline void arch_mpu_load(const struct arch_mpu_config *cfg)
{
    // Regions 4-7 in one go: RNR selects region 4, the alias pairs address 5, 6 and 7.
    // While the eight words are written, old and new regions may overlap for a moment;
    // only process memory and code flash the kernel is not touching here can be in two
    // regions (the kernel's code stays inside a code flash region of both plans), so the
    // transient state never faults the kernel.
    // Two four-word LDM/STM pairs (a C loop of volatile stores stays a loop: 60
    // instructions per switch against 10); STM writes in ascending address order, so each
    // region's RBAR still precedes its RLAR.
    _Static_assert(sizeof *cfg == 8 * sizeof(uint32_t), "four rbar/rlar pairs");
    const uint32_t *src = (const uint32_t *)cfg;
    volatile uint32_t *dst = &MPU_V8->rbar_rlar[0];
    MPU_V8->rnr = MPU_R_PROCESS;
    __asm volatile("ldmia %0!, {r0-r3}\n"
                   "stmia %1!, {r0-r3}\n"
                   "ldmia %0, {r0-r3}\n"
                   "stmia %1, {r0-r3}"
                   : "+r"(src), "+r"(dst)
                   :
                   : "r0", "r1", "r2", "r3", "memory");
    // No barrier: the exception return into the process is context synchronizing, and
    // the kernel itself does not rely on process regions.
}

bool arch_mpu_plan_shared(struct arch_mpu_shared *sh, uint32_t addr, uint32_t len)
{
    return pmsav8_plan_shared(sh, addr, len);
}

void arch_mpu_load_shared(const struct arch_mpu_shared *sh)
{
    // Off first: a new base under the old limit would be a transient region of any size.
    MPU_V8->rnr = MPU_R_SHARED;
    MPU_V8->rbar_rlar[1] = 0;
    if (sh) {
        MPU_V8->rbar_rlar[0] = sh->rbar;
        MPU_V8->rbar_rlar[1] = sh->rlar;
    }
}

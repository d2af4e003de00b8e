// SPDX-License-Identifier: Apache-2.0
// RISC-V PMP arithmetic: register values for one process's flash and RAM (TOR regions).
//
// Pure computation (no CSR access): the RISC-V port loads the values, the host tests check
// them against an independent model of the PMP. Entry use (see doc/porting.md):
//   0      kernel stack guard: NAPOT, locked, no access (set once at boot, never here)
//   1, 2   process flash: pmpaddr1 = bottom (entry 1 OFF), entry 2 TOR R+X
//   3, 4   process RAM:   pmpaddr3 = bottom (entry 3 OFF), entry 4 TOR R+W, [ram, brk)
//   5..15  OFF: a user-mode access that matches no entry fails
// TOR granularity is 4 bytes, so the process reaches [ram, align4(brk)): the kernel part
// [kbrk, ram + len) stays out of reach as long as align4(brk) <= kbrk.
#ifndef CAIRN_ARCH_RISCV_PMP_H
#define CAIRN_ARCH_RISCV_PMP_H

#include <stdbool.h>
#include <stdint.h>

#define PMP_ENTRIES   16u
#define PMP_GRANULE   4u // TOR boundaries are pmpaddr << 2
#define PMP_RAM_ALIGN 8u // process blocks: start and length (the PCB sits at the top)
#define PMP_NAPOT_MIN 8u // smallest NAPOT region

// pmpNcfg fields (one byte per entry).
#define PMP_R       0x01u
#define PMP_W       0x02u
#define PMP_X       0x04u
#define PMP_A_OFF   0x00u
#define PMP_A_TOR   0x08u
#define PMP_A_NA4   0x10u
#define PMP_A_NAPOT 0x18u
#define PMP_L       0x80u

#define PMP_E_GUARD   0u
#define PMP_E_FLASH_L 1u
#define PMP_E_FLASH_H 2u
#define PMP_E_RAM_L   3u
#define PMP_E_RAM_H   4u

// One process's entries 1..4: pmpaddr values and the pmpcfg0/pmpcfg1 bytes of entries
// 1..4 (entry 0's byte is left zero: the port ORs in the boot-time guard byte).
struct pmp_config {
    uint32_t addr[5]; // addr[i] = pmpaddr i (addr[0] unused)
    uint32_t cfg0;    // pmpcfg0: entries 0..3, one byte each
    uint32_t cfg1;    // pmpcfg1: entries 4..7
};

// Flash [flash, flash + len) read/execute. False (cfg untouched) unless both ends are
// multiples of PMP_GRANULE, len > 0 and the end does not wrap.
bool pmp_plan_flash(struct pmp_config *cfg, uint32_t flash, uint32_t len);

// RAM [ram, reach) read/write with reach = pmp_ram_reach(brk), for a block [ram, ram + len)
// whose kernel part starts at kbrk. False (cfg untouched) unless ram is aligned, the block
// does not wrap, ram <= brk, reach <= kbrk <= ram + len.
bool pmp_plan_ram(struct pmp_config *cfg, uint32_t ram, uint32_t len, uint32_t brk, uint32_t kbrk);

// First byte past what the process reaches when its break is brk (brk rounded up to the
// TOR granule; saturates at the top of the address space instead of wrapping).
uint32_t pmp_ram_reach(uint32_t brk);

// Block for want bytes plus kernel_part, as high in [pool_start, pool_end) as alignment
// allows; both inputs untrusted up to 2^32 - 1 (64-bit sums, no wrap).
bool pmp_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want, uint32_t kernel_part,
                   uint32_t *start, uint32_t *len);

// pmpaddr value of a NAPOT region [base, base + size); size a power of two >= 8, base
// aligned to it (pre, not checked).
uint32_t pmp_napot_addr(uint32_t base, uint32_t size);

#endif

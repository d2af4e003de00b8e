// SPDX-License-Identifier: Apache-2.0
// ARMv7-M PMSAv7 region arithmetic: register values for one process's flash and RAM regions.
//
// Pure computation (no MMIO): the Cortex-M port loads the values, the host tests check them
// against an independent model of the architecture. The loader owns region numbers and the
// RBAR VALID/REGION fields; everything here leaves those bits zero.
//
// Layout of a process's RAM block (see doc/mpu.md): a power of two of at least
// PMSAV7_RAM_MIN_BLOCK bytes, start aligned to half its size, covered by two adjacent regions
// of half the block each, i.e. PMSAV7_RAM_GRANULES subregions of block/16 (the granule).
// The process reaches [ram, ram + n * granule) with n = ceil((brk - ram) / granule); the
// kernel part [kbrk, ram + len) is never inside an enabled subregion.
#ifndef CAIRN_ARCH_CORTEX_M_PMSAV7_H
#define CAIRN_ARCH_CORTEX_M_PMSAV7_H

#include <stdbool.h>
#include <stdint.h>

// ---- Architecture limits -------------------------------------------------------------

#define PMSAV7_NUM_REGIONS     8u
#define PMSAV7_MIN_REGION_SIZE 32u         // smallest region; also the RBAR address granularity
#define PMSAV7_SUBREGIONS      8u          // per region, equal size
#define PMSAV7_MIN_SRD_REGION  256u        // regions smaller than this must have SRD == 0
#define PMSAV7_MAX_REGION_LOG2 32u         // SIZE field 31 encodes a 4 GB region
#define PMSAV7_RAM_MIN_BLOCK   512u        // two 256 B halves: the smallest block with subregions
#define PMSAV7_RAM_GRANULES    16u         // subregions across the two RAM regions
#define PMSAV7_MAX_RAM_BLOCK   0x80000000u // largest block whose length fits a uint32_t

// ---- RBAR ------------------------------------------------------------------------------

#define PMSAV7_RBAR_ADDR_MASK   0xFFFFFFE0u // bits 31:5, base address
#define PMSAV7_RBAR_VALID       (1u << 4)   // set by the loader, never here
#define PMSAV7_RBAR_REGION_MASK 0xFu        // set by the loader, never here

// ---- RASR ------------------------------------------------------------------------------

#define PMSAV7_RASR_ENABLE     (1u << 0)
#define PMSAV7_RASR_SIZE_SHIFT 1u // region size = 2^(SIZE + 1)
#define PMSAV7_RASR_SIZE_MASK  (0x1Fu << PMSAV7_RASR_SIZE_SHIFT)
#define PMSAV7_RASR_SRD_SHIFT  8u // bit i set: subregion i disabled
#define PMSAV7_RASR_SRD_MASK   (0xFFu << PMSAV7_RASR_SRD_SHIFT)
#define PMSAV7_RASR_B          (1u << 16)
#define PMSAV7_RASR_C          (1u << 17)
#define PMSAV7_RASR_S          (1u << 18)
#define PMSAV7_RASR_TEX_SHIFT  19u
#define PMSAV7_RASR_TEX_MASK   (0x7u << PMSAV7_RASR_TEX_SHIFT)
#define PMSAV7_RASR_AP_SHIFT   24u
#define PMSAV7_RASR_AP_MASK    (0x7u << PMSAV7_RASR_AP_SHIFT)
#define PMSAV7_RASR_XN         (1u << 28)

// AP field values (privileged / unprivileged access).
#define PMSAV7_AP_NONE    0x0u // no access for anyone
#define PMSAV7_AP_PRW_URO 0x2u // privileged RW, unprivileged RO
#define PMSAV7_AP_FULL    0x3u // RW for both
#define PMSAV7_AP_PRO     0x5u // privileged RO, unprivileged none
#define PMSAV7_AP_RO      0x6u // RO for both

// TEX field values used for the memory types below.
#define PMSAV7_TEX_NORMAL_WT   0x0u // with C=1 B=0: normal, write-through, no write-allocate
#define PMSAV7_TEX_NORMAL_WBWA 0x1u // with C=1 B=1: normal, write-back, write+read allocate

// Memory attributes. They match the ARMv7-M default memory map for the same addresses
// (Code region: normal WT; SRAM region: normal WBWA), because the kernel reaches the bytes
// of a process's block that lie in disabled subregions through that default map
// (PRIVDEFENA), and on cached cores (M7) one location must not be mapped with two different
// cacheabilities. Not shareable: single core, no DMA coherency promised through the MPU.
#define PMSAV7_ATTR_RAM                                                                            \
    ((PMSAV7_TEX_NORMAL_WBWA << PMSAV7_RASR_TEX_SHIFT) | PMSAV7_RASR_C | PMSAV7_RASR_B)
#define PMSAV7_ATTR_FLASH ((PMSAV7_TEX_NORMAL_WT << PMSAV7_RASR_TEX_SHIFT) | PMSAV7_RASR_C)

// ---- Process regions -----------------------------------------------------------------

// One region's register pair, VALID/REGION bits of rbar clear. rasr == 0: region disabled.
struct pmsav7_region {
    uint32_t rbar;
    uint32_t rasr;
};

// The three per-process regions. ram0 covers the low half of the RAM block, ram1 the high
// half; they never overlap each other or flash, so the loader may give them any numbers.
struct pmsav7_config {
    struct pmsav7_region flash, ram0, ram1;
};

// Pick the RAM block of one process from the pool [pool_start, pool_end): a power of two
// >= PMSAV7_RAM_MIN_BLOCK, start aligned to half the block, such that with kernel_part bytes
// at its top (never reachable by the process) want_app bytes are still reachable:
// ceil(want_app / granule) * granule <= block - kernel_part, granule = block / 16.
// Chooses the smallest such block, at the highest aligned start that still ends <= pool_end
// (the loader fills the pool from the top, largest blocks first, so alignment gaps stay at
// the bottom where only small blocks can use them).
// post: false (outputs untouched) if it would start below pool_start; no larger block
//       would fit then either (it must start at or below this one's start).
bool pmsav7_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want_app,
                      uint32_t kernel_part, uint32_t *start, uint32_t *len);

// Fill c->ram0/c->ram1 so that the process has RW (unprivileged full access, XN) on exactly
// the subregions covering [ram, brk). c->flash is not touched.
// pre: ram/len from pmsav7_place_ram.
// post: false (c unchanged) if ram/len is not such a block, brk < ram, brk > ram + len, or
//       the enabled span would end above kbrk (the lowest kernel-owned byte), i.e.
//       pmsav7_ram_reach(ram, len, brk) > kbrk. brk == ram: both RAM regions disabled.
//       A half with no enabled subregion is disabled (rasr 0); rbar always holds its base.
bool pmsav7_plan_ram(struct pmsav7_config *c, uint32_t ram, uint32_t len, uint32_t brk,
                     uint32_t kbrk);

// First byte the process cannot reach with break brk: ram + enabled subregions * granule.
// The kernel may lower kbrk for a grant only while kbrk stays >= this value.
// pre: ram/len accepted by pmsav7_plan_ram. brk outside [ram, ram + len] is clamped to it.
uint32_t pmsav7_ram_reach(uint32_t ram, uint32_t len, uint32_t brk);

// Fill c->flash with one region giving unprivileged read+execute (AP RO both, XN clear) on
// exactly [flash, flash + len): either a power-of-two region aligned to its size, or a
// region of 8 subregions whose subregion is the largest power of two dividing both flash
// and len (capped so the region is at most 4 GB), region >= 256 B, SRD masking the
// subregions outside the range. Those two shapes find every range one region can express.
// post: false (c unchanged) if no single region expresses the range exactly (or len == 0).
bool pmsav7_plan_flash(struct pmsav7_config *c, uint32_t flash, uint32_t len);

// Fill *r with one region giving unprivileged read/write, execute-never, on exactly
// [addr, addr + len): the IPC shared region (kernel/arch.h). Only the plain shape: len a
// power of two >= PMSAV7_MIN_REGION_SIZE and addr a multiple of len, as Tock asks of an
// IPC buffer on ARMv7-M. Memory attributes as the process RAM regions (the buffer lies in
// another process's RAM block).
// post: false (*r unchanged) for any other range, len == 0, or a range past 4 GB.
bool pmsav7_plan_shared(struct pmsav7_region *r, uint32_t addr, uint32_t len);

#endif

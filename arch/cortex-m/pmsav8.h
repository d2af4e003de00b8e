// SPDX-License-Identifier: Apache-2.0
// ARMv8-M PMSAv8 region arithmetic: register values for one process's flash and RAM regions.
//
// Pure computation (no MMIO), like pmsav7.h: the v8m variant of the Cortex-M port loads the
// values, tests/host/test_pmsav8.c checks them against an independent model of the MPU.
// The loader owns region numbers (RNR); everything here is one RBAR/RLAR pair per region.
//
// PMSAv8 regions are [base, limit] with base and limit + 1 multiples of 32 B (the granule):
// no power-of-two sizes, no alignment to the size, no subregions. Two rules shape the plan:
//  - An address inside two enabled regions faults, for privileged code too, so the regions
//    of one plan never overlap (PMSAv7 let the higher number win; PMSAv8 does not).
//  - There is no "no access" AP encoding: privileged code always has at least read access
//    to what a region covers. Process regions grant the kernel no more than it needs.
//
// A process's RAM block is its request rounded up to 32 B plus the kernel part, rounded up
// to 32 B; one region covers [ram, round32(brk)), so the break is exact to 32 B. Its flash
// [flash, flash + len) is one read/execute region, and the rest of the code flash
// [code_start, code_end) is covered by up to two privileged read-only regions around it, so
// the kernel can never write code flash, its own or any app's, while a process runs or not.
#ifndef CAIRN_ARCH_CORTEX_M_PMSAV8_H
#define CAIRN_ARCH_CORTEX_M_PMSAV8_H

#include <stdbool.h>
#include <stdint.h>

// ---- Architecture limits -------------------------------------------------------------

#define PMSAV8_GRANULE 32u // region base and size granularity

// ---- RBAR: base, shareability, access permissions, execute-never ----------------------

#define PMSAV8_RBAR_BASE_MASK 0xFFFFFFE0u // bits 31:5
#define PMSAV8_RBAR_SH_SHIFT  3u          // bits 4:3; 0 = non-shareable
#define PMSAV8_RBAR_AP_SHIFT  1u          // bits 2:1
#define PMSAV8_RBAR_AP_MASK   (0x3u << PMSAV8_RBAR_AP_SHIFT)
#define PMSAV8_RBAR_XN        (1u << 0)

// AP field values. Bit 1 of AP: read-only; bit 0: unprivileged access too.
#define PMSAV8_AP_PRIV_RW 0x0u // privileged RW, unprivileged none
#define PMSAV8_AP_RW      0x1u // RW for both
#define PMSAV8_AP_PRIV_RO 0x2u // privileged RO, unprivileged none
#define PMSAV8_AP_RO      0x3u // RO for both

// ---- RLAR: limit, attribute index, enable ------------------------------------------------

#define PMSAV8_RLAR_LIMIT_MASK 0xFFFFFFE0u // bits 31:5; the region ends at LIMIT | 0x1F
#define PMSAV8_RLAR_ATTR_SHIFT 1u          // bits 3:1: index into MAIR0/MAIR1
#define PMSAV8_RLAR_ATTR_MASK  (0x7u << PMSAV8_RLAR_ATTR_SHIFT)
#define PMSAV8_RLAR_EN         (1u << 0)

// Memory attributes: MAIR0 attribute 0 for RAM, attribute 1 for flash. They match the
// ARMv8-M default memory map for the same addresses (SRAM area: Normal write-back,
// read/write-allocate; Code area: Normal write-through, read-allocate), because the kernel
// reaches kernel memory outside any region through that default map (PRIVDEFENA) and one
// location must not be seen with two cacheabilities on a cached core. Each byte is
// outer (7:4) then inner (3:0): 0xF = write-back non-transient, read+write allocate;
// 0xA = write-through non-transient, read allocate.
#define PMSAV8_ATTR_RAM   0u
#define PMSAV8_ATTR_FLASH 1u
#define PMSAV8_MAIR0      ((0xFFu << (8u * PMSAV8_ATTR_RAM)) | (0xAAu << (8u * PMSAV8_ATTR_FLASH)))

// ---- Process regions -----------------------------------------------------------------

// One region's register pair. rlar without PMSAV8_RLAR_EN: region disabled.
struct pmsav8_region {
    uint32_t rbar;
    uint32_t rlar;
};

// The four per-process regions, in the order the driver loads them into four consecutive
// region numbers. None overlaps another (nor, by the board's layout, any fixed region).
struct pmsav8_config {
    struct pmsav8_region flash;   // process flash: read/execute for the process
    struct pmsav8_region ram;     // process RAM [ram, round32(brk)): read/write, never execute
    struct pmsav8_region code_lo; // code flash below the process's: privileged read-only
    struct pmsav8_region code_hi; // code flash above the process's: privileged read-only
};

// Size and place one process's RAM block in the pool [pool_start, pool_end):
// len = round32(round32(want_app) + kernel_part), at the highest 32-byte aligned start
// that still ends <= pool_end. want_app and kernel_part are untrusted (up to 2^32 - 1):
// the sums are 64-bit, so nothing wraps into a small block.
// post: false (outputs untouched) if it does not fit, or len would be 0 or not fit 32 bits.
bool pmsav8_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want_app,
                      uint32_t kernel_part, uint32_t *start, uint32_t *len);

// Fill c->ram so that the process has RW (unprivileged too, XN) on exactly
// [ram, round32(brk)). c->flash, c->code_lo and c->code_hi are not touched.
// pre: ram/len from pmsav8_place_ram.
// post: false (c unchanged) if ram or len is not a multiple of 32, len is 0, the block
//       wraps the address space, brk < ram, brk > ram + len, or round32(brk) > kbrk (the
//       lowest kernel-owned byte). brk == ram: the RAM region is disabled.
bool pmsav8_plan_ram(struct pmsav8_config *c, uint32_t ram, uint32_t len, uint32_t brk,
                     uint32_t kbrk);

// First byte the process cannot reach with break brk: round32(brk), clamped to the block
// (brk <= ram gives ram, brk >= ram + len gives ram + len).
// pre: ram/len accepted by pmsav8_plan_ram.
uint32_t pmsav8_ram_reach(uint32_t ram, uint32_t len, uint32_t brk);

// Fill c->flash with unprivileged read+execute (AP RO, XN clear) on exactly
// [flash, flash + len), and c->code_lo / c->code_hi with privileged read-only, executable
// regions on [code_start, flash) and [flash + len, code_end) (disabled when empty), so
// that all of the code flash is covered once and never writable. c->ram is not touched.
// post: false (c unchanged) unless flash, len, code_start and code_end are multiples of
//       32, len > 0, and code_start <= flash < flash + len <= code_end (an exclusive end
//       that fits 32 bits, so the last 32 bytes of the address space are never code).
bool pmsav8_plan_flash(struct pmsav8_config *c, uint32_t flash, uint32_t len, uint32_t code_start,
                       uint32_t code_end);

#endif

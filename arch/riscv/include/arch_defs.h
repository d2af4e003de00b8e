// SPDX-License-Identifier: Apache-2.0
// RISC-V (RV32, machine + user mode) definitions the portable kernel sees through kernel/arch.h.
#ifndef CAIRN_ARCH_DEFS_H
#define CAIRN_ARCH_DEFS_H

#include <stdint.h>

#include "../pmp.h"

// Saved state of a process that is not running: every register, saved and restored by
// the trap code (the kernel never reads or writes the process's stack). regs[n] is xn
// for n = 1..31; regs[0] (x0 is hardwired to zero) holds the pc to resume at.
// Layout is shared with trap.S: keep the offsets in sync.
struct arch_ctx {
    uint32_t regs[32];
};

#define RV_CTX_PC 0
#define RV_REG_RA 1
#define RV_REG_SP 2
#define RV_REG_A0 10
#define RV_REG_A4 14

// The PMP plan of one process: entries 1..4 (TOR flash, TOR RAM).
#define arch_mpu_config pmp_config

// A fresh process owns no RAM below its initial break (spec: initial app break =
// mem_start on RISC-V): the kernel never stores anything on the process's stack.
#define ARCH_MIN_APP_RAM 0u

// No frame on the process stack: syscalls and upcalls use the saved registers only.
#define ARCH_FRAME_BYTES 0u

// Fault dump: apps are linked where they run (0: no link base), one ELF per slot.
#define ARCH_APP_FLASH_LINK 0u
#define ARCH_ADDR2LINE      "riscv64-unknown-elf-addr2line"
#define ARCH_APPS_DIR       "build/apps-rv32imac"

#endif

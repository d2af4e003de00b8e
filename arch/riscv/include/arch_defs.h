// SPDX-License-Identifier: Apache-2.0
// RISC-V (RV32, machine + user mode) definitions the portable kernel sees through kernel/arch.h.
#ifndef CAIRN_ARCH_DEFS_H
#define CAIRN_ARCH_DEFS_H

#include <stdbool.h>
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
// The IPC shared region (kernel/arch.h): PMP entries 5 and 6.
#define arch_mpu_shared pmp_shared

// A fresh process owns no RAM below its initial break (spec: initial app break =
// mem_start on RISC-V): the kernel never stores anything on the process's stack.
#define ARCH_MIN_APP_RAM 0u

// No frame on the process stack: syscalls and upcalls use the saved registers only.
#define ARCH_FRAME_BYTES 0u

// Every bottom half runs in the kernel thread (kernel/arch.h).
#define ARCH_IRQ_IN_HANDLER 0

// Nothing is ever read from or written to the process's stack: its sp is only a value
// saved and restored with the others, so no value of it can hurt the kernel.
static inline bool arch_ctx_stack_ok(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem)
{
    (void)ctx;
    (void)mem;
    return true;
}

// The class is in a4, the arguments (and the return values) in a0-a3 = x10-x13.
static inline uint32_t arch_syscall_class(const struct arch_ctx *ctx)
{
    return ctx->regs[RV_REG_A4];
}

static inline uint32_t *arch_syscall_regs(struct arch_ctx *ctx)
{
    return &ctx->regs[RV_REG_A0];
}
// Fault dump: apps are linked where they run (0: no link base), one ELF per slot.
#define ARCH_APP_FLASH_LINK 0u
#define ARCH_ADDR2LINE      "riscv64-unknown-elf-addr2line"
#define ARCH_APPS_DIR       "build/apps-rv32imac"

#endif

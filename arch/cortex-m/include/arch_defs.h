// SPDX-License-Identifier: Apache-2.0
// Cortex-M (ARMv7-M, ARMv8-M) definitions the portable kernel sees through kernel/arch.h.
#ifndef CAIRN_ARCH_DEFS_H
#define CAIRN_ARCH_DEFS_H

#include <stdbool.h>
#include <stdint.h>

// The board's variant folder (BOARD_ARCH_VARIANT: v7m or v8m) names the MPU plan type.
#include <cm_variant.h>

// Saved state of a process that is not running. r0-r3, r12, lr, pc and xPSR live in the
// hardware exception frame at psp (on the process's own stack); the rest is here.
// Layout is shared with switch.S: keep the offsets in sync.
struct arch_ctx {
    uint32_t r4_r11[8]; // offset 0
    uint32_t psp;       // offset 32
    uint32_t svc_num;   // offset 36: imm8 of the svc that trapped (set by the SVC handler)
};

#define ARCH_CTX_OFF_PSP 32
#define ARCH_CTX_OFF_SVC 36

// Size of the hardware exception frame the kernel reads and rewrites on syscalls.
#define ARCH_FRAME_BYTES 32u

// The frame [psp, psp + 32) lies inside [start, brk) and psp is word aligned. brk - 32
// does not wrap: brk >= start >= 32 (kernel/arch.h).
__attribute__((always_inline)) static inline bool cm_frame_ok(uint32_t psp,
                                                              const struct arch_mem_bounds *mem)
{
    return psp >= mem->start && psp <= mem->brk - ARCH_FRAME_BYTES && (psp & 3u) == 0;
}

__attribute__((always_inline)) static inline bool
arch_ctx_stack_ok(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem)
{
    return cm_frame_ok(ctx->psp, mem);
}

// The trap's class and its argument/return registers r0-r3: the first four words of the
// hardware frame (kernel/arch.h states the preconditions).
static inline uint32_t arch_syscall_class(const struct arch_ctx *ctx)
{
    return ctx->svc_num;
}

static inline uint32_t *arch_syscall_regs(struct arch_ctx *ctx)
{
    return (uint32_t *)(uintptr_t)ctx->psp;
}

// Bytes a fresh process owns below its initial break: one exception frame, used by the
// entry call (spec: initial app break = mem_start + 32 on Cortex-M).
#define ARCH_MIN_APP_RAM 32u

// The timer line's bottom half may run in its exception (kernel/arch.h).
#define ARCH_IRQ_IN_HANDLER 1

// Fault dump: apps are position-independent, linked with flash at ARCH_APP_FLASH_LINK
// (userland/app.ld); their ELFs and the tool that maps an address to a source line.
#define ARCH_APP_FLASH_LINK 0x80000000u
#define ARCH_ADDR2LINE      "arm-none-eabi-addr2line"
#define ARCH_APPS_DIR       "build/apps"

#endif

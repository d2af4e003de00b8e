// SPDX-License-Identifier: Apache-2.0
// Host (test) definitions behind kernel/arch.h: a simulated register file, no hardware.
#ifndef CAIRN_ARCH_DEFS_H
#define CAIRN_ARCH_DEFS_H

#include <stdint.h>

// A simulated process context: host tests set regs[] and read them back.
struct arch_ctx {
    uint32_t regs[4];     // r0-r3 as the syscall/upcall sees them
    uint32_t sp;          // simulated stack pointer
    uint32_t pc;          // simulated program counter (upcall target after a push)
    uint32_t lr;          // simulated return address of an upcall
    uint32_t svc_num;     // class of the simulated trap
    uint32_t upcall_args; // number of upcalls pushed, for tests
};

struct arch_mpu_config {
    uint32_t flash, flash_len, ram, ram_len, brk, kbrk;
};

// The IPC shared region (kernel/arch.h), as planned; host_mpu_shared_loaded is what the
// kernel last loaded (len 0: off), for tests.
struct arch_mpu_shared {
    uint32_t addr, len;
};
extern struct arch_mpu_shared host_mpu_shared_loaded;

// The simulated MPU covers a process's RAM in granules of this many bytes from its start
// (like PMSAv7 subregions), so bytes up to the next granule above the break are reachable;
// 0 (the default) means byte-exact. Host tests set it.
extern uint32_t arch_host_mpu_granule;

// Test hooks of the host port (see arch/host/arch_host.c); null/false by default.
enum switch_reason;
extern enum switch_reason (*host_switch_hook)(struct arch_ctx *ctx);
extern _Bool host_slice_expired; // arch_timeslice_expired() answers this
extern _Bool host_mpu_pmsav7;    // plan and reach with PMSAv7 subregion rounding

static inline _Bool arch_ctx_stack_ok(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem)
{
    return ctx->sp >= mem->start && ctx->sp <= mem->brk;
}

static inline uint32_t arch_syscall_class(const struct arch_ctx *ctx)
{
    return ctx->svc_num;
}

static inline uint32_t *arch_syscall_regs(struct arch_ctx *ctx)
{
    return ctx->regs;
}

#define ARCH_MIN_APP_RAM 32u
#define ARCH_FRAME_BYTES 32u

// Host tests drive no interrupts: bottom halves only in the kernel thread (kernel/arch.h).
#define ARCH_IRQ_IN_HANDLER 0

// Fault dump (as on Cortex-M, whose apps the host tests model).
#define ARCH_APP_FLASH_LINK 0x80000000u
#define ARCH_ADDR2LINE      "arm-none-eabi-addr2line"
#define ARCH_APPS_DIR       "build/apps"

#endif

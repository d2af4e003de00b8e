// SPDX-License-Identifier: Apache-2.0
// Host arch port: a simulated CPU so the portable kernel links into tests and fuzzers.
//
// Contexts are plain structs that tests fill in (regs[] as the trap left them) and read
// back (return registers, pushed upcalls). Interrupt lines are a bitmap tests set. The
// MPU plan records its inputs and enforces the same rule every port must: the break may
// not pass the kernel break.
//
// The syscall fuzzer (tests/fuzz/fuzz_syscall.c) plugs in below: host_switch_hook decides
// what a process does when the kernel runs it, host_slice_expired ends its timeslice, and
// host_mpu_pmsav7 makes the MPU round the break up to PMSAv7 subregions as the Cortex-M
// port does, so the process reaches bytes above its break. Their defaults keep the
// behaviour the cmocka host tests rely on.
#include <stdio.h>
#include <stdlib.h>

#include "arch.h"

#include "../cortex-m/pmsav7.h"

#include <cairn/kassert.h>
#include <cairn/kprint.h>

static uint32_t host_irq_fired, host_irq_enabled;
static uint32_t host_irq_mask_depth;

void arch_init(void) {}

void arch_irq_unmask_all(void)
{
    host_irq_mask_depth = 0;
}

uint32_t arch_irq_save(void)
{
    return host_irq_mask_depth++;
}

void arch_irq_restore(uint32_t state)
{
    host_irq_mask_depth = state;
}

void arch_wait_for_interrupt(void) {}

void arch_irq_enable(unsigned irq)
{
    host_irq_enabled |= 1u << irq;
}

void arch_irq_disable(unsigned irq)
{
    host_irq_enabled &= ~(1u << irq);
    host_irq_fired &= ~(1u << irq);
}

// Test hook: line irq fired (its top half ran).
void host_irq_raise(unsigned irq);
void host_irq_raise(unsigned irq)
{
    host_irq_fired |= 1u << irq;
}

int arch_irq_next_pending(void)
{
    return host_irq_fired ? __builtin_ctz(host_irq_fired) : -1;
}

void arch_irq_complete(unsigned irq)
{
    host_irq_fired &= ~(1u << irq);
}

bool arch_kernel_work_pending(void)
{
    return host_irq_fired != 0;
}

bool host_slice_expired;

bool arch_kernel_attention(void)
{
    return host_irq_fired != 0 || host_slice_expired;
}

_Noreturn void arch_exit(int code)
{
    fflush(stdout);
    exit(code);
}

void arch_reset(void) {}

void arch_ctx_init(struct arch_ctx *ctx, uint32_t sp)
{
    *ctx = (struct arch_ctx){.sp = sp};
}

enum switch_reason (*host_switch_hook)(struct arch_ctx *ctx);
bool host_mpu_pmsav7;

enum switch_reason arch_switch_to_process(struct arch_ctx *ctx)
{
    if (host_switch_hook)
        return host_switch_hook(ctx);
    return SWITCH_SYSCALL; // host tests drive syscalls directly through syscall_handle
}

bool arch_push_upcall(struct arch_ctx *ctx, const struct arch_mem_bounds *mem, uint32_t fn,
                      const uint32_t a[3], uint32_t a3)
{
    if (!arch_ctx_stack_ok(ctx, mem))
        return false;
    ctx->lr = ctx->pc;
    ctx->pc = fn;
    ctx->regs[0] = a[0];
    ctx->regs[1] = a[1];
    ctx->regs[2] = a[2];
    ctx->regs[3] = a3;
    ctx->upcall_args++;
    return true;
}

uint32_t arch_ctx_sp(const struct arch_ctx *ctx)
{
    return ctx->sp;
}

bool arch_ctx_pc_lr(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem, uint32_t *pc,
                    uint32_t *lr)
{
    (void)mem;
    *pc = ctx->pc;
    *lr = 0;
    return true;
}

void arch_ctx_print(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem)
{
    (void)mem;
    kprintf("  host ctx: sp 0x%08x pc 0x%08x r0 0x%08x\n", (unsigned)ctx->sp, (unsigned)ctx->pc,
            (unsigned)ctx->regs[0]);
}

void arch_fault_print(void)
{
    kprintf("  host fault\n");
}

void arch_fault_cleanup(void) {}

void arch_panic_dump(void) {}

void arch_timeslice_start(uint32_t us)
{
    (void)us;
    host_slice_expired = false;
}

void arch_timeslice_renew(uint32_t us)
{
    arch_timeslice_start(us);
}

bool arch_timeslice_expired(void)
{
    return host_slice_expired;
}

uint32_t arch_timeslice_stop(void)
{
    bool expired = host_slice_expired;
    host_slice_expired = false;
    return expired ? 0 : 1;
}

uint32_t arch_host_mpu_granule;

uint32_t arch_mpu_ram_reach(uint32_t ram, uint32_t ram_len, uint32_t brk)
{
    if (host_mpu_pmsav7)
        return pmsav7_ram_reach(ram, ram_len, brk);
    uint32_t g = arch_host_mpu_granule;
    if (g == 0)
        return brk; // byte-exact protection
    if (brk <= ram)
        return ram;
    uint64_t reach = ram + ((uint64_t)brk - ram + g - 1) / g * g;
    return reach < (uint64_t)ram + ram_len ? (uint32_t)reach : ram + ram_len;
}

bool arch_mpu_plan(struct arch_mpu_config *cfg, uint32_t flash, uint32_t flash_len, uint32_t ram,
                   uint32_t ram_len, uint32_t brk, uint32_t kbrk)
{
    if (brk < ram || brk > kbrk || kbrk > ram + ram_len)
        return false;
    if (host_mpu_pmsav7) {
        struct pmsav7_config c;
        if (!pmsav7_plan_ram(&c, ram, ram_len, brk, kbrk))
            return false;
    } else if (arch_mpu_ram_reach(ram, ram_len, brk) > kbrk) {
        return false; // the rounded cover would expose kernel-owned bytes
    }
    *cfg = (struct arch_mpu_config){flash, flash_len, ram, ram_len, brk, kbrk};
    return true;
}

void arch_mpu_load(const struct arch_mpu_config *cfg)
{
    (void)cfg;
}

struct arch_mpu_shared host_mpu_shared_loaded;

bool arch_mpu_plan_shared(struct arch_mpu_shared *sh, uint32_t addr, uint32_t len)
{
    // The PMSAv7 rule when the host imitates it, else the PMSAv8 one (32-byte multiples).
    if (len == 0 || (uint64_t)addr + len > ((uint64_t)1 << 32))
        return false;
    if (host_mpu_pmsav7 ? (len & (len - 1)) || len < 32 || (addr & (len - 1)) : (addr | len) & 31u)
        return false;
    *sh = (struct arch_mpu_shared){addr, len};
    return true;
}

void arch_mpu_load_shared(const struct arch_mpu_shared *sh)
{
    host_mpu_shared_loaded = sh ? *sh : (struct arch_mpu_shared){0, 0};
}

bool arch_mpu_place_ram(uint32_t pool_start, uint32_t pool_end, uint32_t want, uint32_t kernel_part,
                        uint32_t *start, uint32_t *len)
{
    // Highest 8-aligned start, like the target ports (which fill the pool from the top).
    // In 64 bits: want and kernel_part may each be near 2^32 (see kernel/arch.h).
    uint64_t l = ((uint64_t)want + kernel_part + 7u) & ~(uint64_t)7u;
    if (pool_end < l || ((pool_end - l) & ~7u) < pool_start)
        return false;
    uint32_t s = (uint32_t)(pool_end - l) & ~7u;
    *start = s;
    *len = (uint32_t)l;
    return true;
}

bool arch_mpu_flash_ok(uint32_t start, uint32_t len)
{
    (void)start;
    return len > 0;
}

uint32_t arch_kernel_stack_unused(void)
{
    return 0;
}

void arch_call_on_stack(void (*fn)(void *), void *arg, uintptr_t top)
{
    (void)top;
    fn(arg);
}

// SPDX-License-Identifier: Apache-2.0
// RISC-V (RV32, M + U mode) implementation of the arch contract: CPU setup, interrupts, contexts.
#include <stddef.h>

#include "arch.h"
#include "rv.h"

#include <cairn/kprint.h>

// Shared with trap.S. rv_kernel_sp: the kernel's stack pointer inside
// arch_switch_to_process while a process runs; rv_cur_ctx: that process's context.
uint32_t rv_kernel_sp;
struct arch_ctx *rv_cur_ctx;
volatile uint32_t rv_irq_fired;
// Registers of a kernel fault, saved by trap.S before moving to the panic stack.
uint32_t rv_panic_regs[32];

// What rv_process_trap returns to trap.S besides a switch reason: resume the process now.
#define RV_RESUME (-1)

// The kernel stack's lowest usable address (just above the PMP guard) and its top, from
// the linker script; painted at boot so the high-water mark can be measured.
extern uint32_t __kstack_bottom[], __kstack_top[];
#define KSTACK_PAINT 0xC5C5C5C5u

void rv_paint_kernel_stack(void)
{
    uint32_t sp;
    __asm__ volatile("mv %0, sp" : "=r"(sp));
    for (uint32_t *p = __kstack_bottom; (uint32_t)(uintptr_t)p < sp - 64; p++)
        *p = KSTACK_PAINT;
}

uint32_t arch_kernel_stack_unused(void)
{
    uintptr_t p = (uintptr_t)__kstack_bottom, top = (uintptr_t)__kstack_top;
    while (p < top && *(const uint32_t *)p == KSTACK_PAINT)
        p += 4;
    return (uint32_t)(p - (uintptr_t)__kstack_bottom);
}

void arch_init(void)
{
    CSR_CLEAR(mstatus, MSTATUS_MIE | MSTATUS_MPRV);
    CSR_WRITE(mtvec, (uint32_t)(uintptr_t)rv_trap_entry); // direct mode: one entry
    CSR_WRITE(mscratch, 0);                               // 0 = the kernel is running
    // wfi from U-mode traps (illegal instruction) instead of idling the hart.
    CSR_SET(mstatus, MSTATUS_TW);
    // No cycle/time/instret counters for U-mode: reading them is an illegal instruction.
    CSR_WRITE(mcounteren, 0);
    CSR_WRITE(mie, 0);
    rv_pmp_init();
    rv_plic_init();
    rv_timer_init();
    CSR_SET(mie, MIE_MEIE); // MTIE: only while a deadline is set (mtimer.c)
}

void arch_irq_unmask_all(void)
{
    CSR_SET(mstatus, MSTATUS_MIE);
}

uint32_t arch_irq_save(void)
{
    uint32_t s;
    __asm__ volatile("csrrci %0, mstatus, 8" : "=r"(s)::"memory");
    return s & MSTATUS_MIE;
}

void arch_irq_restore(uint32_t state)
{
    if (state & MSTATUS_MIE)
        CSR_SET(mstatus, MSTATUS_MIE);
}

void arch_wait_for_interrupt(void)
{
    // With MIE clear, wfi still wakes on any enabled pending interrupt (mip & mie); the
    // caller's restore then takes it.
    __asm__ volatile("wfi" ::: "memory");
}

void arch_irq_enable(unsigned irq)
{
    if (irq != RV_IRQ_MTIMER && irq < RV_IRQ_LINES)
        rv_plic_enable(irq);
}

void arch_irq_disable(unsigned irq)
{
    if (irq >= RV_IRQ_LINES)
        return;
    if (irq != RV_IRQ_MTIMER)
        rv_plic_disable(irq);
    uint32_t s = arch_irq_save();
    rv_irq_fired &= ~(1u << irq);
    arch_irq_restore(s);
}

int arch_irq_next_pending(void)
{
    uint32_t f = rv_irq_fired;
    return f ? __builtin_ctz(f) : -1;
}

void arch_irq_complete(unsigned irq)
{
    uint32_t s = arch_irq_save();
    rv_irq_fired &= ~(1u << irq);
    // The source was masked at the PLIC by the top half; a device that still asserts its
    // level interrupt is pending again at once, which is what we want.
    rv_plic_refresh();
    arch_irq_restore(s);
}

extern volatile uint32_t rv_timeslice_expired;

bool arch_kernel_work_pending(void)
{
    return rv_irq_fired != 0;
}

bool arch_kernel_attention(void)
{
    return (rv_irq_fired | rv_timeslice_expired) != 0;
}

static void (*exit_hook)(int code);

void rv_set_exit_hook(void (*hook)(int code))
{
    exit_hook = hook;
}

_Noreturn void arch_exit(int code)
{
    CSR_CLEAR(mstatus, MSTATUS_MIE);
    if (exit_hook)
        exit_hook(code);
    for (;;)
        __asm__ volatile("wfi");
}

// RISC-V has no architectural reset: boards hand the console theirs (board_io.reset).
void arch_reset(void) {}

// Top half of an interrupt taken while the kernel ran (trap.S, interrupts off).
void rv_kernel_irq(void);
void rv_kernel_irq(void)
{
    uint32_t code = MCAUSE_CODE(CSR_READ(mcause));
    if (code == IRQ_M_TIMER)
        (void)rv_timer_isr(); // only a running process can be preempted
    else if (code == IRQ_M_EXTERNAL)
        rv_plic_isr();
}

// Every trap from a process, after trap.S saved its registers into ctx (interrupts off).
int rv_process_trap(struct arch_ctx *ctx);
int rv_process_trap(struct arch_ctx *ctx)
{
    uint32_t mcause = CSR_READ(mcause);
    if (mcause & MCAUSE_INTERRUPT) {
        uint32_t code = MCAUSE_CODE(mcause);
        if (code == IRQ_M_TIMER && rv_timer_isr())
            return SWITCH_TIMESLICE;
        if (code == IRQ_M_EXTERNAL)
            rv_plic_isr();
        return SWITCH_INTERRUPT;
    }
    if (mcause == EXC_ECALL_U) {
        // Resume after the ecall (4 bytes: there is no compressed ecall).
        ctx->regs[RV_CTX_PC] += 4;
        switch (kernel_fast_syscall(ctx)) {
        case FAST_SYSCALL_RESUME:
            // The kernel no longer looks for pending work after a fast call (on Cortex-M
            // an interrupt that fired meanwhile is taken as the trap returns); here a
            // timeslice that ran out while the kernel ran must still end the process's turn.
            if (arch_kernel_attention())
                return SWITCH_SYSCALL_DONE;
            return RV_RESUME;
        case FAST_SYSCALL_DEFER:
            return SWITCH_SYSCALL;
        default:
            // DONE, or GONE: the registers were saved before the call, and a restart
            // rebuilt the context since, so nothing stale is written back either way.
            return SWITCH_SYSCALL_DONE;
        }
    }
    rv_record_process_fault(mcause, CSR_READ(mtval), ctx->regs[RV_CTX_PC]);
    return SWITCH_FAULT;
}

// ---- process contexts ------------------------------------------------------------------

void arch_ctx_init(struct arch_ctx *ctx, uint32_t sp)
{
    for (unsigned i = 0; i < 32; i++)
        ctx->regs[i] = 0;
    // pc 0 means "no caller": the entry call returns to ra = 0, which faults (address 0
    // is outside every PMP region), so a process returning from _start is caught.
    ctx->regs[RV_REG_SP] = sp;
}

bool arch_push_upcall(struct arch_ctx *ctx, const struct arch_mem_bounds *mem, uint32_t fn,
                      const uint32_t a[3], uint32_t a3)
{
    (void)mem;
    // A call from the trap point: ra = where the process trapped (already past the ecall),
    // sp and every other register as they are. The pc is used verbatim (mepc ignores bit 0).
    ctx->regs[RV_REG_RA] = ctx->regs[RV_CTX_PC];
    ctx->regs[RV_CTX_PC] = fn;
    ctx->regs[RV_REG_A0 + 0] = a[0];
    ctx->regs[RV_REG_A0 + 1] = a[1];
    ctx->regs[RV_REG_A0 + 2] = a[2];
    ctx->regs[RV_REG_A0 + 3] = a3;
    return true;
}

uint32_t arch_ctx_sp(const struct arch_ctx *ctx)
{
    return ctx->regs[RV_REG_SP];
}

static const char *const reg_names[32] = {
    "pc", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1", "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void rv_print_regs(const uint32_t *regs, void (*out)(const char *, ...));
void rv_print_regs(const uint32_t *regs, void (*out)(const char *, ...))
{
    for (unsigned i = 0; i < 32; i++)
        out("  %-4s %p%s", reg_names[i], KADDR(regs[i]), (i % 4 == 3) ? "\n" : "");
}

static void kprintf_fn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

bool arch_ctx_pc_lr(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem, uint32_t *pc,
                    uint32_t *lr)
{
    (void)mem; // every register is in the context
    *pc = ctx->regs[0];
    *lr = ctx->regs[1];
    return true;
}

void arch_ctx_print(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem)
{
    // Every register lives in the context, none on the process's stack: all are shown.
    (void)mem;
    rv_print_regs(ctx->regs, kprintf_fn);
}

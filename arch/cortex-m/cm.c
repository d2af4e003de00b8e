// SPDX-License-Identifier: Apache-2.0
// Cortex-M (ARMv7-M, ARMv8-M) implementation of the arch contract: CPU setup, interrupts, contexts.
#include <stddef.h>

#include "arch.h"
#include "regs.h"
#include "cm.h"

#include <cairn/kprint.h>

#include "process.h"

// The fast path in switch.S reads these fields by their offsets in cm.h.
_Static_assert(offsetof(struct process, ctx) == 0, "cm_cur_ctx is the control block");
_Static_assert(offsetof(struct process, mem_start) == CM_PCB_MEM_START, "cm.h");
_Static_assert(offsetof(struct process, frame_limit) == CM_PCB_MEM_START + 4, "cm.h");
_Static_assert(ARCH_MIN_APP_RAM == 32, "switch.S: frame_limit is for a 32-byte frame");
_Static_assert(offsetof(struct process, id) == CM_PCB_ID, "cm.h");
_Static_assert(offsetof(struct process, state) == CM_PCB_STATE, "cm.h");
_Static_assert(offsetof(struct process, mpu_dirty) == CM_PCB_STATE + 1, "cm.h");
_Static_assert(PROC_RUNNING == 0, "switch.S resumes on state and mpu_dirty both 0");
_Static_assert(offsetof(struct process, syscalls) == CM_PCB_SYSCALLS, "cm.h");
_Static_assert(offsetof(struct process, last_syscall) == CM_PCB_SYSCALLS + 4, "cm.h");

// Shared with switch.S. cm_irq_fired: bit n % 32 of word n / 32 set = line n fired, masked,
// bottom half due. Written by top halves, cleared by the kernel with interrupts masked.
struct arch_ctx *volatile cm_cur_ctx;
volatile uint32_t cm_switch_reason;
volatile uint32_t cm_irq_fired[CM_IRQ_WORDS];
volatile uint32_t cm_timeslice_expired;
// Lines whose bottom half the kernel may run inside their exception (same bit layout),
// set by the board at boot (arch_irq_serve_in_handler); read by cm_irq_handler.
uint32_t cm_irq_fast[CM_IRQ_WORDS];

void arch_irq_serve_in_handler(unsigned irq)
{
    cm_irq_fast[irq / 32] |= 1u << (irq % 32);
}

enum switch_reason arch_switch_reason(void)
{
    return (enum switch_reason)cm_switch_reason;
}

// The kernel stack's lowest address (just above the guard) and its top, from the
// linker script. It is painted at boot so the high-water mark can be measured.
extern uint32_t __kstack_bottom[], __kstack_top[];
#define KSTACK_PAINT 0xC5C5C5C5u

void cm_paint_kernel_stack(void)
{
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    // Stop well below the live frame: everything under it is unused so far.
    for (uint32_t *p = __kstack_bottom; (uint32_t)(uintptr_t)p < sp - 64; p++)
        *p = KSTACK_PAINT;
}

uint32_t arch_kernel_stack_unused(void)
{
    // Linker symbols bound the stack: compare addresses, not pointers to distinct objects.
    uintptr_t p = (uintptr_t)__kstack_bottom, top = (uintptr_t)__kstack_top;
    while (p < top && *(const uint32_t *)p == KSTACK_PAINT)
        p += 4;
    return (uint32_t)(p - (uintptr_t)__kstack_bottom);
}

static void set_sys_priority(unsigned idx, uint8_t prio)
{
    volatile uint8_t *b = (volatile uint8_t *)SCB->shpr;
    b[idx] = prio;
}

void arch_init(void)
{
    // Faults get their own handlers (not HardFault) so a process fault is recoverable.
    SCB->shcsr |= SCB_SHCSR_MEMFAULTENA | SCB_SHCSR_BUSFAULTENA | SCB_SHCSR_USGFAULTENA;
    SCB->ccr |= SCB_CCR_STKALIGN | SCB_CCR_DIV_0_TRP;
    // One priority for SVC, SysTick and every peripheral line: top halves never nest,
    // so cm_irq_fired needs no atomics beyond masking in the kernel. Faults stay above.
    set_sys_priority(SHPR_IDX_MEMMANAGE, 0x00);
    set_sys_priority(SHPR_IDX_BUSFAULT, 0x00);
    set_sys_priority(SHPR_IDX_USAGE, 0x00);
    set_sys_priority(SHPR_IDX_SVCALL, 0x80);
    set_sys_priority(SHPR_IDX_SYSTICK, 0x80);
    set_sys_priority(SHPR_IDX_PENDSV, 0x80);
    for (unsigned i = 0; i < 32 * CM_IRQ_WORDS; i++)
        NVIC->ipr[i] = 0x80;
    cm_variant_init();
    cm_mpu_init();
}

void arch_irq_unmask_all(void)
{
    __asm volatile("cpsie i" ::: "memory");
}

uint32_t arch_irq_save(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    return primask;
}

void arch_irq_restore(uint32_t state)
{
    __asm volatile("msr primask, %0" ::"r"(state) : "memory");
}

void arch_wait_for_interrupt(void)
{
    __asm volatile("dsb\n wfi\n isb" ::: "memory");
}

void arch_irq_enable(unsigned irq)
{
    NVIC->iser[irq / 32] = 1u << (irq % 32);
}

void arch_irq_disable(unsigned irq)
{
    NVIC->icer[irq / 32] = 1u << (irq % 32);
    uint32_t s = arch_irq_save();
    cm_irq_fired[irq / 32] &= ~(1u << (irq % 32));
    arch_irq_restore(s);
}

int arch_irq_next_pending(void)
{
    for (unsigned w = 0; w < CM_IRQ_WORDS; w++) {
        uint32_t f = cm_irq_fired[w];
        if (f != 0)
            return (int)(32 * w) + __builtin_ctz(f);
    }
    return -1;
}

void arch_irq_complete(unsigned irq)
{
    uint32_t s = arch_irq_save();
    cm_irq_fired[irq / 32] &= ~(1u << (irq % 32));
    // The line was still asserted when its top half returned, so the NVIC pended it
    // again (masked): left alone, that stale state would take the exception a second
    // time for the same event. Clearing it loses nothing: the NVIC keeps a line pending
    // while its input is held high (ARMv7-M and ARMv8-M, and QEMU models it), so a
    // device the bottom half left asserted, or that asserted again since, still
    // interrupts.
    NVIC->icpr[irq / 32] = 1u << (irq % 32);
    NVIC->iser[irq / 32] = 1u << (irq % 32);
    arch_irq_restore(s);
}

// OR of every fired word (the loop is unrolled: CM_IRQ_WORDS is a constant).
static inline uint32_t irq_fired_any(void)
{
    uint32_t any = 0;
    for (unsigned w = 0; w < CM_IRQ_WORDS; w++)
        any |= cm_irq_fired[w];
    return any;
}

bool arch_kernel_work_pending(void)
{
    return irq_fired_any() != 0;
}

bool arch_kernel_attention(void)
{
    return (irq_fired_any() | cm_timeslice_expired) != 0;
}

// ARM semihosting: SYS_EXIT_EXTENDED (0x20) with {ADP_Stopped_ApplicationExit, code}.
#define SEMIHOST_SYS_EXIT_EXTENDED    0x20u
#define SEMIHOST_ADP_STOPPED_APP_EXIT 0x20026u

_Noreturn void arch_exit(int code)
{
    // Not on the stack: QEMU reads the block through the MPU a whole 1 kB page at a time,
    // and the page holding the kernel stack's guard region cannot be read, so a block in
    // the bottom kilobyte of RAM would be ignored (and QEMU would not exit).
    static volatile uint32_t block[2];
    block[0] = SEMIHOST_ADP_STOPPED_APP_EXIT;
    block[1] = (uint32_t)code;
    register uint32_t r0 __asm("r0") = SEMIHOST_SYS_EXIT_EXTENDED;
    register volatile uint32_t *r1 __asm("r1") = block;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    for (;;)
        __asm volatile("cpsid i\n wfi");
}

// SYSRESETREQ through AIRCR (the write needs the 0x05FA key): the same on ARMv7-M and
// ARMv8-M. The dsb makes earlier writes land first; the loop waits for the reset.
#define AIRCR_VECTKEY     (0x05FAu << 16)
#define AIRCR_SYSRESETREQ (1u << 2)

void arch_reset(void)
{
    __asm volatile("dsb" ::: "memory");
    SCB->aircr = AIRCR_VECTKEY | AIRCR_SYSRESETREQ;
    for (;;)
        __asm volatile("dsb");
}

// ---- process contexts ------------------------------------------------------------------

enum { FR_R0, FR_R1, FR_R2, FR_R3, FR_R12, FR_LR, FR_PC, FR_XPSR, FR_WORDS };
#define XPSR_THUMB   (1u << 24)
#define XPSR_REALIGN (1u << 9) // hardware padded the frame by 4 bytes to align it

void arch_ctx_init(struct arch_ctx *ctx, uint32_t sp)
{
    for (unsigned i = 0; i < 8; i++)
        ctx->r4_r11[i] = 0;
    ctx->psp = sp;
    ctx->svc_num = 0;
    // The frame's other words are zero already (kernel/arch.h: the kernel zeroed the
    // memory a fresh incarnation reaches). Its pc 0 means "no caller": an entry call
    // pushed on this frame returns to 0|1 and faults, which is how a process that returns
    // from _start is caught.
    _Static_assert(FR_WORDS * 4u <= ARCH_MIN_APP_RAM, "the frame lies in the zeroed bytes");
    ((uint32_t *)(uintptr_t)sp)[FR_XPSR] = XPSR_THUMB;
}

bool arch_push_upcall(struct arch_ctx *ctx, const struct arch_mem_bounds *mem, uint32_t fn,
                      const uint32_t a[3], uint32_t a3)
{
    if (!cm_frame_ok(ctx->psp, mem))
        return false;
    uint32_t *f = (uint32_t *)(uintptr_t)ctx->psp;
    // Turn the trap into a call: the function returns (bx lr) to the instruction after
    // the svc, with the stack exactly as the caller had it.
    f[FR_LR] = f[FR_PC] | 1u;
    f[FR_PC] = fn & ~1u;
    f[FR_R0] = a[0];
    f[FR_R1] = a[1];
    f[FR_R2] = a[2];
    f[FR_R3] = a3;
    // A function entry: no flags, no IT block, thread mode, Thumb. Only the padding bit
    // stays, so the return still restores the SP the trap had (switch.S sanitises again
    // on the way out, this is what an upcall needs beyond that).
    f[FR_XPSR] = (f[FR_XPSR] & XPSR_REALIGN) | XPSR_THUMB;
    return true;
}

uint32_t arch_ctx_sp(const struct arch_ctx *ctx)
{
    return ctx->psp;
}

void cm_print_regs(const uint32_t *words, unsigned first, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        kprintf(
            "  %-4s %p%s",
            knth("r0\0r1\0r2\0r3\0r12\0lr\0pc\0xpsr\0r4\0r5\0r6\0r7\0r8\0r9\0r10\0r11", first + i),
            KADDR(words[i]), i % 4 == 3 ? "\n" : "");
}

bool arch_ctx_pc_lr(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem, uint32_t *pc,
                    uint32_t *lr)
{
    if (!cm_frame_ok(ctx->psp, mem))
        return false;
    const uint32_t *f = (const uint32_t *)(uintptr_t)ctx->psp;
    *pc = f[FR_PC];
    *lr = f[FR_LR] & ~1u; // bit 0 only says Thumb
    return true;
}

void arch_ctx_print(const struct arch_ctx *ctx, const struct arch_mem_bounds *mem)
{
    uint32_t sp = ctx->psp;
    // The frame is shown only when it lies in RAM the process owns: anywhere else it is
    // someone else's memory (or none), and printing it would leak it to the console.
    kprintf("  sp   %p\n", KADDR(sp));
    cm_print_regs(ctx->r4_r11, 8, 8);
    if (cm_frame_ok(sp, mem))
        cm_print_regs((const uint32_t *)(uintptr_t)sp, 0, FR_WORDS);
    else
        kprintf("  r0-r3, r12, lr, pc, xpsr: not shown (frame %p not in the process's RAM)\n",
                KADDR(sp));
}

// ---- timeslice (SysTick at the core clock) ----------------------------------------------

// The slice length (us) SysTick's reload register was last programmed for: a renewal of
// that length finds the counter already counting it (arch_timeslice_renew).
static uint32_t cm_slice_reload_us;

void arch_timeslice_start(uint32_t us)
{
    cm_timeslice_expired = 0;
    if (us != cm_slice_reload_us) {
        cm_slice_reload_us = us;
        uint32_t ticks = us * CM_CORE_MHZ;
        if (ticks == 0)
            ticks = 1;
        if (ticks > SYSTICK_MAX_RELOAD)
            ticks = SYSTICK_MAX_RELOAD;
        SYSTICK->rvr = ticks;
    }
    // The counter may still be counting the last slice (a blocking switch made in the SVC
    // handler leaves it running, kernel_switch_yield): clearing it first makes it reload
    // the whole slice at its next tick, so no expiry can come between that and clearing
    // a pending one below. A switch made in a handler may start the slice while the last
    // one's expiry is pending (it ran out during the SVC that blocked): that SysTick must
    // not end the new slice at its first instruction. The clear of the current value also
    // clears COUNTFLAG, which arch_timeslice_stop reads.
    SYSTICK->cvr = 0;
    SCB->icsr = SCB_ICSR_PENDSTCLR;
    SYSTICK->csr = SYSTICK_CSR_ENABLE | SYSTICK_CSR_TICKINT | SYSTICK_CSR_CLKSOURCE;
}

void arch_timeslice_renew(uint32_t us)
{
    // cm_systick_handler left the counter running: at the expiry it reloaded rvr and has
    // counted the next slice since. For a slice of that length there is nothing to
    // program; reading csr clears COUNTFLAG, which would otherwise make the next
    // arch_timeslice_stop report this expiry as the new slice's. The expiry's pending bit
    // was cleared when the handler was taken, and the next 1 -> 0 transition of the
    // counter is the new slice's end: nothing is pending to clear (arch_timeslice_start
    // clears one because the SVC that blocked may have let an expiry pend meanwhile).
    // cm_timeslice_expired is clear already: the handler notes the expiry only on its
    // ways back to the kernel thread, and no process runs while it is set (switch.S).
    if (us != cm_slice_reload_us) {
        arch_timeslice_start(us);
        return;
    }
    (void)SYSTICK->csr;
}

bool arch_timeslice_expired(void)
{
    return cm_timeslice_expired != 0;
}

uint32_t arch_timeslice_stop(void)
{
    uint32_t left = SYSTICK->cvr;
    uint32_t csr = SYSTICK->csr;
    SYSTICK->csr = 0;
    if (cm_timeslice_expired || (csr & SYSTICK_CSR_COUNTFLAG)) {
        cm_timeslice_expired = 0;
        return 0;
    }
    return left / CM_CORE_MHZ;
}

enum switch_reason arch_switch_to_process(struct arch_ctx *ctx)
{
    cm_cur_ctx = ctx;
    // cm_svc_handler saves r4-r11 on MSP and returns here when the process traps; the
    // hardware frame of this svc restores r0-r3, r12 and lr.
    __asm volatile("svc 0xff" ::: "memory");
    return (enum switch_reason)cm_switch_reason;
}

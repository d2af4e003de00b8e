// SPDX-License-Identifier: Apache-2.0
// RISC-V fault capture and decoding (mcause, mtval): process faults, kernel faults, panics.
#include "arch.h"
#include "rv.h"

#include <cairn/kassert.h>
#include <cairn/kprint.h>

extern uint32_t __kstack_guard[], __kstack_bottom[], __kstack_top[];

// The last process fault, recorded in the trap; valid until the next one.
static struct {
    uint32_t mcause, mtval, mepc;
} last_fault;

void rv_record_process_fault(uint32_t mcause, uint32_t mtval, uint32_t mepc)
{
    last_fault.mcause = mcause;
    last_fault.mtval = mtval;
    last_fault.mepc = mepc;
}

void arch_fault_cleanup(void)
{
    // Nothing stays armed after a RISC-V trap: the cause lives in mcause/mtval only, and
    // the next trap overwrites them.
}

// Synchronous exception codes (privileged spec, mcause with the interrupt bit clear).
static const char *exc_name(uint32_t code)
{
    // Codes 0-15 in order, "" for the reserved ones (10, 14).
    const char *n = code < 16 ? knth("instruction address misaligned\0instruction access fault\0"
                                     "illegal instruction\0breakpoint\0load address misaligned\0"
                                     "load access fault\0store/AMO address misaligned\0"
                                     "store/AMO access fault\0environment call from U-mode\0"
                                     "environment call from S-mode\0\0"
                                     "environment call from M-mode\0instruction page fault\0"
                                     "load page fault\0\0store/AMO page fault",
                                     code)
                              : "";
    return *n ? n : "unknown exception";
}

// What mtval holds for each cause: a faulting address, the instruction, or nothing.
static void print_cause(uint32_t mcause, uint32_t mtval, uint32_t mepc,
                        void (*out)(const char *, ...))
{
    uint32_t code = MCAUSE_CODE(mcause);
    out("  cause: %s (mcause %u), at pc %p (mepc)\n", exc_name(code), (unsigned)code, KADDR(mepc));
    switch (code) {
    case 0:
    case 1:
    case 4:
    case 5:
    case 6:
    case 7:
        out("  faulting address: %p (mtval)\n", KADDR(mtval));
        break;
    case 2:
        if (mtval)
            out("  instruction bits: %p (mtval)\n", KADDR(mtval));
        else
            out("  instruction bits: not recorded by the hardware\n");
        break;
    default:
        break;
    }
}

static void kprintf_fn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

static void kprintf_sync_fn(const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    kprintf_sync("%s", buf);
}

void arch_fault_print(void)
{
    print_cause(last_fault.mcause, last_fault.mtval, last_fault.mepc, kprintf_fn);
}

void rv_print_regs(const uint32_t *regs, void (*out)(const char *, ...));

_Noreturn void rv_kernel_fault(uint32_t *regs)
{
    uint32_t mcause = CSR_READ(mcause), mtval = CSR_READ(mtval);
    uint32_t sp = regs[RV_REG_SP];
    kprintf_sync("\n*** Cairn kernel fault: %s ***\n", exc_name(MCAUSE_CODE(mcause)));
    print_cause(mcause, mtval, regs[RV_CTX_PC], kprintf_sync_fn);
    if (sp < (uint32_t)(uintptr_t)__kstack_bottom &&
        sp >= (uint32_t)(uintptr_t)__kstack_guard - 4096u)
        kprintf_sync("  kernel stack overflow: sp %p is below the stack (guard at %p)\n", KADDR(sp),
                     (void *)__kstack_guard);
    rv_print_regs(regs, kprintf_sync_fn);
    kernel_panic(__FILE__, __LINE__, "fault in kernel code");
}

void arch_panic_dump(void)
{
    uint32_t sp, ra;
    __asm__ volatile("mv %0, sp\n mv %1, ra" : "=r"(sp), "=r"(ra));
    kprintf_sync("  sp %p  ra %p  mstatus %p  mcause %p  mepc %p\n", KADDR(sp), KADDR(ra),
                 KADDR(CSR_READ(mstatus)), KADDR(CSR_READ(mcause)), KADDR(CSR_READ(mepc)));
    kprintf_sync("  kernel stack: %u B never used\n", (unsigned)arch_kernel_stack_unused());
}

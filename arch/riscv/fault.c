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
    static const char *const names[] = {
        [0] = "instruction address misaligned",
        [1] = "instruction access fault",
        [2] = "illegal instruction",
        [3] = "breakpoint",
        [4] = "load address misaligned",
        [5] = "load access fault",
        [6] = "store/AMO address misaligned",
        [7] = "store/AMO access fault",
        [8] = "environment call from U-mode",
        [9] = "environment call from S-mode",
        [11] = "environment call from M-mode",
        [12] = "instruction page fault",
        [13] = "load page fault",
        [15] = "store/AMO page fault",
    };
    if (code < sizeof names / sizeof names[0] && names[code])
        return names[code];
    return "unknown exception";
}

// What mtval holds for each cause: a faulting address, the instruction, or nothing.
static void print_cause(uint32_t mcause, uint32_t mtval, uint32_t mepc,
                        void (*out)(const char *, ...))
{
    uint32_t code = MCAUSE_CODE(mcause);
    out("  cause: %s (mcause %u), at pc 0x%08x (mepc)\n", exc_name(code), (unsigned)code,
        (unsigned)mepc);
    switch (code) {
    case 0:
    case 1:
    case 4:
    case 5:
    case 6:
    case 7:
        out("  faulting address: 0x%08x (mtval)\n", (unsigned)mtval);
        break;
    case 2:
        if (mtval)
            out("  instruction bits: 0x%08x (mtval)\n", (unsigned)mtval);
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
        kprintf_sync("  kernel stack overflow: sp 0x%08x is below the stack (guard at 0x%08x)\n",
                     (unsigned)sp, (unsigned)(uintptr_t)__kstack_guard);
    rv_print_regs(regs, kprintf_sync_fn);
    kernel_panic(__FILE__, __LINE__, "fault in kernel code");
}

void arch_panic_dump(void)
{
    uint32_t sp, ra;
    __asm__ volatile("mv %0, sp\n mv %1, ra" : "=r"(sp), "=r"(ra));
    kprintf_sync("  sp 0x%08x  ra 0x%08x  mstatus 0x%08x  mcause 0x%08x  mepc 0x%08x\n",
                 (unsigned)sp, (unsigned)ra, (unsigned)CSR_READ(mstatus),
                 (unsigned)CSR_READ(mcause), (unsigned)CSR_READ(mepc));
    kprintf_sync("  kernel stack: %u B never used\n", (unsigned)arch_kernel_stack_unused());
}

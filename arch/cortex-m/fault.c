// SPDX-License-Identifier: Apache-2.0
// Cortex-M fault capture and decoding: process faults for the kernel's policy, kernel panics.
#include "arch.h"
#include "regs.h"
#include "cm.h"

#include <cairn/debug.h>
#include <cairn/kassert.h>
#include <cairn/kprint.h>

extern uint32_t __ram_start[], __ram_end[], __kstack_bottom[];

// Fault status captured when the process faulted; valid until the next process fault.
static struct {
    uint32_t cfsr, hfsr, mmfar, bfar, exc;
    uint32_t vstatus, vaddr; // the variant's own status (ARMv8-M: SFSR, SFAR)
    uint32_t pended;         // SHCSR *PENDED bits found (and cleared) when the fault was taken
} last_fault;

// Registers r4-r11 at a kernel fault, saved by switch.S before moving stacks.
uint32_t cm_panic_r4_r11[8];

// Every exception a trap from the process can leave pending besides the one being
// handled. When stacking fails (the process's SP points where the MPU denies it), the
// trap's own exception and the derived MemManage (MSTKERR) are both pending; the
// higher-priority one is taken (MemManage before UsageFault, BusFault and SVCall;
// HardFault, e.g. an escalated BKPT, before MemManage) and the other would fire as soon
// as the kernel thread resumes, where it looks like a kernel fault (or, for SVCall, a
// syscall from a dead process). SysTick and peripheral lines stay pending on purpose:
// they are kernel work, whoever was running when they arrived.
#define SHCSR_PROCESS_PENDED                                                                       \
    (SCB_SHCSR_MEMFAULTPENDED | SCB_SHCSR_BUSFAULTPENDED | SCB_SHCSR_USGFAULTPENDED |              \
     SCB_SHCSR_SVCALLPENDED | CM_SHCSR_VARIANT_PENDED)

void cm_record_process_fault(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    last_fault.exc = ipsr & SCB_ICSR_VECTACTIVE_MSK;
    // CFSR holds the bits of both faults of a failed stacking (e.g. UNDEFINSTR and
    // MSTKERR): all of them are kept for the dump.
    last_fault.cfsr = SCB->cfsr;
    last_fault.hfsr = SCB->hfsr;
    last_fault.mmfar = SCB->mmfar;
    last_fault.bfar = SCB->bfar;
    last_fault.vstatus = cm_variant_fault_capture(&last_fault.vaddr);
    // Status bits are sticky (write 1 to clear): clear them so the next fault reads fresh.
    SCB->cfsr = last_fault.cfsr;
    SCB->hfsr = last_fault.hfsr;
    SCB->dfsr = DFSR_ALL;
    // Cleared here, inside the handler: the kernel thread must never see them. The
    // read-modify-write keeps the active and enable bits as they are.
    uint32_t shcsr = SCB->shcsr;
    last_fault.pended = shcsr & SHCSR_PROCESS_PENDED;
    SCB->shcsr = shcsr & ~SHCSR_PROCESS_PENDED;
}

void arch_fault_cleanup(void)
{
    // Everything was undone in cm_record_process_fault, inside the handler, because
    // nothing may stay pending when the kernel thread resumes. Nothing can be pending
    // here (a pending fault would already have been taken): this only guards against a
    // future path that forgets to.
    SCB->shcsr &= ~SHCSR_PROCESS_PENDED;
}

void cm_print_bits(uint32_t v, const char *names, unsigned n, const char *fmt)
{
    for (unsigned i = 0; i < n; i++, names = knth(names, 1))
        if ((v >> i & 1u) && *names)
            kprintf(fmt, names);
}

// Fault exceptions 3-7 by number: the cause line names one, the pended line (MemManage,
// BusFault, UsageFault) reads the same list from its second name.
static const char fault_exc_names[] = "HardFault\0MemManage\0BusFault\0UsageFault"
#if CM_SHCSR_VARIANT_PENDED // ARMv8-M only (CM_FAULT_EXC_NAMES)
                                      "\0SecureFault"
#endif
    ;

static const char *exc_name(uint32_t exc)
{
    return exc - 3u < CM_FAULT_EXC_NAMES ? knth(fault_exc_names, exc - 3u) : "exception";
}

// CFSR bits 0-25 in bit order, "" for a bit that is reserved or says only that an address
// register is valid (MMARVALID, BFARVALID: the address line covers them).
static const char cfsr_names[] = "instruction fetch from a protected address (IACCVIOL)\0"
                                 "data access to a protected address (DACCVIOL)\0"
                                 "\0"
                                 "MPU fault unstacking on exception return (MUNSTKERR)\0"
                                 "MPU fault stacking on exception entry (MSTKERR)\0"
                                 "\0\0\0"
                                 "bus error on instruction fetch (IBUSERR)\0"
                                 "precise data bus error (PRECISERR)\0"
                                 "imprecise data bus error (IMPRECISERR)\0"
                                 "bus fault unstacking on exception return (UNSTKERR)\0"
                                 "bus fault stacking on exception entry (STKERR)\0"
                                 "\0\0\0"
                                 "undefined instruction (UNDEFINSTR)\0"
                                 "invalid state, e.g. ARM mode or bad xPSR (INVSTATE)\0"
                                 "invalid exception return (INVPC)\0"
                                 "coprocessor access (NOCP)\0"
#if CM_SHCSR_VARIANT_PENDED // ARMv8-M only (never set on ARMv7-M)
                                 "stack limit register violated (STKOF)"
#endif
                                 "\0\0\0\0"
                                 "unaligned access (UNALIGNED)\0"
                                 "divide by zero (DIVBYZERO)";

// Through kprintf, which is synchronous once a panic path called debug_go_sync.
static void print_status(uint32_t exc, uint32_t cfsr, uint32_t hfsr, uint32_t mmfar, uint32_t bfar)
{
    kprintf("  cause: %s, CFSR %p HFSR %p\n", exc_name(exc), KADDR(cfsr), KADDR(hfsr));
    cm_print_bits(cfsr, cfsr_names, 26, CM_BIT_LINE);
    // HFSR's FORCED (30), DEBUGEVT (31) and VECTTBL (1), in that order.
    cm_print_bits(hfsr >> 30 | (hfsr & HFSR_VECTTBL) << 1,
                  "escalated to HardFault (FORCED)\0debug event, e.g. bkpt (DEBUGEVT)\0"
                  "vector table read failed (VECTTBL)",
                  3, CM_BIT_LINE);
    if (cfsr & (CFSR_MMARVALID | CFSR_BFARVALID))
        kprintf("  faulting address: %p (%s)\n", KADDR(cfsr & CFSR_MMARVALID ? mmfar : bfar),
                cfsr & CFSR_MMARVALID ? "MMFAR" : "BFAR");
    else
        kprintf("  faulting address: not recorded by the hardware\n");
}

void arch_fault_print(void)
{
    print_status(last_fault.exc, last_fault.cfsr, last_fault.hfsr, last_fault.mmfar,
                 last_fault.bfar);
    cm_variant_fault_print(last_fault.vstatus, last_fault.vaddr);
    uint32_t p = last_fault.pended;
    if (p & SCB_SHCSR_SVCALLPENDED)
        kprintf("  the fault hit while stacking an svc: its pending SVCall was cleared\n");
    // MEMFAULTPENDED (13), BUSFAULTPENDED (14), USGFAULTPENDED (12), in that order.
    cm_print_bits((p >> 13 & 3u) | (p >> 12 & 1u) << 2, knth(fault_exc_names, 1), 3,
                  "  also pending, cleared: %s\n");
}

bool cm_frame_readable(uint32_t sp)
{
    return sp >= (uint32_t)(uintptr_t)__ram_start && sp <= (uint32_t)(uintptr_t)__ram_end - 32 &&
           (sp & 3u) == 0;
}

_Noreturn void cm_kernel_fault(uint32_t *frame, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    uint32_t exc = ipsr & SCB_ICSR_VECTACTIVE_MSK;
    uint32_t sp = (uint32_t)(uintptr_t)frame;
    debug_go_sync(); // everything below is written straight to the UART
    kprintf("\n*** Cairn kernel fault: %s ***\n", exc_name(exc));
    print_status(exc, SCB->cfsr, SCB->hfsr, SCB->mmfar, SCB->bfar);
    uint32_t vaddr = 0, vstatus = cm_variant_fault_capture(&vaddr);
    cm_variant_fault_print(vstatus, vaddr);
    if (sp < (uint32_t)(uintptr_t)__kstack_bottom)
        kprintf("  kernel stack overflow: sp %p is below the stack (guard at %p)\n", KADDR(sp),
                (void *)__ram_start);
    if (cm_frame_readable(sp) && sp >= (uint32_t)(uintptr_t)__kstack_bottom)
        cm_print_regs(frame, 0, 8);
    else
        kprintf("  exception frame at %p cannot be read\n", KADDR(sp));
    cm_print_regs(cm_panic_r4_r11, 8, 8);
    kprintf("  sp   %p  exc_return %p\n", KADDR(sp), KADDR(exc_return));
    kernel_panic(__FILE__, __LINE__, "fault in kernel code");
}

void arch_panic_dump(void)
{
    uint32_t sp, lr, ipsr, control, primask;
    __asm volatile("mov %0, sp\n mov %1, lr\n mrs %2, ipsr\n mrs %3, control\n mrs %4, primask"
                   : "=r"(sp), "=r"(lr), "=r"(ipsr), "=r"(control), "=r"(primask));
    kprintf_sync("  sp %p  lr %p  ipsr %u  control 0x%x  primask %u\n", KADDR(sp), KADDR(lr),
                 (unsigned)(ipsr & SCB_ICSR_VECTACTIVE_MSK), (unsigned)control, (unsigned)primask);
    kprintf("  kernel stack: %u B never used\n", (unsigned)arch_kernel_stack_unused());
    uint32_t cfsr = SCB->cfsr, hfsr = SCB->hfsr;
    if (cfsr || hfsr)
        print_status(ipsr & SCB_ICSR_VECTACTIVE_MSK, cfsr, hfsr, SCB->mmfar, SCB->bfar);
    else
        kprintf("  CFSR 0 HFSR 0: no CPU fault recorded\n");
}

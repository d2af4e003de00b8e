// SPDX-License-Identifier: Apache-2.0
// Cortex-M reset path and vector table: C runtime setup, then the board's main.
#include <stdint.h>

#include "cm.h"

extern uint32_t __kstack_top[];
extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];

// Provided by the board: wires chips and capsules, then runs the kernel loop.
_Noreturn void board_main(void);

_Noreturn void cm_reset_handler(void);
_Noreturn void cm_reset_handler(void)
{
    // Linker symbols delimit the sections: compare addresses, not distinct objects.
    uint32_t *s = __data_load;
    for (uintptr_t d = (uintptr_t)__data_start; d < (uintptr_t)__data_end; d += 4)
        *(uint32_t *)d = *s++;
    for (uintptr_t d = (uintptr_t)__bss_start; d < (uintptr_t)__bss_end; d += 4)
        *(uint32_t *)d = 0;
    cm_paint_kernel_stack();
    board_main();
}

typedef void (*vector_fn)(void);

// Exceptions 1-15 then the external lines; every line goes to the generic top half.
// NMI, DebugMon and PendSV are never raised by Cairn: they take the fault path. Vector 7
// is SecureFault on ARMv8-M with the Security Extension (reserved on ARMv7-M).
__attribute__((section(".vectors"),
               used)) static const vector_fn cm_vectors[16 + 32 * CM_IRQ_WORDS] = {
    [0] = (vector_fn)(uintptr_t)__kstack_top,
    [1] = (vector_fn)cm_reset_handler,
    [2] = cm_fault_handler,
    [3] = cm_fault_handler,
    [4] = cm_fault_handler,
    [5] = cm_fault_handler,
    [6] = cm_fault_handler,
    [7] = cm_fault_handler,
    [11] = cm_svc_handler,
    [12] = cm_fault_handler,
    [14] = cm_fault_handler,
    [15] = cm_systick_handler,
    [16 ... 16 + 32 * CM_IRQ_WORDS - 1] = cm_irq_handler,
};

// SPDX-License-Identifier: Apache-2.0
// Internal interfaces between the Cortex-M port's files (not for the portable kernel).
#ifndef CAIRN_CM_H
#define CAIRN_CM_H

#include <stdbool.h>
#include <stdint.h>

// Core clock of the board in MHz (SysTick runs from it). mps2 boards: 25 MHz.
#ifndef CM_CORE_MHZ
#define CM_CORE_MHZ 25u
#endif

void cm_mpu_init(void);
void cm_paint_kernel_stack(void);
uint32_t cm_frame_word(uint32_t psp, unsigned idx);
// True if an exception frame at sp may be read without faulting the kernel.
bool cm_frame_readable(uint32_t sp);

// Entry points named in the vector table (switch.S and fault.c).
void cm_svc_handler(void);
void cm_systick_handler(void);
void cm_irq_handler(void);
void cm_fault_handler(void);
void cm_record_process_fault(void);
_Noreturn void cm_kernel_fault(uint32_t *frame, uint32_t exc_return);

#endif

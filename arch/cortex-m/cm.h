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
// Print n registers in rows of four: words[i] named "r0".."r3", "r12", "lr", "pc", "xpsr"
// for first = 0 (an exception frame), "r4".."r11" for first = 8.
void cm_print_regs(const uint32_t *words, unsigned first, unsigned n);
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

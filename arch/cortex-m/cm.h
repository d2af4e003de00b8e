// SPDX-License-Identifier: Apache-2.0
// Internal interfaces between the Cortex-M port's files (not for the portable kernel).
#ifndef CAIRN_CM_H
#define CAIRN_CM_H

// The constants are shared with switch.S, which includes this file too.
// Core clock of the board in MHz (SysTick runs from it). mps2-an385: 25 MHz; boards with
// another clock say so in BOARD_CFLAGS.
#ifndef CM_CORE_MHZ
#define CM_CORE_MHZ 25u
#endif

// Peripheral interrupt lines the port handles, in words of 32: lines 0 .. 32 * words - 1
// have a vector and a bit in cm_irq_fired. mps2-an385 has 32 lines; a board with more
// says so in BOARD_CFLAGS (also seen by switch.S).
#ifndef CM_IRQ_WORDS
#define CM_IRQ_WORDS 1
#endif

// The TBF Permissions filter (boards/common/features.mk), as kernel/process.h defaults it:
// switch.S sends a failed frame check to C only when it is built in.
#ifndef CAIRN_FEATURE_PERMISSIONS
#define CAIRN_FEATURE_PERMISSIONS 1
#endif

// Offsets in the kernel's struct process (kernel/process.h) that the syscall fast path in
// switch.S uses; cm.c checks each against offsetof. The control block starts with the
// context, so cm_cur_ctx points at both.
#define CM_PCB_MEM_START 40 // then frame_limit at 44: the frame check, one ldrd
#define CM_PCB_ID        52
#define CM_PCB_STATE     56 // then mpu_dirty at 57: one halfword, 0 = resume
#define CM_PCB_SYSCALLS  60 // then last_syscall at 64: one strd

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

// ---- What the variant folder (BOARD_ARCH_VARIANT: v7m, v8m) provides ----------------------
// Fixed MPU regions and the MPU on, at boot.
void cm_mpu_init(void);
// Variant-specific exception setup, after the common one (e.g. SecureFault on ARMv8-M).
void cm_variant_init(void);
// Read and clear the variant's own fault status at a fault (ARMv8-M: SFSR, with SFAR in
// *addr); 0 if it has none.
uint32_t cm_variant_fault_capture(uint32_t *addr);
// Describe what cm_variant_fault_capture returned (through kprintf, synchronous on the
// panic paths); prints nothing for 0.
void cm_variant_fault_print(uint32_t status, uint32_t addr);

// ---- Common files ----------------------------------------------------------------------------
void cm_paint_kernel_stack(void);
// Print n registers in rows of four: words[i] named "r0".."r3", "r12", "lr", "pc", "xpsr"
// for first = 0 (an exception frame), "r4".."r11" for first = 8.
void cm_print_regs(const uint32_t *words, unsigned first, unsigned n);
// kprintf(fmt, name) for each bit i < n set in v, name the i-th string of names (knth),
// skipped when empty: names with an entry per bit from bit 0 decode a status register.
void cm_print_bits(uint32_t v, const char *names, unsigned n, const char *fmt);
// The line of one decoded status bit, under its register's line.
#define CM_BIT_LINE "    - %s\n"
// Exception numbers 3.. with a name (HardFault to UsageFault; ARMv8-M: SecureFault too).
#define CM_FAULT_EXC_NAMES (CM_SHCSR_VARIANT_PENDED ? 5u : 4u)
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

#endif

// SPDX-License-Identifier: Apache-2.0
// Internal interfaces of the RISC-V port: CSR access, board constants, files' entry points.
#ifndef CAIRN_RV_H
#define CAIRN_RV_H

#include <stdbool.h>
#include <stdint.h>

// Board constants (BOARD_CFLAGS in boards/BOARD/board.mk): where the platform put the
// machine timer and the interrupt controller, and how fast mtime counts.
#ifndef RV_CLINT_BASE
#error "RV_CLINT_BASE: the board must say where the CLINT (mtime, mtimecmp) is"
#endif
#ifndef RV_PLIC_BASE
#error "RV_PLIC_BASE: the board must say where the PLIC is"
#endif
#ifndef RV_MTIME_HZ
#error "RV_MTIME_HZ: the board must say how fast mtime counts"
#endif
#define RV_MTIME_PER_US (RV_MTIME_HZ / 1000000u)

#define CSR_READ(csr)                                                                              \
    ({                                                                                             \
        uint32_t v_;                                                                               \
        __asm__ volatile("csrr %0, " #csr : "=r"(v_));                                             \
        v_;                                                                                        \
    })
#define CSR_WRITE(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"r"((uint32_t)(v)) : "memory")
#define CSR_SET(csr, v)   __asm__ volatile("csrs " #csr ", %0" ::"r"((uint32_t)(v)) : "memory")
#define CSR_CLEAR(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"r"((uint32_t)(v)) : "memory")

#define MSTATUS_MIE  (1u << 3)
#define MSTATUS_MPIE (1u << 7)
#define MSTATUS_MPP  (3u << 11)
#define MSTATUS_MPRV (1u << 17)
#define MSTATUS_TW   (1u << 21)

#define MIE_MTIE (1u << 7)
#define MIE_MEIE (1u << 11)

#define MCAUSE_INTERRUPT 0x80000000u
#define MCAUSE_CODE(c)   ((c)&0x7FFFFFFFu)
#define IRQ_M_TIMER      7u
#define IRQ_M_EXTERNAL   11u
#define EXC_ECALL_U      8u

// Interrupt line numbers are PLIC source numbers (1..31). Source 0 does not exist on the
// PLIC, so line 0 is the machine timer's alarm (see mtimer.c).
#define RV_IRQ_MTIMER 0u
#define RV_IRQ_LINES  32u

// Lines whose top half ran and whose bottom half is due (bit n = line n). Written by top
// halves with interrupts off, cleared by the kernel with interrupts masked.
extern volatile uint32_t rv_irq_fired;

// trap.S
void rv_trap_entry(void);

// Top halves, called from trap code with interrupts off. rv_timer_isr returns true if
// the running process's timeslice ran out.
bool rv_timer_isr(void);
void rv_plic_isr(void);
void rv_plic_init(void);
void rv_plic_enable(unsigned irq);
void rv_plic_disable(unsigned irq);
// Unmask every wanted line whose bottom half has run (interrupts masked by the caller).
void rv_plic_refresh(void);

void rv_timer_init(void);
uint64_t rv_mtime(void);
// The alarm deadline shares mtimecmp with the timeslice (mtimer.c keeps the earlier one).
void rv_timer_set_alarm(uint64_t deadline);
void rv_timer_clear_alarm(void);

void rv_pmp_init(void);
void rv_paint_kernel_stack(void);

// fault.c: the last process fault, recorded by the trap code.
void rv_record_process_fault(uint32_t mcause, uint32_t mtval, uint32_t mepc);
_Noreturn void rv_kernel_fault(uint32_t *regs);

// The board ends the emulator run (test device) when arch_exit is called.
void rv_set_exit_hook(void (*hook)(int code));

#endif

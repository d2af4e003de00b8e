// SPDX-License-Identifier: Apache-2.0
// Cortex-M system registers common to ARMv7-M and ARMv8-M (SCB, NVIC, SysTick) as typed
// structs and named fields; the MPU's, which differ, are in the variant folders.
#ifndef CAIRN_CM_REGS_H
#define CAIRN_CM_REGS_H

#include <stdint.h>

#define REG32 volatile uint32_t

struct scb_regs {
    REG32 cpuid; // 0xE000ED00
    REG32 icsr;
    REG32 vtor;
    REG32 aircr;
    REG32 scr;
    REG32 ccr;
    REG32 shpr[3]; // system handler priorities, byte per handler 4..15
    REG32 shcsr;
    REG32 cfsr;
    REG32 hfsr;
    REG32 dfsr;
    REG32 mmfar;
    REG32 bfar;
    REG32 afsr;
};
#define SCB ((struct scb_regs *)0xE000ED00u)

#define SCB_SHCSR_MEMFAULTENA       (1u << 16)
#define SCB_SHCSR_BUSFAULTENA       (1u << 17)
#define SCB_SHCSR_USGFAULTENA       (1u << 18)
#define SCB_SHCSR_USGFAULTPENDED    (1u << 12)
#define SCB_SHCSR_MEMFAULTPENDED    (1u << 13)
#define SCB_SHCSR_BUSFAULTPENDED    (1u << 14)
#define SCB_SHCSR_SVCALLPENDED      (1u << 15)
#define SCB_SHCSR_SECUREFAULTENA    (1u << 19) // ARMv8-M with the Security Extension
#define SCB_SHCSR_SECUREFAULTPENDED (1u << 20)
#define SCB_CCR_STKALIGN            (1u << 9)
#define SCB_CCR_DIV_0_TRP           (1u << 4)
#define SCB_CCR_UNALIGN_TRP         (1u << 3)
#define SCB_SCR_SLEEPDEEP           (1u << 2)
#define SCB_ICSR_VECTACTIVE_MSK     0x1FFu
#define SCB_ICSR_PENDSTCLR          (1u << 25)

// CFSR = MMFSR (bits 7:0) | BFSR (15:8) | UFSR (31:16).
#define CFSR_IACCVIOL    (1u << 0)
#define CFSR_DACCVIOL    (1u << 1)
#define CFSR_MUNSTKERR   (1u << 3)
#define CFSR_MSTKERR     (1u << 4)
#define CFSR_MMARVALID   (1u << 7)
#define CFSR_IBUSERR     (1u << 8)
#define CFSR_PRECISERR   (1u << 9)
#define CFSR_IMPRECISERR (1u << 10)
#define CFSR_UNSTKERR    (1u << 11)
#define CFSR_STKERR      (1u << 12)
#define CFSR_BFARVALID   (1u << 15)
#define CFSR_UNDEFINSTR  (1u << 16)
#define CFSR_INVSTATE    (1u << 17)
#define CFSR_INVPC       (1u << 18)
#define CFSR_NOCP        (1u << 19)
#define CFSR_STKOF       (1u << 20) // ARMv8-M only (reserved, never set, on ARMv7-M)
#define CFSR_UNALIGNED   (1u << 24)
#define CFSR_DIVBYZERO   (1u << 25)
#define HFSR_VECTTBL     (1u << 1)
#define HFSR_FORCED      (1u << 30)
#define HFSR_DEBUGEVT    (1u << 31)
// DFSR: debug events (sticky, write 1 to clear); BKPT sets bit 1 even without a debugger.
#define DFSR_ALL 0x1Fu

// System handler priority byte index in shpr[] bytes (handler number - 4).
#define SHPR_IDX_MEMMANAGE 0
#define SHPR_IDX_BUSFAULT  1
#define SHPR_IDX_USAGE     2
#define SHPR_IDX_SECURE    3 // ARMv8-M SecureFault
#define SHPR_IDX_SVCALL    7
#define SHPR_IDX_PENDSV    10
#define SHPR_IDX_SYSTICK   11

struct nvic_regs {
    REG32 iser[8]; // 0xE000E100
    uint32_t _r0[24];
    REG32 icer[8]; // 0xE000E180
    uint32_t _r1[24];
    REG32 ispr[8]; // 0xE000E200
    uint32_t _r2[24];
    REG32 icpr[8]; // 0xE000E280
    uint32_t _r3[24];
    REG32 iabr[8]; // 0xE000E300
    uint32_t _r4[56];
    volatile uint8_t ipr[240]; // 0xE000E400
};
#define NVIC ((struct nvic_regs *)0xE000E100u)

struct systick_regs {
    REG32 csr; // 0xE000E010
    REG32 rvr;
    REG32 cvr;
    REG32 calib;
};
#define SYSTICK               ((struct systick_regs *)0xE000E010u)
#define SYSTICK_CSR_ENABLE    (1u << 0)
#define SYSTICK_CSR_TICKINT   (1u << 1)
#define SYSTICK_CSR_CLKSOURCE (1u << 2)
#define SYSTICK_CSR_COUNTFLAG (1u << 16)
#define SYSTICK_MAX_RELOAD    0x00FFFFFFu

// CONTROL register bits.
#define CONTROL_NPRIV (1u << 0)

#endif

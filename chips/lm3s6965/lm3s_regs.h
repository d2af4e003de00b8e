// SPDX-License-Identifier: Apache-2.0
// Register layouts of the TI Stellaris LM3S6965 peripherals Cairn drives (datasheet names).
#ifndef CAIRN_LM3S_REGS_H
#define CAIRN_LM3S_REGS_H

#include <stdint.h>

#define REG32 volatile uint32_t

// ---- System control (0x400FE000) ---------------------------------------------------------
#define SYSCTL_BASE      0x400FE000u
#define SYSCTL_RIS       (*(REG32 *)(SYSCTL_BASE + 0x050))
#define SYSCTL_RCC       (*(REG32 *)(SYSCTL_BASE + 0x060))
#define SYSCTL_RCGC0     (*(REG32 *)(SYSCTL_BASE + 0x100))
#define SYSCTL_RCGC1     (*(REG32 *)(SYSCTL_BASE + 0x104))
#define SYSCTL_RCGC2     (*(REG32 *)(SYSCTL_BASE + 0x108))
#define RIS_PLLLRIS      (1u << 6)
#define RCC_BYPASS       (1u << 11)
#define RCC_PWRDN        (1u << 13)
#define RCC_USESYSDIV    (1u << 22)
#define RCC_XTAL_MASK    (0xFu << 6)
#define RCC_XTAL_8MHZ    (0xEu << 6)
#define RCC_OSCSRC_MASK  (3u << 4)
#define RCC_MOSCDIS      (1u << 0)
#define RCC_SYSDIV_SHIFT 23
#define RCC_SYSDIV_MASK  (0xFu << RCC_SYSDIV_SHIFT)
#define RCGC0_WDT        (1u << 3)
#define RCGC1_UART0      (1u << 0)
#define RCGC1_TIMER0     (1u << 16)

// ---- PL011 UART ----------------------------------------------------------------------------
struct pl011_regs {
    REG32 dr;  // 0x000: data (write transmits, read takes the received byte)
    REG32 rsr; // 0x004: receive status / error clear
    uint32_t _r0[4];
    REG32 fr; // 0x018: flags
    uint32_t _r1;
    REG32 ilpr; // 0x020
    REG32 ibrd; // 0x024: integer baud divisor
    REG32 fbrd; // 0x028: fractional baud divisor (64ths)
    REG32 lcrh; // 0x02C: line control
    REG32 cr;   // 0x030: control
    REG32 ifls; // 0x034
    REG32 imsc; // 0x038: interrupt mask (1 = enabled)
    REG32 ris;  // 0x03C
    REG32 mis;  // 0x040
    REG32 icr;  // 0x044: write 1 to clear
};
#define PL011_FR_RXFE    (1u << 4)
#define PL011_FR_TXFF    (1u << 5)
#define PL011_LCRH_WLEN8 (3u << 5)
#define PL011_CR_UARTEN  (1u << 0)
#define PL011_CR_TXE     (1u << 8)
#define PL011_CR_RXE     (1u << 9)
#define PL011_INT_RX     (1u << 4)
#define PL011_INT_TX     (1u << 5)
#define PL011_INT_RT     (1u << 6)
#define PL011_INT_ERR    (0xFu << 7) // framing, parity, break, overrun

// ---- General-purpose timer (GPTM) ----------------------------------------------------------
struct gptm_regs {
    REG32 cfg;  // 0x00: 0 = 32-bit timer
    REG32 tamr; // 0x04: 1 = one-shot, 2 = periodic
    REG32 tbmr; // 0x08
    REG32 ctl;  // 0x0C: TAEN bit 0
    uint32_t _r0[2];
    REG32 imr;   // 0x18: TATOIM bit 0
    REG32 ris;   // 0x1C
    REG32 mis;   // 0x20
    REG32 icr;   // 0x24
    REG32 tailr; // 0x28: interval load
};
#define GPTM_TAMR_ONESHOT 1u
#define GPTM_CTL_TAEN     (1u << 0)
#define GPTM_INT_TATO     (1u << 0)

// ---- Watchdog timer (0x40000000) ----------------------------------------------------------
struct wdt_regs {
    REG32 load;  // 0x000
    REG32 value; // 0x004: the down counter (read-only)
    REG32 ctl;   // 0x008: INTEN bit 0 starts the counter (and cannot be cleared), RESEN bit 1
    REG32 icr;   // 0x00C
    REG32 ris;   // 0x010
};
#define WDT_CTL_INTEN (1u << 0)

// ---- PL061 GPIO port -----------------------------------------------------------------------
// DATA is 256 words: address bits [9:2] mask which pins a read sees or a write changes.
struct pl061_regs {
    REG32 data[256]; // 0x000-0x3FC
    REG32 dir;       // 0x400: 1 = output
    REG32 is;        // 0x404: 1 = level-sensitive
    REG32 ibe;       // 0x408: 1 = both edges
    REG32 iev;       // 0x40C: 1 = rising (or high)
    REG32 im;        // 0x410: 1 = interrupt enabled
    REG32 ris;       // 0x414
    REG32 mis;       // 0x418
    REG32 icr;       // 0x41C
    REG32 afsel;     // 0x420
    uint32_t _r0[55];
    REG32 dr2r; // 0x500
    REG32 dr4r; // 0x504
    REG32 dr8r; // 0x508
    REG32 odr;  // 0x50C
    REG32 pur;  // 0x510: pull-up
    REG32 pdr;  // 0x514: pull-down
    REG32 slr;  // 0x518
    REG32 den;  // 0x51C: digital enable
};

#endif

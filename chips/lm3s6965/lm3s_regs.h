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
#define RCGC1_TIMER1     (1u << 17)
#define RCGC1_SSI0       (1u << 4)
#define RCGC1_I2C0       (1u << 12)
#define RCGC0_ADC        (1u << 16)

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
#define GPTM_TAMR_ONESHOT  1u
#define GPTM_TAMR_PERIODIC 2u
#define GPTM_CTL_TAEN      (1u << 0)
#define GPTM_CTL_TAOTE     (1u << 5) // timer A's timeout triggers the ADC
#define GPTM_INT_TATO      (1u << 0)

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

// ---- I2C master (I2C0 0x40020000) ---------------------------------------------------------
struct i2c_regs {
    REG32 msa;  // 0x00: slave address << 1 | R/S (1 = receive)
    REG32 mcs;  // 0x04: write: command bits; read: status bits
    REG32 mdr;  // 0x08: data
    REG32 mtpr; // 0x0C: SCL period divider
    REG32 mimr; // 0x10: interrupt mask
    REG32 mris; // 0x14
    REG32 mmis; // 0x18
    REG32 micr; // 0x1C: write 1 to clear
    REG32 mcr;  // 0x20: MFE (bit 4) enables the master
};
#define I2C_MCS_RUN    (1u << 0) // write: transfer one byte
#define I2C_MCS_START  (1u << 1)
#define I2C_MCS_STOP   (1u << 2)
#define I2C_MCS_ACK    (1u << 3) // receive: acknowledge the byte (more follow)
#define I2C_MCS_BUSY   (1u << 0) // read: the controller is busy
#define I2C_MCS_ERROR  (1u << 1) // read: the last step failed (NACK or lost arbitration)
#define I2C_MCS_ADRACK (1u << 2)
#define I2C_MCS_DATACK (1u << 3)
#define I2C_MCS_ARBLST (1u << 4)
#define I2C_MCR_MFE    (1u << 4)

// ---- SSI (PL022, SSI0 0x40008000) --------------------------------------------------------
struct ssi_regs {
    REG32 cr0;  // 0x00: SCR [15:8], SPH, SPO, FRF, DSS [3:0] (size - 1)
    REG32 cr1;  // 0x04: SSE bit 1 enables
    REG32 dr;   // 0x08
    REG32 sr;   // 0x0C
    REG32 cpsr; // 0x10: clock prescale (even, 2-254)
    REG32 im;   // 0x14
    REG32 ris;  // 0x18
    REG32 mis;  // 0x1C
    REG32 icr;  // 0x20
};
#define SSI_CR1_SSE (1u << 1)
#define SSI_SR_TFE  (1u << 0) // transmit FIFO empty
#define SSI_SR_TNF  (1u << 1) // transmit FIFO not full
#define SSI_SR_RNE  (1u << 2) // receive FIFO not empty
#define SSI_SR_BSY  (1u << 4)
#define SSI_INT_TX  (1u << 3) // transmit FIFO half empty or less
#define SSI_FIFO    8u

// ---- ADC (0x40038000), sample sequencer 3 only -------------------------------------------
struct adc_regs {
    REG32 actss; // 0x00: sequencer n active (bit n)
    REG32 ris;   // 0x04
    REG32 im;    // 0x08
    REG32 isc;   // 0x0C: write 1 to clear
    REG32 ostat; // 0x10: FIFO overflow (write 1 to clear)
    REG32 emux;  // 0x14: trigger of sequencer n in nibble n (5 = timer)
    REG32 ustat; // 0x18: FIFO underflow
    uint32_t _r0;
    REG32 sspri; // 0x20
    uint32_t _r1;
    REG32 pssi; // 0x28: processor trigger (not modelled by QEMU 7.2)
    uint32_t _r2[5];
    struct {
        REG32 mux;   // +0x00: channel of each step
        REG32 ctl;   // +0x04: per step END, IE
        REG32 fifo;  // +0x08
        REG32 fstat; // +0x0C: EMPTY bit 8
        uint32_t _r[4];
    } ss[4]; // 0x40 + 0x20 * n
};
#define ADC_SSCTL_END0  (1u << 1)
#define ADC_SSCTL_IE0   (1u << 2)
#define ADC_FSTAT_EMPTY (1u << 8)
#define ADC_FSTAT_FULL  (1u << 12)
#define ADC_EMUX_TIMER  5u

#endif

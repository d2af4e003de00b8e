// SPDX-License-Identifier: Apache-2.0
// LM3S6965 system control: PLL start-up sequence and clock gates (datasheet section 6).
#include "lm3s_regs.h"
#include "sysctl.h"

uint32_t lm3s_sysctl_clock_init(unsigned sysdiv)
{
    // The datasheet's order: run from the raw oscillator while the PLL is reconfigured
    // (BYPASS, no divider), pick the crystal and the main oscillator, power the PLL up,
    // set the divider, wait for lock, then switch the core onto the PLL.
    uint32_t rcc = SYSCTL_RCC;
    rcc |= RCC_BYPASS;
    rcc &= ~RCC_USESYSDIV;
    SYSCTL_RCC = rcc;
    rcc &= ~(RCC_XTAL_MASK | RCC_OSCSRC_MASK | RCC_MOSCDIS | RCC_PWRDN | RCC_SYSDIV_MASK);
    rcc |= RCC_XTAL_8MHZ | ((uint32_t)sysdiv << RCC_SYSDIV_SHIFT) | RCC_USESYSDIV;
    SYSCTL_RCC = rcc;
    // QEMU raises the lock flag as soon as PWRDN falls; the silicon within 0.5 ms.
    while (!(SYSCTL_RIS & RIS_PLLLRIS))
        ;
    SYSCTL_RCC = rcc & ~RCC_BYPASS;
    return 200000000u / (sysdiv + 1u);
}

void lm3s_sysctl_enable_peripherals(void)
{
    SYSCTL_RCGC0 |= RCGC0_WDT;
    SYSCTL_RCGC1 |= RCGC1_UART0 | RCGC1_TIMER0;
    SYSCTL_RCGC2 |= 0x7Fu; // GPIO ports A-G
    // The gates take a few cycles to open before the registers answer.
    for (volatile int i = 0; i < 4; i++)
        ;
}

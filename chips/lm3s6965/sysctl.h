// SPDX-License-Identifier: Apache-2.0
// LM3S6965 system control: the system clock from the PLL and the peripheral clock gates.
#ifndef CAIRN_LM3S_SYSCTL_H
#define CAIRN_LM3S_SYSCTL_H

#include <stdint.h>

// Run the core from the 200 MHz PLL output divided by sysdiv + 1 (8 MHz crystal, as on the
// evaluation board) and wait for the PLL to lock. sysdiv 7 gives 25 MHz. Returns the
// resulting clock in Hz. pre: sysdiv >= 3 (the part's limit is 50 MHz).
uint32_t lm3s_sysctl_clock_init(unsigned sysdiv);

// Open the clock gates of the peripherals Cairn uses: watchdog, UART0, timer 0, and every
// GPIO port (QEMU ignores the gates; the silicon faults on a gated peripheral's registers).
void lm3s_sysctl_enable_peripherals(void);

#endif

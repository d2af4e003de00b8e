// SPDX-License-Identifier: Apache-2.0
// irq_once: counts the kernel's interrupt bottom halves around alarms that fire one by one.
//
// Alone on the board and silent while it measures, the app sleeps on IRQ_ONCE_ALARMS
// alarms, each set far enough ahead that the CPU idles until the timer interrupt. Every
// such alarm is one interrupt event, so the kernel must run exactly one bottom half for
// each (test driver command 7 counts them). A port that takes a stale pending state as a
// second exception services two per alarm. It prints
//   irq_once: N alarms, M bottom halves
// and tests/qemu/irq_once.test expects M == N.

#include <stdint.h>
#include <stdio.h>

#include "cairn.h"

#define TEST_DRIVER     0xCA170u
#define TEST_CMD_IRQS   7
#define IRQ_ONCE_ALARMS 10
#define IRQ_ONCE_MS     2

static uint32_t irqs(void)
{
    uint32_t n = 0;
    command_u32(command(TEST_DRIVER, TEST_CMD_IRQS, 0, 0), &n);
    return n;
}

int main(void)
{
    // Let the boot output drain first: its UART interrupts are not ours to count.
    delay_ms(20);
    uint32_t before = irqs();
    for (unsigned i = 0; i < IRQ_ONCE_ALARMS; i++)
        delay_ms(IRQ_ONCE_MS);
    uint32_t after = irqs();
    printf("irq_once: %u alarms, %lu bottom halves\n", (unsigned)IRQ_ONCE_ALARMS,
           (unsigned long)(after - before));
    return 0;
}

// SPDX-License-Identifier: Apache-2.0
// SiFive test finisher: one 32-bit register; low half = command, high half = exit code.
#include "test_finisher.h"

#define FINISHER_FAIL 0x3333u // QEMU exits with the code in the high half
#define FINISHER_PASS 0x5555u // QEMU exits with status 0

void sifive_test_finish(uintptr_t base, int code)
{
    volatile uint32_t *reg = (volatile uint32_t *)base;
    *reg = code == 0 ? FINISHER_PASS : ((uint32_t)(code & 0xFFFF) << 16) | FINISHER_FAIL;
}

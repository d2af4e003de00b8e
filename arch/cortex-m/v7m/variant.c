// SPDX-License-Identifier: Apache-2.0
// ARMv7-M variant hooks of the Cortex-M port: nothing beyond the common exception setup.
#include "cm.h"

void cm_variant_init(void) {}

uint32_t cm_variant_fault_capture(uint32_t *addr)
{
    *addr = 0;
    return 0;
}

void cm_variant_fault_print(uint32_t status, uint32_t addr)
{
    (void)status;
    (void)addr;
}

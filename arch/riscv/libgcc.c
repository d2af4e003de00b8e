// SPDX-License-Identifier: Apache-2.0
// The libgcc helpers the RISC-V kernel calls, smaller than libgcc's own (linked first).
//
// Compiled outside link-time optimisation (mk/kernel.mk): GCC emits these calls while it
// generates code, after LTO has dropped what looked unused, so they must be plain
// definitions the linker finds before -lgcc.
#include "bits.h"

int __ctzsi2(unsigned int x);

int __ctzsi2(unsigned int x)
{
    return (int)rv_ctz(x);
}

// SPDX-License-Identifier: Apache-2.0
// Count trailing zeros for RV32 without the bit-manipulation extension, in 32 bytes of table.
//
// The kernel's ready set and deferred calls use __builtin_ctz, which on RV32IMAC becomes a
// call to libgcc's __ctzsi2: branches and a 256-byte table shared with clz. arch/riscv/
// libgcc.c defines __ctzsi2 with this instead (de Bruijn sequence: the lowest set bit
// times 0x077CB531 puts a distinct 5-bit pattern in the top bits). Pure arithmetic,
// checked on the host against the compiler's (tests/host/test_rv_arith.c).
#ifndef CAIRN_RV_BITS_H
#define CAIRN_RV_BITS_H

#include <stdint.h>

// The number of trailing zero bits of x; 0 for x == 0 (__builtin_ctz leaves it undefined).
static inline unsigned rv_ctz(uint32_t x)
{
    static const uint8_t pos[32] = {0,  1,  28, 2,  29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4,  8,
                                    31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6,  11, 5,  10, 9};
    return pos[((x & (0u - x)) * 0x077CB531u) >> 27];
}

#endif

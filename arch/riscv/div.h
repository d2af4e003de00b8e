// SPDX-License-Identifier: Apache-2.0
// 64-by-32-bit division whose quotient fits 32 bits, without libgcc's 64-bit division.
//
// RV32 has no 64-bit divide: GCC calls __udivdi3 for one, which with its count-leading-
// zeros table is about 1.1 kB of flash. The timer's conversions divide a 64-bit tick count
// by a small constant where the quotient is known to fit 32 bits. Pure arithmetic, checked
// on the host against the compiler's 64-bit division (tests/host/test_rv_arith.c).
#ifndef CAIRN_RV_DIV_H
#define CAIRN_RV_DIV_H

#include <stdint.h>

// n / d, for d > 0 and n >> 32 < d (then the quotient is below 2^32). A dividend under
// 2^32, the usual case, takes one 32-bit division; a larger one, 32 shift-subtract steps.
// Outside the precondition the result is UINT32_MAX (the quotient would not fit).
static inline uint32_t rv_div_u64_u32(uint64_t n, uint32_t d)
{
    uint32_t hi = (uint32_t)(n >> 32), lo = (uint32_t)n;
    if (!hi)
        return lo / d;
    if (hi >= d)
        return UINT32_MAX;
    // Restoring division: (hi:lo) shifts left one bit a step; hi, the partial remainder,
    // stays below d, so the bit it shifts out (carry) means hi + 2^32 >= d.
    for (unsigned i = 0; i < 32; i++) {
        uint32_t carry = hi >> 31;
        hi = hi << 1 | lo >> 31;
        lo <<= 1;
        if (carry || hi >= d) {
            hi -= d;
            lo |= 1;
        }
    }
    return lo;
}

#endif

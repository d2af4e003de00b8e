// SPDX-License-Identifier: Apache-2.0
// Host tests of the RISC-V port's own arithmetic (arch/riscv/div.h, bits.h) against C's.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../../arch/riscv/bits.h"
#include "../../arch/riscv/div.h"

static void check(uint64_t n, uint32_t d)
{
    uint64_t want = n / d;
    if (want > UINT32_MAX || (n >> 32) >= d)
        want = UINT32_MAX; // outside the precondition: the saturated answer
    assert_int_equal(rv_div_u64_u32(n, d), (uint32_t)want);
}

// The timer's divisor (10 ticks a microsecond on qemu-rv32-virt) and others, at the edges
// of both paths: under 2^32, just above it, and the largest dividend whose quotient fits.
static void test_edges(void **state)
{
    (void)state;
    static const uint32_t ds[] = {1, 2, 3, 10, 16, 1000, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++) {
        uint32_t d = ds[i];
        uint64_t top = ((uint64_t)d << 32) - 1; // the largest n with n >> 32 < d
        static const uint64_t ns[] = {
            0, 1, 9, 10, 11, 0xFFFFFFFFu, 0x100000000ull, 0x100000001ull, 0x1FFFFFFFFull};
        for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++)
            check(ns[j], d);
        check(top, d);
        check(top - 1, d);
        check(top + 1, d); // out of range: saturates
        check(UINT64_MAX, d);
    }
}

// Random dividends below d << 32 (the precondition) and some above, for random divisors.
static void test_random(void **state)
{
    (void)state;
    srand(11);
    for (int i = 0; i < 2000000; i++) {
        uint64_t r = (uint64_t)rand() << 42 ^ (uint64_t)rand() << 21 ^ (uint64_t)rand();
        uint32_t d = (uint32_t)rand() >> (rand() % 31);
        if (!d)
            d = 10;
        uint64_t n = i % 8 ? r % ((uint64_t)d << 32) : r;
        check(n, d);
    }
}

// Every single bit, every value with a bit and all bits above it, and random values.
static void test_ctz(void **state)
{
    (void)state;
    assert_int_equal(rv_ctz(0), 0);
    for (unsigned b = 0; b < 32; b++) {
        assert_int_equal(rv_ctz(1u << b), b);
        assert_int_equal(rv_ctz(~0u << b), b);
    }
    srand(7);
    for (int i = 0; i < 1000000; i++) {
        uint32_t x = (uint32_t)rand() << 16 ^ (uint32_t)rand();
        x <<= rand() % 32;
        if (x)
            assert_int_equal(rv_ctz(x), (unsigned)__builtin_ctz(x));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_ctz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

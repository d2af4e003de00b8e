// SPDX-License-Identifier: Apache-2.0
// Host tests for the RISC-V PMP arithmetic (arch/riscv/pmp.c), checked against an independent PMP
// model.
//
// The model decodes raw pmpaddr/pmpcfg values the way the privileged spec defines PMP for a
// user-mode access: the lowest-numbered entry that matches decides; OFF matches nothing;
// TOR matches [pmpaddr[i-1] << 2, pmpaddr[i] << 2) (from 0 for entry 0); NA4 and NAPOT
// match their naturally aligned ranges; no match means no access (user mode). It restates
// the bit positions itself instead of using pmp.h, so a wrong constant or shift in the code
// under test shows up as a wrong access map. Every PMP boundary is a multiple of 4, so
// evaluating every 4-byte granule of a window around the regions checks every byte.
//
// The invariant: for every plan the code accepts, the process reaches exactly [ram,
// align4(brk)) read/write (never execute), exactly its flash read/execute (never write),
// and nothing else, in particular no byte at or above the kernel break; and a plan is
// refused only when the break's reach would pass the kernel break (or inputs are bad).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/riscv/pmp.h"

// ---- Reference model: RISC-V PMP, user-mode accesses ---------------------------------

#define M_R     0x01u
#define M_W     0x02u
#define M_X     0x04u
#define M_A_SH  3
#define M_A_OFF 0u
#define M_A_TOR 1u
#define M_A_NA4 2u
#define M_A_NAP 3u

struct access {
    bool r, w, x;
};

struct hw {
    uint32_t addr[16];
    uint8_t cfg[16];
};

// The registers as the port loads them: the plan's entries 1..4, entry 0 the locked guard.
static void load(struct hw *h, const struct pmp_config *c, uint32_t guard_base)
{
    memset(h, 0, sizeof *h);
    for (unsigned i = 1; i <= 4; i++)
        h->addr[i] = c->addr[i];
    h->addr[0] = (guard_base >> 2) | 3u; // NAPOT, 32 bytes
    for (unsigned i = 0; i < 4; i++)
        h->cfg[i] = (uint8_t)(c->cfg0 >> (8 * i));
    for (unsigned i = 0; i < 4; i++)
        h->cfg[4 + i] = (uint8_t)(c->cfg1 >> (8 * i));
    h->cfg[0] = 0x80u | (M_A_NAP << M_A_SH); // locked, no permissions
}

static bool matches(const struct hw *h, unsigned i, uint64_t a)
{
    uint32_t mode = (h->cfg[i] >> M_A_SH) & 3u;
    uint64_t top = (uint64_t)h->addr[i] << 2;
    switch (mode) {
    case M_A_TOR: {
        uint64_t bottom = i == 0 ? 0 : (uint64_t)h->addr[i - 1] << 2;
        return bottom <= a && a < top;
    }
    case M_A_NA4:
        return top <= a && a < top + 4;
    case M_A_NAP: {
        // Trailing ones in pmpaddr give the size: 2^(ones + 3) bytes.
        uint32_t v = h->addr[i];
        unsigned ones = 0;
        while (ones < 32 && (v >> ones) & 1u)
            ones++;
        uint64_t size = (uint64_t)1 << (ones + 3);
        uint64_t base = ((uint64_t)v << 2) & ~(size - 1);
        return base <= a && a < base + size;
    }
    default:
        return false;
    }
}

static struct access model(const struct hw *h, uint64_t a)
{
    for (unsigned i = 0; i < 16; i++)
        if (matches(h, i, a))
            return (struct access){h->cfg[i] & M_R, h->cfg[i] & M_W, h->cfg[i] & M_X};
    return (struct access){false, false, false}; // user mode, no entry: denied
}

// ---- checks --------------------------------------------------------------------------

#define GUARD 0x1000u // the kernel stack guard in these tests, far from every region

// Every granule of [lo, hi) plus a few far away: RW exactly on [ram, reach), RX exactly on
// [flash, flash_end), nothing elsewhere.
static void check_map(const struct pmp_config *c, uint32_t flash, uint32_t flash_len, uint32_t ram,
                      uint32_t reach, uint64_t lo, uint64_t hi)
{
    struct hw h;
    load(&h, c, GUARD);
    uint64_t fend = (uint64_t)flash + flash_len;
    for (uint64_t a = lo; a < hi; a += 4) {
        struct access x = model(&h, a);
        bool in_ram = a >= ram && a < reach;
        bool in_flash = a >= flash && a < fend;
        if (x.r != (in_ram || in_flash) || x.w != in_ram || x.x != in_flash)
            fail_msg("address 0x%llx: r%d w%d x%d, want ram %d flash %d (ram 0x%x reach 0x%x, "
                     "flash 0x%x+0x%x)",
                     (unsigned long long)a, x.r, x.w, x.x, in_ram, in_flash, ram, reach, flash,
                     flash_len);
    }
    static const uint64_t far[] = {0, 4, GUARD, GUARD + 28, 0x7FFFFFFC, 0xFFFFFFFC};
    for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
        struct access x = model(&h, far[i]);
        bool in_ram = far[i] >= ram && far[i] < reach;
        bool in_flash = far[i] >= flash && far[i] < fend;
        assert_int_equal(x.r, in_ram || in_flash);
        assert_int_equal(x.w, in_ram);
    }
}

static void test_model_decodes_hand_written_registers(void **state)
{
    (void)state;
    struct hw h = {0};
    h.addr[1] = 0x100 >> 2;
    h.addr[2] = 0x200 >> 2;
    h.cfg[2] = (M_A_TOR << M_A_SH) | M_R | M_X;
    h.addr[3] = (0x400 >> 2) | 1u; // NAPOT 16 bytes at 0x400
    h.cfg[3] = (M_A_NAP << M_A_SH) | M_R | M_W;
    assert_false(model(&h, 0xFC).r);
    assert_true(model(&h, 0x100).x);
    assert_true(model(&h, 0x1FC).r);
    assert_false(model(&h, 0x200).r);
    assert_true(model(&h, 0x40C).w);
    assert_false(model(&h, 0x410).r);
    // Entry 1 (OFF) supplies only the TOR bottom; an empty TOR range matches nothing.
    h.addr[2] = h.addr[1];
    assert_false(model(&h, 0x100).r);
}

// Every break in a block, every kernel break at or above its reach: the map is exact.
static void test_ram_plan_exposes_exactly_ram_to_brk(void **state)
{
    (void)state;
    static const uint32_t rams[] = {0x20000000u, 0x80300000u, 0x80300008u};
    static const uint32_t lens[] = {8, 64, 200, 1024};
    const uint32_t flash = 0x80100000u, flash_len = 0x400;
    for (size_t r = 0; r < sizeof rams / sizeof rams[0]; r++)
        for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
            uint32_t ram = rams[r], len = lens[l];
            for (uint32_t brk = ram; brk <= ram + len; brk++)
                for (uint32_t kbrk = brk; kbrk <= ram + len; kbrk += 4) {
                    struct pmp_config c = {0};
                    assert_true(pmp_plan_flash(&c, flash, flash_len));
                    uint32_t reach = pmp_ram_reach(brk);
                    bool ok = pmp_plan_ram(&c, ram, len, brk, kbrk);
                    // Refused exactly when the reach would pass the kernel break.
                    assert_int_equal(ok, reach <= kbrk);
                    if (!ok)
                        continue;
                    assert_true(reach >= brk && reach - brk < 4 && reach % 4 == 0);
                    check_map(&c, flash, flash_len, ram, reach, ram - 64, (uint64_t)ram + len + 64);
                }
        }
}

static void test_ram_plan_rejects_bad_inputs(void **state)
{
    (void)state;
    struct pmp_config c = {0}, before;
    memset(&c, 0x5A, sizeof c);
    before = c;
    assert_false(pmp_plan_ram(&c, 0x80300002u, 64, 0x80300002u, 0x80300040u));    // unaligned
    assert_false(pmp_plan_ram(&c, 0x80300000u, 64, 0x802FFFFCu, 0x80300040u));    // brk < ram
    assert_false(pmp_plan_ram(&c, 0x80300000u, 64, 0x80300000u, 0x80300044u));    // kbrk > end
    assert_false(pmp_plan_ram(&c, 0xFFFFFF00u, 0x100, 0xFFFFFF00u, 0xFFFFFF80u)); // wraps
    assert_false(pmp_plan_ram(&c, 0x80300000u, 64, 0x80300039u, 0x80300038u));    // reach > kbrk
    assert_memory_equal(&c, &before, sizeof c); // nothing written on refusal
}

// The break at its highest, then every grant allocation the kernel could make (kbrk down
// to the reach): the plan for the current break stays valid and exact.
static void test_grant_rule_keeps_every_state_plannable(void **state)
{
    (void)state;
    const uint32_t ram = 0x80310000u, len = 512;
    for (uint32_t brk = ram; brk <= ram + len; brk += 3) {
        uint32_t reach = pmp_ram_reach(brk);
        for (uint32_t kbrk = ram + len; kbrk >= reach && kbrk >= ram; kbrk -= 8) {
            struct pmp_config c = {0};
            assert_true(pmp_plan_flash(&c, 0x80110000u, 0x800));
            assert_true(pmp_plan_ram(&c, ram, len, brk, kbrk));
            check_map(&c, 0x80110000u, 0x800, ram, reach, ram - 16, (uint64_t)ram + len + 16);
            if (kbrk < 8)
                break;
        }
    }
}

static void test_flash_plan(void **state)
{
    (void)state;
    struct pmp_config c = {0};
    for (uint32_t len = 4; len <= 0x200; len += 4) {
        assert_true(pmp_plan_flash(&c, 0x80100000u, len));
        assert_true(pmp_plan_ram(&c, 0x80300000u, 64, 0x80300000u, 0x80300040u));
        check_map(&c, 0x80100000u, len, 0x80300000u, 0x80300000u, 0x800FFF00u, 0x80100300u);
    }
    assert_false(pmp_plan_flash(&c, 0x80100000u, 0));
    assert_false(pmp_plan_flash(&c, 0x80100002u, 8));
    assert_false(pmp_plan_flash(&c, 0x80100000u, 6));
    assert_false(pmp_plan_flash(&c, 0xFFFFFF00u, 0x200));
    // Up to the very top of the address space: pmpaddr 0x40000000 stands for 2^32.
    assert_true(pmp_plan_flash(&c, 0xFFFFFF00u, 0x100));
    assert_true(pmp_plan_ram(&c, 0x80300000u, 64, 0x80300000u, 0x80300040u));
    check_map(&c, 0xFFFFFF00u, 0x100, 0x80300000u, 0x80300000u, 0xFFFFFE00u, 0x100000000ull);
}

// Placement: the block holds want + kernel part, 8-aligned, inside the pool, as high as
// possible; untrusted sizes near 2^32 never wrap into a small block.
static void test_place_ram(void **state)
{
    (void)state;
    const uint32_t pool_start = 0x80201800u, pool_end = 0x80210000u;
    for (uint32_t want = 0; want < 0x400; want += 7)
        for (uint32_t kp = 0; kp < 0x300; kp += 56) {
            uint32_t s, l;
            bool ok = pmp_place_ram(pool_start, pool_end, want, kp, &s, &l);
            uint64_t need = ((uint64_t)want + kp + 7) & ~7ull;
            if (need == 0) {
                assert_false(ok);
                continue;
            }
            assert_true(ok);
            assert_true(s % 8 == 0 && l == need);
            assert_true(s >= pool_start && (uint64_t)s + l <= pool_end);
            assert_true((uint64_t)s + l + 8 > pool_end); // highest 8-aligned start
        }
    static const uint32_t huge[] = {0xFFFFFFFFu, 0xFFFFFFF9u, 0x80000000u, 0x7FFFFFFFu};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        uint32_t s, l;
        assert_false(pmp_place_ram(pool_start, pool_end, huge[i], 448, &s, &l));
        assert_false(pmp_place_ram(0, 0xFFFFF000u, huge[i], 0xFFFFFFFFu, &s, &l));
    }
    uint32_t s, l;
    // Exactly the pool: fits; one byte more: does not.
    assert_true(pmp_place_ram(0x80300000u, 0x80300100u, 0x100 - 0x40, 0x40, &s, &l));
    assert_int_equal(s, 0x80300000u);
    assert_false(pmp_place_ram(0x80300000u, 0x80300100u, 0x100 - 0x40 + 1, 0x40, &s, &l));
    // A block placed in [at, at + len) starts exactly at at (the loader's fixed-RAM rule).
    assert_true(pmp_place_ram(0x80330000u, 0x80330000u + 0x1230, 0x1000, 0x230, &s, &l));
    assert_int_equal(s, 0x80330000u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_decodes_hand_written_registers),
        cmocka_unit_test(test_ram_plan_exposes_exactly_ram_to_brk),
        cmocka_unit_test(test_ram_plan_rejects_bad_inputs),
        cmocka_unit_test(test_grant_rule_keeps_every_state_plannable),
        cmocka_unit_test(test_flash_plan),
        cmocka_unit_test(test_place_ram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

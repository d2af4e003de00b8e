// SPDX-License-Identifier: Apache-2.0
// Host tests for the PMSAv8 region arithmetic, checked against an independent MPU model.
//
// The model below decodes raw (RBAR, RLAR) pairs and MAIR0 the way an ARMv8-M PMSAv8 MPU
// does, for unprivileged and for privileged (PRIVDEFENA) accesses. It restates the
// architectural bit positions itself instead of using pmsav8.h, so a wrong constant or
// shift in the code under test shows up as a wrong access map. An address inside two
// enabled regions faults for everyone (PMSAv8 has no priority between regions); a region
// whose limit is below its base, an attribute index outside MAIR0 or a non-Normal
// attribute counts as a failure. Every region boundary is a multiple of 32 B, so the
// access map is constant between the boundaries of the enabled regions: evaluating the
// model once per interval gives the exact answer for every byte of the 4 GB space.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/cortex-m/pmsav8.h"

// ---- Reference model: ARMv8-M PMSAv8 ----------------------------------------------------

#define M_ADDR_LOW      0x1Fu // RBAR[4:0] / RLAR[4:0]: not address bits
#define M_RBAR_XN       0x1u  // RBAR[0]
#define M_RBAR_AP_SHIFT 1     // RBAR[2:1]
#define M_RBAR_SH_SHIFT 3     // RBAR[4:3]
#define M_RLAR_EN       0x1u  // RLAR[0]
#define M_RLAR_ATTR_SH  1     // RLAR[3:1]
#define M_ADDR_END      ((uint64_t)1 << 32)
#define M_MAX_REGIONS   8
#define M_MAX_CUTS      (2 * M_MAX_REGIONS + 2)

// The MAIR0 value the driver loads: attribute bytes 0-3. Attributes 4-7 (MAIR1) are never
// set, so an index there is a failure.
static const uint32_t model_mair0 = PMSAV8_MAIR0;

struct access {
    bool ur, uw, ux; // unprivileged read / write / execute
    bool pr, pw, px; // privileged
    bool dflt;       // privileged access through the default map (no region)
    bool normal;     // the region's memory type is Normal
    unsigned hits;   // enabled regions containing the address
    bool bad_config; // some enabled region is malformed or has an unusable attribute
};

static struct access model_access(const struct pmsav8_region *r, size_t n, uint64_t a)
{
    struct access acc = {0};
    size_t hit = n;
    for (size_t i = 0; i < n; i++) {
        if (!(r[i].rlar & M_RLAR_EN))
            continue;
        uint64_t base = r[i].rbar & ~M_ADDR_LOW, limit = (uint64_t)(r[i].rlar | M_ADDR_LOW);
        unsigned attr = (r[i].rlar >> M_RLAR_ATTR_SH) & 7u;
        if (limit < base || attr > 3)
            acc.bad_config = true;
        if (a >= base && a <= limit) {
            acc.hits++;
            hit = i;
        }
    }
    if (acc.hits > 1)
        return acc; // a fault for every access, privileged too
    if (acc.hits == 0) {
        // Unprivileged: no access. Privileged: the default map, where everything the
        // process pool and code flash live in is readable and writable.
        acc.dflt = true;
        acc.pr = acc.pw = acc.px = true;
        return acc;
    }
    uint32_t ap = (r[hit].rbar >> M_RBAR_AP_SHIFT) & 3u;
    bool xn = r[hit].rbar & M_RBAR_XN;
    unsigned attr = (r[hit].rlar >> M_RLAR_ATTR_SH) & 7u;
    uint32_t mair = attr <= 3 ? (model_mair0 >> (8 * attr)) & 0xFFu : 0;
    // Normal memory: outer nibble non-zero, and inner nibble non-zero (0x?0 is UNPREDICTABLE).
    acc.normal = (mair >> 4) != 0 && (mair & 0xFu) != 0;
    if (((r[hit].rbar >> M_RBAR_SH_SHIFT) & 3u) == 1u)
        acc.bad_config = true; // SH = 01 is reserved
    acc.pr = true;             // every AP value lets privileged code read
    acc.pw = (ap & 2u) == 0;   // AP[1] = 0: read/write
    acc.ur = (ap & 1u) != 0;   // AP[0] = 1: unprivileged too
    acc.uw = ap == 1u;
    acc.px = acc.pr && !xn;
    acc.ux = acc.ur && !xn;
    return acc;
}

// What a set of regions lets code do over [from, to).
struct summary {
    uint64_t lo, hi;     // lowest unprivileged-reachable byte, one past the highest
    uint64_t count;      // unprivileged-reachable bytes
    uint64_t ur, uw, ux; // unprivileged readable / writable / executable bytes
    uint64_t pr, pw, px; // privileged, counting the default map
    uint64_t overlap;    // bytes in two regions or more
    bool all_normal;     // every byte in a region is Normal memory
    bool bad_config;
};

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

static struct summary model_summary(const struct pmsav8_region *r, size_t n, uint64_t from,
                                    uint64_t to)
{
    uint64_t cuts[M_MAX_CUTS];
    size_t nc = 0;
    cuts[nc++] = from;
    cuts[nc++] = to;
    for (size_t i = 0; i < n; i++) {
        if (!(r[i].rlar & M_RLAR_EN))
            continue;
        uint64_t base = r[i].rbar & ~M_ADDR_LOW, end = (uint64_t)(r[i].rlar | M_ADDR_LOW) + 1;
        cuts[nc++] = base < from ? from : base > to ? to : base;
        cuts[nc++] = end < from ? from : end > to ? to : end;
    }
    qsort(cuts, nc, sizeof cuts[0], cmp_u64);
    struct summary s = {.lo = M_ADDR_END, .all_normal = true};
    for (size_t i = 0; i + 1 < nc; i++) {
        if (cuts[i] == cuts[i + 1])
            continue;
        uint64_t span = cuts[i + 1] - cuts[i];
        struct access a = model_access(r, n, cuts[i]);
        s.bad_config |= a.bad_config;
        if (a.hits > 1)
            s.overlap += span;
        if (a.hits == 1)
            s.all_normal &= a.normal;
        s.pr += a.pr ? span : 0;
        s.pw += a.pw ? span : 0;
        s.px += a.px ? span : 0;
        if (!a.ur && !a.uw && !a.ux)
            continue;
        if (cuts[i] < s.lo)
            s.lo = cuts[i];
        s.hi = cuts[i + 1];
        s.count += span;
        s.ur += a.ur ? span : 0;
        s.uw += a.uw ? span : 0;
        s.ux += a.ux ? span : 0;
    }
    if (s.count == 0)
        s.lo = s.hi = 0;
    return s;
}

// ---- Helpers -----------------------------------------------------------------------------

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            print_message("check failed: %s\n  ", #cond);                                          \
            print_message(__VA_ARGS__);                                                            \
            print_message("\n");                                                                   \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

static uint64_t round32(uint64_t x)
{
    return (x + 31u) & ~(uint64_t)31u;
}

// Recognisable words in every region, to prove "unchanged" and "untouched".
static struct pmsav8_config sentinel_config(void)
{
    struct pmsav8_config c = {
        .flash = {0x12345660u, 0x0000ABC0u},
        .ram = {0xDEADBEE0u, 0xBADC0DE0u},
        .code_lo = {0xFEEDFAC0u, 0x0DDBA110u},
        .code_hi = {0xCAFEF000u, 0x5EA5EA50u},
    };
    return c;
}

static bool region_eq(struct pmsav8_region a, struct pmsav8_region b)
{
    return a.rbar == b.rbar && a.rlar == b.rlar;
}

static bool config_eq(const struct pmsav8_config *a, const struct pmsav8_config *b)
{
    return region_eq(a->flash, b->flash) && region_eq(a->ram, b->ram) &&
           region_eq(a->code_lo, b->code_lo) && region_eq(a->code_hi, b->code_hi);
}

// ---- Model self-test ---------------------------------------------------------------------

// The model decodes hand-written registers as the architecture specifies.
static void test_model_decodes_hand_written_registers(void **state)
{
    (void)state;
    // Region 0: [0x1000, 0x1100) RW for all, XN, attribute 0. Region 1: [0x1100, 0x1160)
    // RO for all, executable, attribute 1. Region 2: [0x2000, 0x2020) privileged RO.
    struct pmsav8_region r[3] = {
        {0x1000u | (1u << 1) | 1u, 0x10E0u | (0u << 1) | 1u},
        {0x1100u | (3u << 1), 0x1140u | (1u << 1) | 1u},
        {0x2000u | (2u << 1), 0x2000u | 1u},
    };
    struct access a = model_access(r, 3, 0x1000u);
    assert_true(a.ur && a.uw && !a.ux && a.pw && a.normal && a.hits == 1);
    a = model_access(r, 3, 0x10FFu);
    assert_true(a.uw);
    a = model_access(r, 3, 0x1100u);
    assert_true(a.ur && !a.uw && a.ux && !a.pw && a.px);
    a = model_access(r, 3, 0x115Fu);
    assert_true(a.ux);
    a = model_access(r, 3, 0x1160u); // past both: privileged default map only
    assert_true(!a.ur && a.dflt && a.pw);
    a = model_access(r, 3, 0x2010u);
    assert_true(!a.ur && a.pr && !a.pw && a.px);
    struct summary s = model_summary(r, 3, 0, M_ADDR_END);
    assert_int_equal(s.lo, 0x1000u);
    assert_int_equal(s.hi, 0x1160u);
    assert_int_equal(s.count, 0x160u);
    assert_int_equal(s.ux, 0x60u);
    assert_int_equal(s.overlap, 0);
    assert_false(s.bad_config);

    // Overlap faults everyone; limit below base and MAIR1 attributes are failures.
    struct pmsav8_region o[2] = {{0x1000u | (1u << 1), 0x10E0u | 1u},
                                 {0x10C0u | (1u << 1), 0x1100u | 1u}};
    a = model_access(o, 2, 0x10D0u);
    assert_true(a.hits == 2 && !a.ur && !a.pr && !a.pw);
    assert_int_equal(model_summary(o, 2, 0, M_ADDR_END).overlap, 0x40u);
    struct pmsav8_region bad[1] = {{0x2000u, 0x1000u | 1u}};
    assert_true(model_summary(bad, 1, 0, M_ADDR_END).bad_config);
    bad[0] = (struct pmsav8_region){0x2000u, 0x2000u | (4u << 1) | 1u};
    assert_true(model_summary(bad, 1, 0, M_ADDR_END).bad_config);
}

// ---- RAM: exhaustive over the break ------------------------------------------------------

// For one block and one kernel break, every brk byte in [ram, ram + len]:
//  - plan succeeds iff round32(brk) <= kbrk, and pmsav8_ram_reach is round32(brk);
//  - failure leaves the config unchanged; success touches only the RAM region;
//  - on success, per the model: exactly [ram, round32(brk)) is reachable (read/write, not
//    execute, Normal), so all of [ram, brk) is and no byte at or above kbrk (the kernel
//    part) or outside the block is; nothing is lost but the bytes up to the next 32.
static void sweep_block(uint32_t ram, uint32_t len, uint32_t kbrk, uint64_t *plans)
{
    for (uint64_t b = ram; b <= (uint64_t)ram + len; b++) {
        uint32_t brk = (uint32_t)b;
        struct pmsav8_config c = sentinel_config();
        const struct pmsav8_config before = c;
        uint64_t cover = round32(brk);
        bool ok = pmsav8_plan_ram(&c, ram, len, brk, kbrk);
        uint32_t reach = pmsav8_ram_reach(ram, len, brk);
        (*plans)++;
#define CTX "ram=%#x len=%#x brk=%#x kbrk=%#x", ram, len, brk, kbrk
        CHECK(reach == cover, CTX);
        CHECK(ok == (cover <= kbrk), CTX);
        if (!ok) {
            CHECK(config_eq(&c, &before), CTX);
            continue;
        }
        CHECK(region_eq(c.flash, before.flash) && region_eq(c.code_lo, before.code_lo) &&
                  region_eq(c.code_hi, before.code_hi),
              CTX);
        struct pmsav8_region only[1] = {c.ram};
        struct summary s = model_summary(only, 1, 0, M_ADDR_END);
        CHECK(!s.bad_config && s.overlap == 0 && s.all_normal, CTX);
        CHECK(s.ux == 0, CTX);
        if (brk == ram) {
            CHECK(s.count == 0 && !(c.ram.rlar & M_RLAR_EN), CTX);
            continue;
        }
        CHECK(s.lo == ram && s.count == s.hi - s.lo, CTX); // one span from ram up
        CHECK(s.ur == s.count && s.uw == s.count, CTX);
        CHECK(s.hi >= brk, CTX);  // everything below the break
        CHECK(s.hi <= kbrk, CTX); // no kernel-owned byte
        CHECK(s.hi <= (uint64_t)ram + len, CTX);
        CHECK(s.hi - brk < 32, CTX); // exact to 32 B
        CHECK(s.hi == reach, CTX);
#undef CTX
    }
}

static void test_ram_plan_exposes_exactly_round32_of_brk(void **state)
{
    (void)state;
    // Block lengths from one granule up to 4 kB, at bases aligned to 32 B only and to
    // larger powers of two; kernel breaks at the block end, at typical kernel-part sizes,
    // after unaligned grant allocations, down to nothing left (kbrk == ram).
    static const uint32_t lens[] = {32, 64, 96, 480, 512, 544, 1056, 2080, 4096, 4608};
    static const uint32_t bases[] = {0x38000020u, 0x3800ee00u, 0x20010000u, 0xFFFFE000u};
    static const uint32_t parts[] = {0, 8, 20, 32, 36, 368, 500, 1000};
    uint64_t plans = 0;
    for (size_t bi = 0; bi < sizeof bases / sizeof bases[0]; bi++)
        for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
            uint32_t ram = bases[bi], len = lens[li];
            if ((uint64_t)ram + len > UINT32_MAX)
                continue;
            for (size_t pi = 0; pi < sizeof parts / sizeof parts[0]; pi++)
                if (parts[pi] <= len)
                    sweep_block(ram, len, ram + len - parts[pi], &plans);
            sweep_block(ram, len, ram, &plans);
        }
    print_message("  %llu RAM plans checked\n", (unsigned long long)plans);
    assert_true(plans > 100000);
}

static void test_ram_plan_rejects_bad_brk_and_malformed_blocks(void **state)
{
    (void)state;
    struct pmsav8_config c = sentinel_config();
    const struct pmsav8_config before = c;
    assert_false(pmsav8_plan_ram(&c, 0x1000u, 0x400u, 0xFFFu, 0x1400u));  // brk < ram
    assert_false(pmsav8_plan_ram(&c, 0x1000u, 0x400u, 0x1401u, 0x1400u)); // past block
    assert_false(pmsav8_plan_ram(&c, 0x1010u, 0x400u, 0x1100u, 0x1410u)); // ram unaligned
    assert_false(pmsav8_plan_ram(&c, 0x1000u, 0x410u, 0x1100u, 0x1410u)); // len unaligned
    assert_false(pmsav8_plan_ram(&c, 0x1000u, 0, 0x1000u, 0x1000u));      // empty block
    assert_false(pmsav8_plan_ram(&c, 0xFFFFFFE0u, 0x20u, 0xFFFFFFF0u, 0xFFFFFFFFu)); // wraps
    assert_false(pmsav8_plan_ram(&c, 0x1000u, 0x400u, 0x1100u, 0xF00u));             // kbrk < ram
    assert_true(config_eq(&c, &before));
    // brk beyond the block is clamped by reach; below ram gives ram.
    assert_int_equal(pmsav8_ram_reach(0x1000u, 0x400u, 0x2000u), 0x1400u);
    assert_int_equal(pmsav8_ram_reach(0x1000u, 0x400u, 0x10u), 0x1000u);
}

// The kernel may lower kbrk for a grant down to reach(brk): every such state is plannable,
// and one byte lower is not (unless brk == ram, where nothing is reachable).
static void test_ram_grant_rule_keeps_every_state_plannable(void **state)
{
    (void)state;
    const uint32_t ram = 0x3800c780u, len = 4640u;
    for (uint32_t brk = ram; brk <= ram + len; brk++) {
        struct pmsav8_config c = sentinel_config();
        uint32_t floor = pmsav8_ram_reach(ram, len, brk);
        CHECK(pmsav8_plan_ram(&c, ram, len, brk, floor), "brk=%#x", brk);
        if (floor > ram)
            CHECK(!pmsav8_plan_ram(&c, ram, len, brk, floor - 1u), "brk=%#x", brk);
    }
}

// ---- Placement -------------------------------------------------------------------------

static void check_place(uint32_t ps, uint32_t pe, uint32_t want, uint32_t kp)
{
    uint32_t start = 0xA5A5A5A5u, len = 0x5A5A5A5Au;
    bool ok = pmsav8_place_ram(ps, pe, want, kp, &start, &len);
    uint64_t need = round32(round32(want) + kp);
    // Highest 32-aligned start for that length, if any.
    bool fits = need != 0 && need <= UINT32_MAX && need <= pe && (((pe - need) & ~31ull) >= ps);
#define CTX "pool=[%#x,%#x) want=%#x kp=%#x", ps, pe, want, kp
    CHECK(ok == fits, CTX);
    if (!ok) {
        CHECK(start == 0xA5A5A5A5u && len == 0x5A5A5A5Au, CTX);
        return;
    }
    CHECK(len == need, CTX);
    CHECK((start & 31u) == 0 && start >= ps && (uint64_t)start + len <= pe, CTX);
    CHECK((uint64_t)start + 32 + len > pe, CTX); // the highest aligned start
    // The request is reachable below the kernel part once the break covers it.
    struct pmsav8_config c = sentinel_config();
    uint32_t kbrk = start + len - kp;
    CHECK(pmsav8_plan_ram(&c, start, len, start + want, kbrk), CTX);
#undef CTX
}

static void test_place_ram_sizes_exactly_and_never_wraps(void **state)
{
    (void)state;
    static const uint32_t wants[] = {
        0, 1, 31, 32, 33, 4216, 4768, 7488, 0x7FFFFFFFu, 0xFFFFFFE0u, 0xFFFFFFE1u, 0xFFFFFFFFu};
    static const uint32_t kps[] = {0, 8, 360, 368, 0x20u, 0xFFFFFFE0u, 0xFFFFFFFFu};
    static const uint32_t pools[][2] = {{0x380011c0u, 0x38010000u}, {0x38000000u, 0x38000020u},
                                        {0x38000001u, 0x38000040u}, {0, 0xFFFFF000u},
                                        {0x100u, 0x100u},           {0x3800e140u, 0x3800fff0u}};
    for (size_t p = 0; p < sizeof pools / sizeof pools[0]; p++)
        for (size_t w = 0; w < sizeof wants / sizeof wants[0]; w++)
            for (size_t k = 0; k < sizeof kps / sizeof kps[0]; k++)
                check_place(pools[p][0], pools[p][1], wants[w], kps[k]);
    // Every small request in a small pool, byte by byte.
    for (uint32_t want = 0; want < 600; want++)
        for (uint32_t kp = 0; kp < 80; kp += 7)
            check_place(0x38000010u, 0x38000400u + (want & 31u), want, kp);
}

// ---- Flash and the code flash around it ------------------------------------------------

// For a code flash [c0, c1) and a process flash [f, f + len) on a grid of 32-byte steps
// (and unaligned values, which must fail): the plan exists iff the range is aligned and
// inside; then unprivileged code may read and execute exactly the range and write nothing,
// privileged code may read and execute all of the code flash and write none of it, no byte
// is in two regions, and nothing outside the code flash is in any region.
static void check_flash(uint32_t c0, uint32_t c1, uint32_t f, uint32_t len, uint64_t *n)
{
    struct pmsav8_config c = sentinel_config();
    const struct pmsav8_config before = c;
    bool ok = pmsav8_plan_flash(&c, f, len, c0, c1);
    bool expect = len != 0 && (f & 31u) == 0 && (len & 31u) == 0 && f >= c0 &&
                  (uint64_t)f + len <= c1 && (c0 & 31u) == 0 && (c1 & 31u) == 0;
    (*n)++;
#define CTX "code=[%#x,%#x) flash=%#x len=%#x", c0, c1, f, len
    CHECK(ok == expect, CTX);
    if (!ok) {
        CHECK(config_eq(&c, &before), CTX);
        return;
    }
    CHECK(region_eq(c.ram, before.ram), CTX);
    struct pmsav8_region r[3] = {c.flash, c.code_lo, c.code_hi};
    struct summary all = model_summary(r, 3, 0, M_ADDR_END);
    CHECK(!all.bad_config && all.overlap == 0 && all.all_normal, CTX);
    CHECK(all.lo == f && all.hi == (uint64_t)f + len && all.count == len, CTX);
    CHECK(all.ur == len && all.ux == len && all.uw == 0, CTX);
    struct summary code = model_summary(r, 3, c0, c1);
    CHECK(code.pw == 0, CTX); // not one byte of code flash is writable, by anyone
    CHECK(code.pr == (uint64_t)c1 - c0 && code.px == (uint64_t)c1 - c0, CTX);
    // Outside the code flash only the default map (no region): privileged everything.
    struct summary below = model_summary(r, 3, 0, c0), above = model_summary(r, 3, c1, M_ADDR_END);
    CHECK(below.pw == c0 && above.pw == M_ADDR_END - c1, CTX);
#undef CTX
}

static void test_flash_plan_exposes_exactly_the_range(void **state)
{
    (void)state;
    uint64_t n = 0;
    const uint32_t c0 = 0x10000000u, c1 = 0x10001000u; // a 4 kB code flash, fully swept
    for (uint32_t f = c0 - 64; f <= c1 + 32; f += 16)
        for (uint32_t len = 0; len <= 0x1000u + 32; len += 16)
            check_flash(c0, c1, f, len, &n);
    // The board's: 4 MB at 0x10000000, apps from 256 kB.
    static const uint32_t lens[] = {32, 1024, 2048, 4096, 32768, 0x40000u, 0x3C0000u};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
        for (uint32_t f = 0x10040000u; f < 0x10400000u; f += 0x20000u)
            check_flash(0x10000000u, 0x10400000u, f, lens[i], &n);
    // Edges of the address space, and code flash boundaries not aligned to 32 B.
    check_flash(0, 0xFFFFFFE0u, 0xFFFFFF00u, 0xE0u, &n);
    check_flash(0, 0xFFFFFFE0u, 0, 32, &n);
    check_flash(0x10u, 0x1000u, 0x20u, 0x20u, &n);
    check_flash(0, 0x1010u, 0x20u, 0x20u, &n);
    check_flash(0x1000u, 0x2000u, 0xFFFFFFE0u, 0x40u, &n); // wraps
    print_message("  %llu flash plans checked\n", (unsigned long long)n);
}

// A whole process plan with the board's fixed guard region: no byte in two regions,
// unprivileged code reaches its flash (RX) and RAM (RW, XN) only.
static void test_flash_ram_and_guard_together(void **state)
{
    (void)state;
    const uint32_t guard = 0x38000000u;
    struct pmsav8_region g = {guard | (2u << 1) | 1u, guard | 1u}; // as the driver sets it
    for (uint32_t brk = 0x3800d9a0u; brk <= 0x3800d9a0u + 4672u; brk += 8) {
        struct pmsav8_config c = sentinel_config();
        assert_true(pmsav8_plan_flash(&c, 0x10041000u, 2048u, 0x10000000u, 0x10400000u));
        if (!pmsav8_plan_ram(&c, 0x3800d9a0u, 4672u, brk, 0x3800d9a0u + 4672u - 368u))
            continue;
        struct pmsav8_region r[5] = {g, c.flash, c.ram, c.code_lo, c.code_hi};
        struct summary s = model_summary(r, 5, 0, M_ADDR_END);
        CHECK(!s.bad_config && s.overlap == 0, "brk=%#x", brk);
        CHECK(s.ux == 2048u && s.uw == round32(brk) - 0x3800d9a0u, "brk=%#x", brk);
        CHECK(s.count == s.ux + s.uw, "brk=%#x", brk);
        struct summary gs = model_summary(r, 5, guard, guard + 32u);
        CHECK(gs.pw == 0 && gs.px == 0 && gs.count == 0, "brk=%#x", brk);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_decodes_hand_written_registers),
        cmocka_unit_test(test_ram_plan_exposes_exactly_round32_of_brk),
        cmocka_unit_test(test_ram_plan_rejects_bad_brk_and_malformed_blocks),
        cmocka_unit_test(test_ram_grant_rule_keeps_every_state_plannable),
        cmocka_unit_test(test_place_ram_sizes_exactly_and_never_wraps),
        cmocka_unit_test(test_flash_plan_exposes_exactly_the_range),
        cmocka_unit_test(test_flash_ram_and_guard_together),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

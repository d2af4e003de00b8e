// SPDX-License-Identifier: Apache-2.0
// Host tests for the PMSAv7 region arithmetic, checked against an independent MPU model.
//
// The model below decodes raw (RBAR, RASR) pairs the way an ARMv7-M PMSAv7 MPU does for an
// unprivileged access. It restates the architectural bit positions itself instead of using
// pmsav7.h, so a wrong constant or a wrong shift in the code under test shows up as a wrong
// access map, and it treats every UNPREDICTABLE encoding (region < 32 B, misaligned base,
// SRD on a region < 256 B, reserved AP) as a failure. Because every region and subregion
// boundary is a multiple of 32 B, the access map is constant between the boundaries of the
// enabled regions: evaluating the model once per interval gives the exact answer for every
// byte of the 4 GB address space, which keeps the exhaustive sweeps fast.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../arch/cortex-m/pmsav7.h"

// ---- Reference model: ARMv7-M PMSAv7, unprivileged accesses ------------------------------

#define M_RBAR_ADDR       0xFFFFFFE0u // RBAR[31:5]
#define M_RBAR_LOW        0x1Fu       // RBAR VALID + REGION: written by the loader only
#define M_RASR_ENABLE     0x1u        // RASR[0]
#define M_RASR_SIZE_SHIFT 1           // RASR[5:1]
#define M_RASR_SIZE_BITS  0x1Fu
#define M_RASR_SRD_SHIFT  8 // RASR[15:8]
#define M_RASR_SRD_BITS   0xFFu
#define M_RASR_B_SHIFT    16 // RASR[16]
#define M_RASR_C_SHIFT    17 // RASR[17]
#define M_RASR_TEX_SHIFT  19 // RASR[21:19]
#define M_RASR_TEX_BITS   0x7u
#define M_RASR_AP_SHIFT   24 // RASR[26:24]
#define M_RASR_AP_BITS    0x7u
#define M_RASR_XN_SHIFT   28   // RASR[28]
#define M_MIN_SIZE_FIELD  4u   // SIZE 4 = 32 B; smaller is UNPREDICTABLE
#define M_MIN_SRD_SIZE    256u // SRD must be 0 below this size
#define M_SUBREGIONS      8u
#define M_AP_RESERVED     4u
#define M_ADDR_END        ((uint64_t)1 << 32)
#define M_MAX_SPANS       64

struct access {
    bool r, w, x;
    bool pw;         // privileged write (the region's AP, not the default map)
    bool normal;     // memory type is Normal (not Device / Strongly-ordered / reserved)
    unsigned hits;   // enabled regions whose enabled subregions contain the address
    bool bad_config; // some enabled region is UNPREDICTABLE
};

// Read/write permission for an AP encoding (ARMv7-M ARM, table B3-15), unprivileged (r, w)
// and privileged (pw: the kernel's writes through this region; reads are allowed whenever
// the process may read).
static void model_ap(uint32_t ap, bool *r, bool *w, bool *pw, bool *bad)
{
    *r = false;
    *w = false;
    *pw = false;
    switch (ap) {
    case 0: // no access
    case 5: // privileged RO only
        break;
    case 1: // privileged RW only
        *pw = true;
        break;
    case 2: // privileged RW, unprivileged RO
        *r = true;
        *pw = true;
        break;
    case 6: // RO
    case 7: // RO
        *r = true;
        break;
    case 3: // RW
        *r = true;
        *w = true;
        *pw = true;
        break;
    default: // 4: reserved
        *bad = true;
        break;
    }
}

// Normal memory per the TEX/C/B table; implementation-defined and reserved encodings count as
// not normal, so the code under test must pick a well-defined normal type.
static bool model_normal(uint32_t tex, bool c, bool b)
{
    if (tex == 0)
        return c;
    if (tex == 1)
        return c == b;
    return tex >= 4;
}

static uint64_t model_size(uint32_t rasr)
{
    return (uint64_t)1 << (((rasr >> M_RASR_SIZE_SHIFT) & M_RASR_SIZE_BITS) + 1);
}

// Access rights of an unprivileged access to byte a, regions[i] being MPU region number i.
// Higher region numbers take priority; an address in no enabled subregion gets no access
// (the default map only serves privileged code).
static struct access model_access(const struct pmsav7_region *regions, size_t n, uint64_t a)
{
    struct access acc = {0};
    bool decided = false;
    for (size_t i = n; i-- > 0;) {
        uint32_t rasr = regions[i].rasr;
        if (!(rasr & M_RASR_ENABLE))
            continue;
        uint32_t size_field = (rasr >> M_RASR_SIZE_SHIFT) & M_RASR_SIZE_BITS;
        uint64_t size = model_size(rasr);
        uint64_t base = regions[i].rbar & M_RBAR_ADDR;
        uint32_t srd = (rasr >> M_RASR_SRD_SHIFT) & M_RASR_SRD_BITS;
        if (size_field < M_MIN_SIZE_FIELD || (base & (size - 1)) != 0 ||
            (size < M_MIN_SRD_SIZE && srd != 0)) {
            acc.bad_config = true;
            continue;
        }
        if (a < base || a >= base + size)
            continue;
        if (size >= M_MIN_SRD_SIZE && (srd >> ((a - base) / (size / M_SUBREGIONS)) & 1u))
            continue; // disabled subregion: falls through to lower-numbered regions
        acc.hits++;
        if (decided)
            continue;
        decided = true;
        model_ap((rasr >> M_RASR_AP_SHIFT) & M_RASR_AP_BITS, &acc.r, &acc.w, &acc.pw,
                 &acc.bad_config);
        // Instruction fetch needs read permission and XN clear.
        acc.x = acc.r && !((rasr >> M_RASR_XN_SHIFT) & 1u);
        acc.normal = model_normal((rasr >> M_RASR_TEX_SHIFT) & M_RASR_TEX_BITS,
                                  (rasr >> M_RASR_C_SHIFT) & 1u, (rasr >> M_RASR_B_SHIFT) & 1u);
    }
    return acc;
}

// What a set of regions lets an unprivileged process do, over the whole address space.
struct summary {
    uint64_t lo, hi;  // lowest reachable byte, one past the highest (lo == hi: nothing)
    uint64_t count;   // reachable bytes (contiguous iff count == hi - lo)
    uint64_t r, w, x; // readable / writable / executable bytes
    uint64_t pw;      // bytes privileged code may write through these regions
    bool all_normal;  // every reachable byte is Normal memory
    unsigned max_hits;
    bool bad_config;
};

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

// Exact summary: the access map can only change at a region or subregion boundary of an
// enabled region, so one model evaluation per interval between boundaries covers all bytes.
static struct summary model_summary(const struct pmsav7_region *regions, size_t n)
{
    uint64_t cuts[M_MAX_SPANS];
    size_t nc = 0;
    cuts[nc++] = 0;
    cuts[nc++] = M_ADDR_END;
    for (size_t i = 0; i < n; i++) {
        if (!(regions[i].rasr & M_RASR_ENABLE))
            continue;
        uint64_t size = model_size(regions[i].rasr);
        uint64_t base = regions[i].rbar & M_RBAR_ADDR;
        for (uint32_t k = 0; k <= M_SUBREGIONS; k++) {
            uint64_t cut = base + k * (size / M_SUBREGIONS);
            cuts[nc++] = cut < M_ADDR_END ? cut : M_ADDR_END;
        }
    }
    qsort(cuts, nc, sizeof cuts[0], cmp_u64);

    struct summary s = {.lo = M_ADDR_END, .hi = 0, .all_normal = true};
    for (size_t i = 0; i + 1 < nc; i++) {
        if (cuts[i] == cuts[i + 1])
            continue;
        uint64_t span = cuts[i + 1] - cuts[i];
        struct access acc = model_access(regions, n, cuts[i]);
        s.bad_config |= acc.bad_config;
        if (acc.hits > s.max_hits)
            s.max_hits = acc.hits;
        if (!acc.r && !acc.w && !acc.x)
            continue;
        if (cuts[i] < s.lo)
            s.lo = cuts[i];
        s.hi = cuts[i + 1];
        s.count += span;
        s.r += acc.r ? span : 0;
        s.w += acc.w ? span : 0;
        s.x += acc.x ? span : 0;
        s.pw += acc.pw ? span : 0;
        s.all_normal &= acc.normal;
    }
    if (s.count == 0)
        s.lo = s.hi = 0;
    return s;
}

static struct summary config_summary(const struct pmsav7_config *c)
{
    // Region numbers as a loader might give them; the tests also require that no byte is
    // in two regions, so the result does not depend on this choice.
    struct pmsav7_region regions[3] = {c->ram0, c->ram1, c->flash};
    return model_summary(regions, 3);
}

// ---- Helpers -----------------------------------------------------------------------------

// Failure with the inputs that led to it (cmocka's asserts cost a call each, and these checks
// run millions of times).
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            print_message("check failed: %s\n  ", #cond);                                          \
            print_message(__VA_ARGS__);                                                            \
            print_message("\n");                                                                   \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

static uint32_t rng_state = 0x2545F491u;

static uint32_t rng(void)
{
    // xorshift32: a fixed, reproducible sequence.
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

// A config whose every word is a recognisable sentinel, to prove "unchanged" on failure and
// "other regions untouched" on success. The flash sentinel is a disabled region.
static struct pmsav7_config sentinel_config(void)
{
    struct pmsav7_config c = {
        .flash = {.rbar = 0x12345660u, .rasr = 0},
        .ram0 = {.rbar = 0xDEADBEE0u, .rasr = 0xBADC0DE0u},
        .ram1 = {.rbar = 0xFEEDFAC0u, .rasr = 0x0DDBA110u},
    };
    return c;
}

static bool region_eq(struct pmsav7_region a, struct pmsav7_region b)
{
    return a.rbar == b.rbar && a.rasr == b.rasr;
}

static bool config_eq(const struct pmsav7_config *a, const struct pmsav7_config *b)
{
    return region_eq(a->flash, b->flash) && region_eq(a->ram0, b->ram0) &&
           region_eq(a->ram1, b->ram1);
}

// The least any PMSAv7 plan can expose for brk: the MPU exposes whole granules from ram up,
// so [ram, brk) needs [ram, ram + roundup(brk - ram, granule)).
static uint64_t least_cover_end(uint32_t ram, uint32_t len, uint64_t brk)
{
    uint64_t g = len / 16u;
    return ram + (brk - ram + g - 1) / g * g;
}

// ---- Model self-test ---------------------------------------------------------------------

// The model decodes hand-written registers as the architecture specifies: size, SRD holes,
// priority of the higher region, AP/XN, and flags UNPREDICTABLE encodings.
static void test_model_decodes_hand_written_registers(void **state)
{
    (void)state;
    // Region 0: 1 kB at 0x1000, RW, XN, SRD 0b10000001 (first and last 128 B disabled).
    // Region 1: 256 B at 0x1100, RO+exec, overrides part of region 0.
    struct pmsav7_region r[2] = {
        {.rbar = 0x1000u,
         .rasr = (1u << 28) | (3u << 24) | (1u << 17) | (0x81u << 8) | (9u << 1) | 1u},
        {.rbar = 0x1100u, .rasr = (6u << 24) | (1u << 17) | (7u << 1) | 1u},
    };
    struct access a = model_access(r, 2, 0x1000u); // subregion 0 of region 0: disabled
    assert_false(a.r || a.w || a.x);
    a = model_access(r, 2, 0x1080u); // region 0, enabled
    assert_true(a.r && a.w && !a.x && a.normal && a.hits == 1);
    a = model_access(r, 2, 0x1100u); // both: region 1 wins
    assert_true(a.r && !a.w && a.x && a.hits == 2);
    a = model_access(r, 2, 0x1200u); // region 0 again
    assert_true(a.w && !a.x);
    a = model_access(r, 2, 0x1380u); // subregion 7 of region 0: disabled
    assert_false(a.r);
    a = model_access(r, 2, 0x1400u); // past both
    assert_false(a.r);
    assert_false(a.bad_config);

    struct summary s = model_summary(r, 2);
    assert_int_equal(s.lo, 0x1080u);
    assert_int_equal(s.hi, 0x1380u);
    assert_int_equal(s.count, 0x300u);
    assert_int_equal(s.x, 0x100u);
    assert_int_equal(s.max_hits, 2);

    // UNPREDICTABLE: misaligned base, SRD on a 128 B region, reserved AP, 16 B region.
    struct pmsav7_region bad[1] = {{.rbar = 0x1200u, .rasr = (3u << 24) | (9u << 1) | 1u}};
    assert_true(model_summary(bad, 1).bad_config);
    bad[0] =
        (struct pmsav7_region){.rbar = 0x1000u, .rasr = (3u << 24) | (1u << 8) | (6u << 1) | 1u};
    assert_true(model_summary(bad, 1).bad_config);
    bad[0] = (struct pmsav7_region){.rbar = 0x1000u, .rasr = (4u << 24) | (9u << 1) | 1u};
    assert_true(model_summary(bad, 1).bad_config);
    bad[0] = (struct pmsav7_region){.rbar = 0x1000u, .rasr = (3u << 24) | (3u << 1) | 1u};
    assert_true(model_summary(bad, 1).bad_config);
    // Device memory is not normal.
    bad[0] =
        (struct pmsav7_region){.rbar = 0x1000u, .rasr = (3u << 24) | (1u << 16) | (9u << 1) | 1u};
    assert_false(model_summary(bad, 1).all_normal);
}

// ---- RAM: exhaustive sweep ---------------------------------------------------------------

struct sweep_stats {
    uint64_t plans, ok, decodes;
};

// For one block and one kernel break, every brk in [ram, ram + len]:
//  - plan succeeds iff the least granule cover of [ram, brk) ends <= kbrk, and
//    pmsav7_ram_reach returns that end (whether or not the plan succeeds);
//  - failure leaves the config unchanged; success leaves flash untouched;
//  - on success, per the model: [ram, brk) is RW, reachable bytes are one contiguous span
//    starting at ram and ending at or below kbrk and ram + len (so the kernel part and
//    everything outside the block are unreachable), nothing is executable, all Normal
//    memory, no byte in two regions, fewer than one granule reachable above brk, and
//    pmsav7_ram_reach is the first unreachable byte.
static void sweep_block(uint32_t ram, uint32_t len, uint32_t kbrk, struct sweep_stats *st)
{
    const uint64_t end = (uint64_t)ram + len;
    const uint64_t g = len / 16u;
    struct pmsav7_config last = {0};
    struct summary sum = {0};
    bool have_last = false;

    for (uint64_t b = ram; b <= end; b++) {
        uint32_t brk = (uint32_t)b;
        struct pmsav7_config c = sentinel_config();
        const struct pmsav7_config before = c;
        uint64_t cover = least_cover_end(ram, len, brk);
        bool ok = pmsav7_plan_ram(&c, ram, len, brk, kbrk);
        uint32_t reach = pmsav7_ram_reach(ram, len, brk);
        st->plans++;

#define CTX "ram=%#x len=%#x brk=%#x kbrk=%#x", ram, len, brk, kbrk
        CHECK(reach == cover, CTX);
        CHECK(ok == (cover <= kbrk), CTX);
        if (!ok) {
            CHECK(config_eq(&c, &before), CTX);
            continue;
        }
        st->ok++;
        CHECK(region_eq(c.flash, before.flash), CTX);
        CHECK((c.ram0.rbar & M_RBAR_LOW) == 0 && (c.ram1.rbar & M_RBAR_LOW) == 0, CTX);

        // Consecutive brks mostly share a plan: decode only when the registers change.
        if (!have_last || !config_eq(&c, &last)) {
            sum = config_summary(&c);
            last = c;
            have_last = true;
            st->decodes++;
        }
        CHECK(!sum.bad_config, CTX);
        CHECK(sum.max_hits <= 1, CTX);
        CHECK(sum.x == 0, CTX);
        CHECK(sum.all_normal, CTX);
        if (brk == ram) {
            CHECK(sum.count == 0 && reach == ram, CTX);
            continue;
        }
        CHECK(sum.lo == ram && sum.count == sum.hi - sum.lo, CTX);
        CHECK(sum.r == sum.count && sum.w == sum.count && sum.pw == sum.count, CTX);
        CHECK(sum.hi >= brk, CTX);    // [ram, brk) reachable
        CHECK(sum.hi <= kbrk, CTX);   // kernel part unreachable
        CHECK(sum.hi <= end, CTX);    // nothing past the block
        CHECK(sum.hi - brk < g, CTX); // no more lost than the MPU forces
        CHECK(sum.hi == reach, CTX);
#undef CTX
    }
}

// Kernel breaks for one block: the initial ones for the kernel part sizes the kernel uses,
// then breaks moving down as grants are allocated (unaligned steps), then the granule and
// half-block edges, down to no room at all (kbrk == ram) and a broken one below ram.
static size_t kbrk_values(uint32_t ram, uint32_t len, uint32_t *out)
{
    static const uint32_t parts[] = {0, 128, 256, 300, 1024};
    static const uint32_t steps[] = {20, 36, 132, 520, 1000};
    const uint32_t end = ram + len, g = len / 16u;
    size_t n = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        out[n++] = end - parts[i];
    uint32_t k = end - 256;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        uint32_t step = steps[i] % (len / 4) + 4; // keeps several steps inside small blocks
        if (k - ram < step)
            break;
        k -= step;
        out[n++] = k;
    }
    out[n++] = ram + len / 2;
    out[n++] = ram + len / 2 + 4;
    out[n++] = ram + g;
    out[n++] = ram + g - 1;
    out[n++] = ram + 1;
    out[n++] = ram;
    out[n++] = ram - 32;
    return n;
}

// Every block size 512 B .. 64 kB, placed both at a multiple of its size and at an odd
// multiple of half its size, every brk, every kernel break above: see sweep_block.
static void test_ram_plan_exposes_exactly_the_granules_covering_brk(void **state)
{
    (void)state;
    struct sweep_stats st = {0};
    for (uint32_t len = 512; len <= 65536; len <<= 1) {
        const uint32_t bases[] = {0x20000000u, 0x20000000u + 3u * (len / 2)};
        for (size_t bi = 0; bi < 2; bi++) {
            uint32_t kb[32];
            size_t nk = kbrk_values(bases[bi], len, kb);
            for (size_t i = 0; i < nk; i++)
                sweep_block(bases[bi], len, kb[i], &st);
        }
    }
    print_message("  %llu plans, %llu succeeded, %llu distinct configs decoded\n",
                  (unsigned long long)st.plans, (unsigned long long)st.ok,
                  (unsigned long long)st.decodes);
    assert_true(st.ok > 0 && st.ok < st.plans);
}

// Register-level shape of the edge cases: a 512 B block uses two 256 B regions (SIZE 7) of
// 32 B subregions; a brk in the low half leaves ram1 disabled (rasr 0); a full half has SRD 0;
// brk == ram disables both; the RAM regions are XN, full access, WBWA normal memory.
static void test_ram_plan_edge_shapes(void **state)
{
    (void)state;
    struct pmsav7_config c = sentinel_config();
    const uint32_t ram = 0x20000100u; // aligned to 256, not to 512
    assert_true(pmsav7_plan_ram(&c, ram, 512, ram + 33, ram + 512));
    assert_int_equal(c.ram0.rbar, ram);
    assert_int_equal((c.ram0.rasr & PMSAV7_RASR_SIZE_MASK) >> PMSAV7_RASR_SIZE_SHIFT, 7);
    assert_int_equal((c.ram0.rasr & PMSAV7_RASR_SRD_MASK) >> PMSAV7_RASR_SRD_SHIFT, 0xFC);
    assert_int_equal(c.ram1.rasr, 0);
    assert_int_equal(c.ram1.rbar, ram + 256);
    assert_true(c.ram0.rasr & PMSAV7_RASR_XN);
    assert_int_equal((c.ram0.rasr & PMSAV7_RASR_AP_MASK) >> PMSAV7_RASR_AP_SHIFT, PMSAV7_AP_FULL);
    assert_int_equal(c.ram0.rasr &
                         (PMSAV7_RASR_TEX_MASK | PMSAV7_RASR_C | PMSAV7_RASR_B | PMSAV7_RASR_S),
                     PMSAV7_ATTR_RAM);

    // Exactly the low half: ram0 fully enabled, ram1 still off.
    assert_true(pmsav7_plan_ram(&c, ram, 512, ram + 256, ram + 256));
    assert_int_equal(c.ram0.rasr & PMSAV7_RASR_SRD_MASK, 0);
    assert_int_equal(c.ram1.rasr, 0);
    // One byte more: ram1 gets its first subregion.
    assert_true(pmsav7_plan_ram(&c, ram, 512, ram + 257, ram + 512));
    assert_int_equal((c.ram1.rasr & PMSAV7_RASR_SRD_MASK) >> PMSAV7_RASR_SRD_SHIFT, 0xFE);
    // The whole block (kernel part empty): both halves SRD 0.
    assert_true(pmsav7_plan_ram(&c, ram, 512, ram + 512, ram + 512));
    assert_int_equal(c.ram1.rasr & PMSAV7_RASR_SRD_MASK, 0);
    assert_true(c.ram1.rasr & PMSAV7_RASR_ENABLE);
    // brk == ram: nothing enabled.
    assert_true(pmsav7_plan_ram(&c, ram, 512, ram, ram + 256));
    assert_int_equal(c.ram0.rasr, 0);
    assert_int_equal(c.ram1.rasr, 0);
}

// Plans are refused (config unchanged) for brk below ram or past the block, and for blocks
// pmsav7_place_ram never returns: not a power of two, < 512 B, misaligned, wrapping past 4 GB.
static void test_ram_plan_rejects_bad_brk_and_malformed_blocks(void **state)
{
    (void)state;
    struct {
        uint32_t ram, len, brk, kbrk;
    } const bad[] = {
        {0x20000000u, 1024, 0x1FFFFFFFu, 0x20000400u}, // brk < ram
        {0x20000000u, 1024, 0x20000401u, 0x20000400u}, // brk > ram + len
        {0x20000000u, 1024, 0xFFFFFFFFu, 0xFFFFFFFFu}, // far past
        {0x20000000u, 768, 0x20000010u, 0x20000300u},  // not a power of two
        {0x20000000u, 256, 0x20000010u, 0x20000100u},  // too small for 16 granules
        {0x20000000u, 0, 0x20000000u, 0x20000000u},    // empty
        {0x20000100u, 1024, 0x20000110u, 0x20000500u}, // aligned to 256, needs 512
        {0x20000020u, 512, 0x20000030u, 0x20000220u},  // aligned to 32, needs 256
        {0xFFFFFC00u, 1024, 0xFFFFFC10u, 0xFFFFFFFFu}, // ends at 4 GB
        {0x00000000u, 0u, 0u, 0u},                     // len 0 at 0
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct pmsav7_config c = sentinel_config();
        const struct pmsav7_config before = c;
        CHECK(!pmsav7_plan_ram(&c, bad[i].ram, bad[i].len, bad[i].brk, bad[i].kbrk), "case %zu", i);
        CHECK(config_eq(&c, &before), "case %zu", i);
    }
    // The largest block (2 GB) works and its reach does not wrap.
    struct pmsav7_config c = sentinel_config();
    assert_true(pmsav7_plan_ram(&c, 0x40000000u, 0x80000000u, 0x40000001u, 0xBFFFFFFFu));
    assert_int_equal(pmsav7_ram_reach(0x40000000u, 0x80000000u, 0x40000001u), 0x48000000u);
    struct summary s = config_summary(&c);
    assert_false(s.bad_config);
    assert_int_equal(s.lo, 0x40000000u);
    assert_int_equal(s.hi, 0x48000000u);
}

// The kernel's rule "a grant may lower kbrk only down to pmsav7_ram_reach(brk)" and the
// process's rule "brk may move only while the plan succeeds" keep every state plannable:
// random interleavings of sbrk and grant allocations never reach a state whose plan fails,
// and the kernel part stays unreachable throughout. Starts from pmsav7_place_ram's block
// with brk = ram + want_app, which must plan.
static void test_ram_grant_rule_keeps_every_state_plannable(void **state)
{
    (void)state;
    rng_state = 0x1234567u;
    for (int proc = 0; proc < 400; proc++) {
        uint32_t want = rng() % 12000u;
        uint32_t kpart = 64u + rng() % 1500u;
        uint32_t ram, len;
        assert_true(pmsav7_place_ram(0x20000000u + (rng() % 64u) * 4u, 0x20010000u + 0x40000u, want,
                                     kpart, &ram, &len));
        uint32_t brk = ram + want, kbrk = ram + len - kpart;
        struct pmsav7_config c = sentinel_config();
        CHECK(pmsav7_plan_ram(&c, ram, len, brk, kbrk), "want=%u kpart=%u", want, kpart);
        for (int op = 0; op < 300; op++) {
            uint32_t r = rng();
            if (r & 1u) { // grant allocation
                uint32_t size = 4u + (r >> 8) % 400u;
                bool allowed = kbrk - ram >= size && kbrk - size >= pmsav7_ram_reach(ram, len, brk);
                if (allowed)
                    kbrk -= size;
            } else { // memop brk: any target, kept only if the MPU can express it
                uint32_t target = ram + (r >> 8) % (len + 1u);
                struct pmsav7_config t = c;
                if (pmsav7_plan_ram(&t, ram, len, target, kbrk))
                    brk = target;
            }
            CHECK(pmsav7_plan_ram(&c, ram, len, brk, kbrk), "brk=%#x kbrk=%#x", brk, kbrk);
            struct summary s = config_summary(&c);
            CHECK(s.hi <= kbrk && (s.count == 0 || s.lo == ram), "brk=%#x kbrk=%#x", brk, kbrk);
            CHECK(s.count >= brk - ram, "brk=%#x kbrk=%#x", brk, kbrk);
        }
    }
}

// ---- RAM block placement -----------------------------------------------------------------

// Does a block of this size keep want_app reachable with kernel_part at its top?
static bool block_holds(uint64_t block, uint32_t want, uint32_t kpart)
{
    uint64_t g = block / 16u;
    return (want + g - 1) / g * g + kpart <= block;
}

// Placement against a brute force: the smallest block that holds want, at the highest
// start aligned to half its size that still ends inside the pool.
static void check_place(uint32_t pool_start, uint32_t pool_end, uint32_t want, uint32_t kpart)
{
    uint64_t b = 512;
    while (b <= 0x80000000u && !block_holds(b, want, kpart))
        b <<= 1;
    bool exists = b <= 0x80000000u && pool_end >= b;
    uint64_t s = exists ? ((uint64_t)pool_end - b) / (b / 2) * (b / 2) : 0;
    bool fits = exists && s >= pool_start;
#define CTX "pool=[%#x,%#x) want=%u kpart=%u", pool_start, pool_end, want, kpart
    uint32_t start = 0xA5A5A5A5u, len = 0x5A5A5A5Au;
    bool ok = pmsav7_place_ram(pool_start, pool_end, want, kpart, &start, &len);
    CHECK(ok == fits, CTX);
    if (!ok) {
        CHECK(start == 0xA5A5A5A5u && len == 0x5A5A5A5Au, CTX);
        return;
    }
    CHECK(len == b && start == s, CTX);
    CHECK(start >= pool_start && (uint64_t)start + len <= pool_end, CTX);
    // Highest: one more half-block step up would leave the pool.
    CHECK((uint64_t)start + len / 2 + len > pool_end, CTX);
    struct pmsav7_config c = sentinel_config();
    CHECK(pmsav7_plan_ram(&c, start, len, start + want, start + len - kpart), CTX);
#undef CTX
}

// Many want_app / kernel_part / pool_start combinations, pools from tight to roomy.
static void test_place_ram_picks_smallest_aligned_block_keeping_want_reachable(void **state)
{
    (void)state;
    static const uint32_t wants[] = {0,    1,    31,   32,   33,    100,   255,   256,  480,
                                     481,  512,  1000, 1024, 1500,  2047,  2048,  3000, 3841,
                                     4096, 6000, 7680, 8192, 15000, 30000, 60000, 65536};
    static const uint32_t kparts[] = {0, 4, 128, 256, 300, 1024, 2000, 4096};
    static const uint32_t offsets[] = {0, 4, 32, 100, 256, 0x1234, 0x3FFC, 0x7FFC, 0x8000};
    static const uint32_t room[] = {0, 511, 512, 1024, 4096, 0x8000, 0x10000, 0x100000};
    for (size_t w = 0; w < sizeof wants / sizeof wants[0]; w++)
        for (size_t k = 0; k < sizeof kparts / sizeof kparts[0]; k++)
            for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++)
                for (size_t r = 0; r < sizeof room / sizeof room[0]; r++) {
                    uint32_t ps = 0x20000000u + offsets[o];
                    check_place(ps, ps + room[r], wants[w], kparts[k]);
                }
    rng_state = 0xC0FFEEu;
    for (int i = 0; i < 200000; i++) {
        uint32_t ps = 0x20000000u + (rng() % 0x10000u);
        check_place(ps, ps + rng() % 0x20000u, rng() % 70000u, rng() % 5000u);
    }
    // The board's real pool: kernel RAM 4.6 kB, process pool up to the end of the 64 kB.
    check_place(0x20001200u, 0x20010000u, 4848, 360);
    check_place(0x20001200u, 0x20002000u, 4848, 360);
}

// Pools at the top of the address space fail instead of wrapping; impossible requests fail.
static void test_place_ram_fails_cleanly_when_nothing_fits(void **state)
{
    (void)state;
    uint32_t start = 0, len = 0;
    assert_true(pmsav7_place_ram(0xFFFFF000u, 0xFFFFFFFFu, 100, 128, &start, &len));
    assert_int_equal(start, 0xFFFFFD00u); // highest 256-aligned start ending below 4 GB
    assert_int_equal(len, 512);
    assert_false(pmsav7_place_ram(0xFFFFFF01u, 0xFFFFFFFFu, 100, 128, &start, &len));
    assert_false(pmsav7_place_ram(0x20000000u, 0x20000000u, 0, 0, &start, &len));
    assert_false(pmsav7_place_ram(0x20000000u, 0x1FFFFFFFu, 0, 0, &start, &len));
    assert_false(pmsav7_place_ram(0, 0xFFFFFFFFu, 0xFFFFFFFFu, 0, &start, &len));
    assert_false(pmsav7_place_ram(0, 0xFFFFFFFFu, 0, 0xFFFFFFFFu, &start, &len));
    check_place(0xFFFFF000u, 0xFFFFFFFFu, 100, 128);
    check_place(0xFFFFFF01u, 0xFFFFFFFFu, 100, 128);
    check_place(0x80000000u, 0xFFFFFFFFu, 0x70000000u, 0x1000u);
    check_place(0, 0xFFFFFFFFu, 0x7FFFFFFFu, 1);
}

// ---- Flash -------------------------------------------------------------------------------

// Brute force over every region size 32 B .. 4 GB: can one region (with some SRD) give
// exactly [flash, flash + len)? Only the region of that size containing flash can, and the
// range must consist of whole subregions of it (whole region below 256 B).
static bool flash_representable(uint32_t flash, uint32_t len)
{
    uint64_t end = (uint64_t)flash + len;
    if (len == 0 || end > M_ADDR_END)
        return false;
    for (uint64_t size = 32; size <= M_ADDR_END; size <<= 1) {
        uint64_t base = flash / size * size;
        if (size < M_MIN_SRD_SIZE) {
            if (base == flash && len == size)
                return true;
            continue;
        }
        uint64_t sub = size / M_SUBREGIONS;
        if (flash % sub == 0 && len % sub == 0 && end <= base + size)
            return true;
    }
    return false;
}

// One flash plan: succeeds iff representable; failure leaves the config unchanged; success
// gives, per the model, read+execute on exactly [flash, flash + len) and nothing else, no
// write anywhere (not even privileged: AP is read-only for both), Normal memory, RAM regions
// untouched.
static void check_flash(uint32_t flash, uint32_t len)
{
    struct pmsav7_config c = sentinel_config();
    c.ram0 = c.ram1 = (struct pmsav7_region){.rbar = 0x20000000u, .rasr = 0};
    const struct pmsav7_config before = c;
    bool ok = pmsav7_plan_flash(&c, flash, len);
#define CTX "flash=%#x len=%#x", flash, len
    CHECK(ok == flash_representable(flash, len), CTX);
    if (!ok) {
        CHECK(config_eq(&c, &before), CTX);
        return;
    }
    CHECK(region_eq(c.ram0, before.ram0) && region_eq(c.ram1, before.ram1), CTX);
    CHECK((c.flash.rbar & M_RBAR_LOW) == 0, CTX);
    struct summary s = config_summary(&c);
    CHECK(!s.bad_config && s.all_normal, CTX);
    CHECK(s.lo == flash && s.hi == (uint64_t)flash + len && s.count == len, CTX);
    // Processes read and execute their flash, never write it; the kernel may (the app
    // store retires a TBF by clearing its checksum word).
    CHECK(s.r == len && s.x == len && s.w == 0 && s.pw == len, CTX);
#undef CTX
}

// Power-of-two ranges aligned to their size, 32 B .. 2 GB, anywhere in the address space
// (including the last one ending exactly at 4 GB), are always representable.
static void test_flash_plan_covers_aligned_power_of_two_exactly(void **state)
{
    (void)state;
    for (uint32_t lg = 5; lg <= 31; lg++) {
        uint64_t len = (uint64_t)1 << lg;
        for (uint64_t k = 0; k < 4; k++) {
            uint64_t flash = k * len;
            if (flash + len > M_ADDR_END)
                break;
            assert_true(flash_representable((uint32_t)flash, (uint32_t)len));
            check_flash((uint32_t)flash, (uint32_t)len);
        }
        check_flash((uint32_t)(M_ADDR_END - len), (uint32_t)len);
    }
}

// Every (flash, len) on a 32 B grid below 16 kB, plus random ranges of every alignment:
// the plan succeeds exactly for the ranges one region can express, and then exactly.
static void test_flash_plan_succeeds_iff_one_region_expresses_range(void **state)
{
    (void)state;
    unsigned ok = 0, total = 0;
    for (uint32_t flash = 0; flash < 0x4000u; flash += 32)
        for (uint32_t len = 32; len <= 0x4000u; len += 32) {
            check_flash(flash, len);
            ok += flash_representable(flash, len);
            total++;
        }
    rng_state = 0xF1A5Bu;
    for (int i = 0; i < 200000; i++) {
        uint32_t align = rng() % 20u, lalign = rng() % 20u;
        uint32_t flash = (rng() >> align) << align;
        uint32_t len = ((rng() % 0x40000u) >> lalign) << lalign;
        check_flash(flash, len);
        check_flash(0x00000000u + (flash & 0xFFFFFu), len);
    }
    print_message("  grid: %u of %u ranges representable\n", ok, total);
}

// Edges: empty, unaligned to 32, crossing a region boundary, wrapping past 4 GB, ending at
// exactly 4 GB, and subregions of 2^29 inside a 4 GB region (the capped subregion size).
static void test_flash_plan_edges(void **state)
{
    (void)state;
    static const uint32_t cases[][2] = {
        {0x00001000u, 0},           {0x00001004u, 0x100u},      {0x00001000u, 0x104u},
        {0x00000E00u, 0x400u},      {0x00000700u, 0x200u},      {0x00001000u, 0x1800u},
        {0x00010000u, 0x3000u},     {0xFFFFFFE0u, 0x40u},       {0xFFFFF000u, 0x1000u},
        {0xFFFFE000u, 0x1800u},     {0x40000000u, 0x80000000u}, {0x20000000u, 0xC0000000u},
        {0x00000000u, 0xFFFFFFE0u}, {0x80000000u, 0x80000000u}, {0x00000060u, 0x20u},
        {0x00000060u, 0x40u},       {0x00000100u, 0xE0u},       {0x00000000u, 0xE0u},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_flash(cases[i][0], cases[i][1]);
    struct pmsav7_config c = sentinel_config();
    assert_true(pmsav7_plan_flash(&c, 0x40000000u, 0x80000000u));
    assert_int_equal((c.flash.rasr & PMSAV7_RASR_SIZE_MASK) >> PMSAV7_RASR_SIZE_SHIFT, 31);
    assert_false(pmsav7_plan_flash(&c, 0x00001000u, 0x104u));
    assert_false(pmsav7_plan_flash(&c, 0xFFFFFFE0u, 0x40u));
}

// A whole process (flash and RAM planned into one config): flash is RX only on its range,
// RAM RW only on [ram, reach), no byte is in two regions, nothing else is reachable.
static void test_flash_and_ram_together_expose_only_the_process(void **state)
{
    (void)state;
    rng_state = 0xABCDEFu;
    for (int i = 0; i < 2000; i++) {
        uint32_t flash = 0x00008000u + (rng() % 64u) * 0x400u, flen = 0x400u << (rng() % 4u);
        uint32_t want = rng() % 8000u, kpart = 128u + rng() % 1000u, ram, len;
        assert_true(pmsav7_place_ram(0x20004000u, 0x20010000u + 0x10000u, want, kpart, &ram, &len));
        uint32_t brk = ram + rng() % (want + 1u);
        struct pmsav7_config c = sentinel_config();
        if (!pmsav7_plan_flash(&c, flash, flen))
            continue;
        assert_true(pmsav7_plan_ram(&c, ram, len, brk, ram + len - kpart));
        struct summary s = config_summary(&c);
        uint32_t reach = pmsav7_ram_reach(ram, len, brk);
        CHECK(!s.bad_config && s.max_hits <= 1, "i=%d", i);
        CHECK(s.x == flen && s.w == (uint64_t)(reach - ram), "i=%d", i);
        CHECK(s.count == flen + (uint64_t)(reach - ram), "i=%d", i);
        CHECK(s.lo == flash && s.hi == (brk == ram ? (uint64_t)flash + flen : reach), "i=%d", i);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_decodes_hand_written_registers),
        cmocka_unit_test(test_ram_plan_exposes_exactly_the_granules_covering_brk),
        cmocka_unit_test(test_ram_plan_edge_shapes),
        cmocka_unit_test(test_ram_plan_rejects_bad_brk_and_malformed_blocks),
        cmocka_unit_test(test_ram_grant_rule_keeps_every_state_plannable),
        cmocka_unit_test(test_place_ram_picks_smallest_aligned_block_keeping_want_reachable),
        cmocka_unit_test(test_place_ram_fails_cleanly_when_nothing_fits),
        cmocka_unit_test(test_flash_plan_covers_aligned_power_of_two_exactly),
        cmocka_unit_test(test_flash_plan_succeeds_iff_one_region_expresses_range),
        cmocka_unit_test(test_flash_plan_edges),
        cmocka_unit_test(test_flash_and_ram_together_expose_only_the_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

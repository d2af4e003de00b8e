// SPDX-License-Identifier: Apache-2.0
// Host tests of the boot loader (kernel/loader.c): hostile TBF sizes are reported and skipped.
//
// Each test lays out an apps flash region in memory below 4 GB, runs loader_load_all over
// it with the host arch port, and checks which processes were created, with which RAM
// blocks, and what the loader printed. The invariant behind every case: a process is only
// ever created with a block that holds the RAM its TBF asked for plus the kernel part,
// inside the pool; anything else is reported with its name and skipped, while the apps
// next to it still load.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/mman.h>

#include "process.h"
#include "sched.h"
#include <cairn/debug.h>
#include <cairn/kernel.h>
#include <cairn/tbf.h>

void kernel_set_config_for_test(const struct kernel_config *cfg);

#define FLASH_LEN 0x30000u // apps region: room for 384 TBFs, more than PROCESS_MAX
#define POOL_LEN  0x10000u // process RAM pool
#define POOL_MAX  0x30000u // the arena's room for a pool (tests may use a larger one)
#define APP_TOTAL 512u     // every test TBF is 512 bytes
#define ARENA_LEN (FLASH_LEN + POOL_MAX)

static uint8_t *arena;
static uint32_t flash_start, pool_start;

// Everything the loader printed in this test.
static char out[65536];
static size_t out_len;

static void capture(char c)
{
    if (out_len + 1 < sizeof out)
        out[out_len++] = c;
    out[out_len] = '\0';
}

static uint32_t addr(const void *p)
{
    return (uint32_t)(uintptr_t)p;
}

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, (uint16_t)v);
    wr16(p + 2, (uint16_t)(v >> 16));
}

static uint32_t put_tlv(uint8_t *h, uint32_t pos, uint16_t type, const void *v, uint16_t len)
{
    wr16(h + pos, type);
    wr16(h + pos + 2, len);
    memcpy(h + pos + 4, v, len);
    return pos + 4 + ((len + 3u) & ~3u);
}

// Writes an elf2tab-shaped TBF (Main, Program, PackageName, [FixedAddresses],
// KernelVersion 2.3) of APP_TOTAL bytes at region offset off, asking for min_ram bytes of
// RAM; with fixed, linked for flash fixed_flash (its binary's first byte) and RAM
// fixed_ram, as a RISC-V app is.
// When set, put_app_at also writes a Permissions TLV with these perm_n entries (16
// bytes each, as the TLV lays them out after its count).
static const uint8_t *perm_tlv;
static uint16_t perm_n;

static void put_app_at(uint32_t off, const char *name, uint32_t min_ram, bool fixed,
                       uint32_t fixed_flash, uint32_t fixed_ram)
{
    uint8_t *h = arena + off;
    memset(h, 0, APP_TOTAL);
    uint8_t v[20];
    uint32_t pos = TBF_BASE_HEADER_SIZE;
    wr32(v, 0x41); // entry: a Thumb address inside the binary
    wr32(v + 4, 0);
    wr32(v + 8, min_ram);
    pos = put_tlv(h, pos, TBF_TLV_MAIN, v, 12);
    wr32(v + 12, 400); // binary end
    wr32(v + 16, 0);
    pos = put_tlv(h, pos, TBF_TLV_PROGRAM, v, 20);
    pos = put_tlv(h, pos, TBF_TLV_PACKAGE_NAME, name, (uint16_t)strlen(name));
    if (fixed) {
        wr32(v, fixed_ram);
        wr32(v + 4, fixed_flash);
        pos = put_tlv(h, pos, TBF_TLV_FIXED_ADDRESSES, v, 8);
    }
    if (perm_tlv) {
        uint8_t t[2 + 16 * 4];
        assert_true(perm_n <= 4);
        wr16(t, perm_n);
        memcpy(t + 2, perm_tlv, 16u * perm_n);
        pos = put_tlv(h, pos, TBF_TLV_PERMISSIONS, t, (uint16_t)(2 + 16 * perm_n));
    }
    wr16(v, 2);
    wr16(v + 2, 3);
    pos = put_tlv(h, pos, TBF_TLV_KERNEL_VERSION, v, 4);
    wr16(h, 2);
    wr16(h + 2, (uint16_t)pos);
    wr32(h + 4, APP_TOTAL);
    wr32(h + 8, TBF_FLAG_ENABLED);
    wr32(h + 12, tbf_checksum(h, pos));
    struct tbf_header parsed;
    assert_int_equal(tbf_parse(h, FLASH_LEN - off, &parsed), TBF_OK);
}

static void put_app(uint32_t off, const char *name, uint32_t min_ram)
{
    put_app_at(off, name, min_ram, false, 0, 0);
}

// Header size of put_app_at's TBF with a FixedAddresses TLV and a name of name_len bytes:
// the binary (and so the fixed flash address) starts right after it.
static uint32_t fixed_header_size(size_t name_len)
{
    return TBF_BASE_HEADER_SIZE + (4 + 12) + (4 + 20) + 4 + (uint32_t)((name_len + 3) & ~3u) +
           (4 + 8) + (4 + 4);
}

// Set while the loader runs: a kernel panic inside it exits the program, and what the
// loader printed up to then is the diagnosis.
static bool loading;

static void dump_on_exit(void)
{
    if (loading)
        fprintf(stderr, "loader output before the exit:\n%s\n", out);
}

static const struct kernel_config config_template = {
    .fault_policy = FAULT_POLICY_STOP,
};
static struct kernel_config config;

static int group_setup(void **state)
{
    (void)state;
    void *m = mmap(NULL, ARENA_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                   -1, 0);
    if (m == MAP_FAILED || (uintptr_t)m + ARENA_LEN > 0xFFFFFFFFu)
        return -1;
    arena = m;
    flash_start = addr(arena);
    pool_start = flash_start + FLASH_LEN;
    atexit(dump_on_exit);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    munmap(arena, ARENA_LEN);
    return 0;
}

static int test_setup(void **state)
{
    (void)state;
    process_table_init(NULL, 0);
    memset(arena, 0, ARENA_LEN);
    perm_tlv = NULL;
    perm_n = 0;
    out_len = 0;
    out[0] = '\0';
    debug_init(capture, NULL);
    config = config_template;
    config.app_flash_start = flash_start;
    config.app_flash_end = flash_start + FLASH_LEN;
    config.app_ram_start = pool_start;
    config.app_ram_end = pool_start + POOL_LEN;
    kernel_set_config_for_test(&config);
    return 0;
}

static unsigned load(void)
{
    loading = true;
    unsigned n = loader_load_all(&config);
    loading = false;
    print_message("%s", out);
    return n;
}

// Every created process holds what it asked for, inside the pool, kernel part on top;
// no two blocks overlap, and the process table lies in the pool below every block.
static void check_loaded_blocks(void)
{
    uint32_t table = addr(process_table), table_end = table + process_count * sizeof(void *);
    assert_true(process_count == 0 || (table >= pool_start && table_end <= config.app_ram_end));
    for (unsigned i = 0; i < process_count; i++) {
        const struct process *p = process_table[i];
        if (!p)
            continue;
        assert_true(p->mem_start >= table_end);
        assert_true((uint64_t)p->mem_start + p->mem_len <= config.app_ram_end);
        struct tbf_header h;
        assert_int_equal(tbf_parse((const uint8_t *)(uintptr_t)p->flash_start, p->flash_len, &h),
                         TBF_OK);
        assert_true((uint64_t)h.minimum_ram_size + process_kernel_part() <= p->mem_len);
        assert_true((uint32_t)(uintptr_t)p - p->mem_start >= h.minimum_ram_size);
        for (unsigned j = 0; j < i; j++) {
            const struct process *q = process_table[j];
            if (q)
                assert_true(q->mem_start + q->mem_len <= p->mem_start ||
                            p->mem_start + p->mem_len <= q->mem_start);
        }
    }
}

static unsigned count_str(const char *needle)
{
    unsigned n = 0;
    for (const char *s = out; (s = strstr(s, needle)); s++)
        n++;
    return n;
}

static const struct process *find(const char *name)
{
    for (unsigned i = 0; i < process_count; i++) {
        const struct process *p = process_table[i];
        if (p && p->name_len == strlen(name) && memcmp(p->name, name, p->name_len) == 0)
            return p;
    }
    return NULL;
}

// minimum_ram_size values near and above 2^31 and 2^32: rounding them up to the 8-byte
// allocation unit, or adding the kernel part, must not wrap to a small block. Each sits
// before a normal app, which must still load.
static void test_huge_minimum_ram_is_skipped(void **state)
{
    (void)state;
    static const uint32_t huge[] = {
        0xFFFFFFFFu, 0xFFFFFFFCu, 0xFFFFFFF9u, 0xFFFFFFF8u, 0xFFFFFFF0u, 0xFFFFFF00u,
        0xFFFF0000u, 0x80000001u, 0x80000000u, 0x7FFFFFF9u, POOL_LEN,    POOL_LEN + 1,
    };
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        test_setup(NULL);
        put_app(0, "greedy", huge[i]);
        put_app(APP_TOTAL, "good", 1024);
        print_message("minimum_ram_size 0x%08x\n", huge[i]);
        unsigned n = load();
        check_loaded_blocks();
        assert_null(find("greedy"));
        assert_non_null(find("good"));
        assert_int_equal(n, 1);
        char want[96];
        snprintf(want, sizeof want, "'greedy': needs %u B of RAM", huge[i]);
        assert_non_null(strstr(out, want));
        assert_non_null(strstr(out, "skipped"));
    }
}

// The boundary: the largest request that fits the pool loads; one byte more does not.
static void test_largest_fitting_minimum_ram_loads(void **state)
{
    (void)state;
    // Host placement: 8-byte units, block = want + kernel part, at the top of the pool;
    // the process table (one pointer, rounded to 8 bytes) sits at the bottom.
    uint32_t fit = POOL_LEN - 8u - process_kernel_part();
    put_app(0, "exact", fit);
    assert_int_equal(load(), 1);
    check_loaded_blocks();
    assert_non_null(find("exact"));

    test_setup(NULL);
    put_app(0, "over", fit + 1);
    assert_int_equal(load(), 0);
    assert_non_null(strstr(out, "'over': needs"));
}

// Small requests are raised to the architecture's minimum, never below it.
static void test_tiny_minimum_ram_gets_arch_minimum(void **state)
{
    (void)state;
    put_app(0, "zero", 0);
    put_app(APP_TOTAL, "one", 1);
    assert_int_equal(load(), 2);
    check_loaded_blocks();
    assert_true(find("zero")->mem_len >= ARCH_MIN_APP_RAM + process_kernel_part());
    assert_true(find("one")->mem_len >= ARCH_MIN_APP_RAM + process_kernel_part());
}

// The number of processes is limited by the pool alone: as many smallest apps load as
// there are smallest blocks in the pool above the process table (one pointer per app);
// the rest are refused for want of RAM, never of a slot, and the loader's working state
// does not depend on the number of apps.
static void test_pool_limits_the_process_count(void **state)
{
    (void)state;
    const unsigned apps = 128;
    const uint32_t pool_len = 0x6000;
    config.app_ram_end = pool_start + pool_len;
    for (unsigned i = 0; i < apps; i++)
        put_app(i * APP_TOTAL, "tiny", 32);
    unsigned n = load();
    check_loaded_blocks();
    uint32_t block = (32u + process_kernel_part() + 7u) & ~7u;
    uint32_t table = (apps * (uint32_t)sizeof(struct process *) + 7u) & ~7u;
    unsigned fit = (pool_len - table) / block;
    assert_true(fit < apps && fit > 32);
    assert_int_equal(n, fit);
    assert_int_equal(count_str("'tiny' slot"), fit);
    assert_int_equal(count_str("'tiny': needs 32 B of RAM"), apps - fit);
    assert_int_equal(count_str("no free process slot"), 0);
    // Slots follow flash order: slot i is the i-th app in flash.
    for (unsigned i = 0; i < fit; i++)
        assert_int_equal(process_table[i]->flash_start, flash_start + i * APP_TOTAL);
}

// With more apps than PROCESS_MAX slots and RAM for all of them, exactly PROCESS_MAX
// load (in flash order, since all are the same size) and every other app is told it got
// no slot.
static void test_slots_run_out_before_ram(void **state)
{
    (void)state;
    const unsigned apps = PROCESS_MAX + 20;
    assert_true(apps * APP_TOTAL <= FLASH_LEN);
    config.app_ram_end = pool_start + POOL_MAX;
    for (unsigned i = 0; i < apps; i++)
        put_app(i * APP_TOTAL, "tiny", 32);
    assert_int_equal(load(), PROCESS_MAX);
    check_loaded_blocks();
    assert_int_equal(count_str("no free process slot"), 20);
    assert_int_equal(process_table[PROCESS_MAX - 1]->flash_start,
                     flash_start + (PROCESS_MAX - 1) * APP_TOTAL);
}

// Blocks of different sizes: the largest are placed first from the top, so the small
// ones still fit in what is left; slots still follow flash order.
static void test_mixed_sizes_largest_first(void **state)
{
    (void)state;
    // small, big, small, big: the big ones go to the top of the pool.
    put_app(0 * APP_TOTAL, "s0", 32);
    put_app(1 * APP_TOTAL, "b1", 8192);
    put_app(2 * APP_TOTAL, "s2", 32);
    put_app(3 * APP_TOTAL, "b3", 8192);
    assert_int_equal(load(), 4);
    check_loaded_blocks();
    const struct process *s0 = find("s0"), *b1 = find("b1"), *s2 = find("s2"), *b3 = find("b3");
    assert_int_equal(s0->index, 0);
    assert_int_equal(b1->index, 1);
    assert_int_equal(b3->index, 3);
    assert_true(b1->mem_start > s0->mem_start && b1->mem_start > s2->mem_start);
    assert_true(b3->mem_start > s0->mem_start && b3->mem_start > s2->mem_start);
    // Equal sizes in flash order, each below the one placed before it.
    assert_true(b1->mem_start > b3->mem_start);
    assert_true(s0->mem_start > s2->mem_start);
}

// Apps linked for fixed addresses (RISC-V): each gets exactly the RAM block it was linked
// for, an app without fixed RAM is packed around them, and one asking for RAM another app
// holds, RAM outside the pool, or installed at another flash address is reported with the
// addresses and skipped, while the others load.
// An app whose header has a Permissions TLV is loaded filtered, its entries read where
// they are in its flash header (so nothing is copied), and frame_limit 0 keeps every trap
// of it off the ports' unfiltered paths; an app without one is not filtered.
static void test_permissions_tlv_filters_its_app_only(void **state)
{
    (void)state;
    uint8_t e[32] = {0};
    wr32(e, 0x1); // console: commands 0 and 1
    wr32(e + 8, 0x3);
    wr32(e + 16, 0x0); // alarm: command 64 + 5
    wr32(e + 20, 1);
    wr32(e + 24, 1u << 5);
    perm_tlv = e;
    perm_n = 2;
    put_app(0x000, "filt", 0x400);
    perm_tlv = NULL;
    put_app(0x200, "free", 0x400);
    assert_int_equal(load(), 2);
    const struct process *f = find("filt"), *u = find("free");
    assert_non_null(f);
    assert_non_null(u);
    struct tbf_header h;
    assert_int_equal(tbf_parse((const uint8_t *)(uintptr_t)f->flash_start, f->flash_len, &h),
                     TBF_OK);
    assert_true(process_filtered(f));
    assert_int_equal(f->frame_limit, 0);
    // What the kernel reads at each filtered call: the TLV the parser found, in flash.
    uint16_t len = 0;
    const uint8_t *v =
        tbf_find_tlv((const uint8_t *)(uintptr_t)f->flash_start, TBF_TLV_PERMISSIONS, &len);
    assert_ptr_equal(v + 2, h.permissions);
    assert_int_equal(len, 2 + 16 * 2);
    assert_true(tbf_perms_command_allowed(v + 2, 2, 0x1, 1));
    assert_false(tbf_perms_command_allowed(v + 2, 2, 0x1, 2));
    assert_true(tbf_perms_command_allowed(v + 2, 2, 0x0, 69));
    assert_false(tbf_perms_command_allowed(v + 2, 2, 0x0, 5));
    assert_null(
        tbf_find_tlv((const uint8_t *)(uintptr_t)u->flash_start, TBF_TLV_PERMISSIONS, &len));
    assert_false(process_filtered(u));
    assert_int_equal(u->frame_limit, process_frame_limit(u->mem_start, u->app_brk));
}

static void test_fixed_addresses(void **state)
{
    (void)state;
    uint32_t at1 = pool_start + 0x1000, at2 = pool_start + 0x4000;
    put_app_at(0x000, "fixa", 0x800, true, flash_start + 0x000 + fixed_header_size(4), at1);
    put_app_at(0x200, "fixb", 0x400, true, flash_start + 0x200 + fixed_header_size(4), at2);
    put_app(0x400, "free", 0x3000);
    // Overlaps fixa's block.
    put_app_at(0x600, "clsh", 0x100, true, flash_start + 0x600 + fixed_header_size(4), at1 + 0x100);
    // Outside the pool.
    put_app_at(0x800, "away", 0x100, true, flash_start + 0x800 + fixed_header_size(4),
               pool_start + POOL_LEN + 0x100);
    // Linked for the slot of the app before it.
    put_app_at(0xA00, "moved", 0x100, true, flash_start + 0x800 + fixed_header_size(5),
               pool_start + 0x8000);
    assert_int_equal(load(), 3);
    check_loaded_blocks();
    const struct process *a = find("fixa"), *b = find("fixb"), *f = find("free");
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(f);
    assert_int_equal(a->mem_start, at1);
    assert_int_equal(b->mem_start, at2);
    // The free app's block touches neither fixed block.
    const struct process *fixed[] = {a, b};
    for (size_t i = 0; i < 2; i++)
        assert_true((uint64_t)f->mem_start + f->mem_len <= fixed[i]->mem_start ||
                    (uint64_t)fixed[i]->mem_start + fixed[i]->mem_len <= f->mem_start);
    char want[160];
    snprintf(want, sizeof want, "'clsh': linked for RAM at 0x%08x", at1 + 0x100);
    assert_non_null(strstr(out, want));
    snprintf(want, sizeof want, "'away': linked for RAM at 0x%08x", pool_start + POOL_LEN + 0x100);
    assert_non_null(strstr(out, want));
    snprintf(want, sizeof want, "'moved': linked for flash 0x%08x, installed at 0x%08x, skipped",
             flash_start + 0x800 + fixed_header_size(5),
             flash_start + 0xA00 + fixed_header_size(5));
    assert_non_null(strstr(out, want));
    assert_null(find("clsh"));
    assert_null(find("away"));
    assert_null(find("moved"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fixed_addresses, test_setup),
        cmocka_unit_test_setup(test_huge_minimum_ram_is_skipped, test_setup),
        cmocka_unit_test_setup(test_largest_fitting_minimum_ram_loads, test_setup),
        cmocka_unit_test_setup(test_tiny_minimum_ram_gets_arch_minimum, test_setup),
        cmocka_unit_test_setup(test_pool_limits_the_process_count, test_setup),
        cmocka_unit_test_setup(test_slots_run_out_before_ram, test_setup),
        cmocka_unit_test_setup(test_mixed_sizes_largest_first, test_setup),
        cmocka_unit_test_setup(test_permissions_tlv_filters_its_app_only, test_setup),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

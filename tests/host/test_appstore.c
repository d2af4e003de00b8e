// SPDX-License-Identifier: Apache-2.0
// Power cut at every flash write and erase of an app store install, update and remove: the real
// loader then boots the old or the new app set, and the store recovers.
//
// A simulated NOR flash (the flash HIL's promises exactly: erase to 0xFF, writes clear
// bits, a cut operation takes effect on a prefix of its words) loses power at operation
// k, for every k of the uncut run and with 0, 1 or half of the operation's words done.
// The flash image left behind is booted by loader_load_all (kernel/loader.c, as on the
// board) and the set of (name, version) it starts must equal the set before or after the
// operation. Then power comes back and the same operation is run again from the start: it
// must finish with the new set.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../capsules/appstore.h"
#include "host_arena.h"
#include "process.h"
#include "sched.h"
#include <cairn/debug.h>
#include <cairn/deferred.h>
#include <cairn/errorcode.h>
#include <cairn/kernel.h>
#include <cairn/tbf.h>

void kernel_set_config_for_test(const struct kernel_config *cfg);
void deferred_call_reset_for_test(void);

#define FLASH_LEN 0x8000u // apps region: 64 pages of 512
#define PAGE      512u
#define POOL_LEN  0x10000u
#define ARENA_LEN (FLASH_LEN + POOL_LEN)

static uint8_t *arena;
static uint32_t flash_start, pool_start;

static void quiet(char c)
{
    (void)c;
}

// ---- simulated NOR with a power cut -------------------------------------------------

struct simflash {
    struct flash hil;
    struct flash_client *client;
    struct deferred_call dc;
    long ops;    // operations started so far
    long cut_at; // the operation during which power fails (-1: never)
    int torn;    // words of the cut operation that take effect (-1: half)
    bool dead;
};

static struct simflash sim;

static void sim_done(void *ctx)
{
    struct simflash *f = ctx;
    if (!f->dead && f->client)
        f->client->done(f->client, OK);
}

// The words [0, n) of an operation of len bytes take effect if power fails now.
static uint32_t words_done(struct simflash *f, uint32_t len)
{
    if (f->ops - 1 != f->cut_at)
        return len / 4;
    f->dead = true;
    uint32_t w = f->torn < 0 ? len / 8 : (uint32_t)f->torn;
    return w > len / 4 ? len / 4 : w;
}

static int sim_write(struct flash *fl, uint32_t off, const uint8_t *buf, uint32_t len)
{
    struct simflash *f = (struct simflash *)fl;
    assert_true(off % 4 == 0 && len % 4 == 0 && off + len <= FLASH_LEN);
    if (f->dead)
        return OK; // power is off: nothing happens, nothing completes
    f->ops++;
    uint32_t n = words_done(f, len) * 4;
    for (uint32_t i = 0; i < n; i++)
        arena[off + i] &= buf[i];
    deferred_call_schedule(&f->dc);
    return OK;
}

static int sim_erase(struct flash *fl, uint32_t off)
{
    struct simflash *f = (struct simflash *)fl;
    assert_true(off % PAGE == 0 && off < FLASH_LEN);
    if (f->dead)
        return OK;
    f->ops++;
    uint32_t n = words_done(f, PAGE) * 4;
    memset(arena + off, 0xFF, n);
    deferred_call_schedule(&f->dc);
    return OK;
}

static void sim_set_client(struct flash *fl, struct flash_client *c)
{
    ((struct simflash *)fl)->client = c;
}

static const struct flash_ops sim_ops = {sim_write, sim_erase, sim_set_client};

static void sim_init(long cut_at, int torn)
{
    deferred_call_reset_for_test();
    sim = (struct simflash){.hil = {.ops = &sim_ops}, .cut_at = cut_at, .torn = torn};
    sim.hil.info = (struct flash_info){
        .map = arena, .base = flash_start, .size = FLASH_LEN, .page_size = PAGE, .write_align = 4};
    deferred_call_register(&sim.dc, sim_done, &sim);
}

// ---- the store, driven to completion --------------------------------------------------

static struct appstore store;
static int last_err;
static bool finished;

static void on_done(struct appstore *s, int err, const char *msg)
{
    (void)s;
    (void)msg;
    last_err = err;
    finished = true;
}

// Run one store call to its end. Returns its result, or -1 if power failed first.
static int run(int r)
{
    if (r != APPSTORE_PENDING)
        return r;
    finished = false;
    while (deferred_call_pending())
        deferred_call_run();
    return finished ? last_err : -1;
}

// Size 512 or 1024, app_version ver, package name name; the code bytes are a pattern.
static uint32_t make_app(uint8_t *img, const char *name, uint32_t ver, uint32_t total)
{
    memset(img, 0, total);
    uint32_t pos = 16;
    uint8_t v[20];
#define TLV(type, len)                                                                             \
    do {                                                                                           \
        img[pos] = (uint8_t)(type);                                                                \
        img[pos + 1] = 0;                                                                          \
        img[pos + 2] = (uint8_t)(len);                                                             \
        img[pos + 3] = 0;                                                                          \
        memcpy(img + pos + 4, v, len);                                                             \
        pos += 4 + (((len) + 3u) & ~3u);                                                           \
    } while (0)
    uint32_t w[5] = {0x41, 0, 1024, total - 64, ver};
    memcpy(v, w, 20);
    TLV(TBF_TLV_PROGRAM, 20);
    size_t nl = strlen(name);
    memset(v, 0, sizeof v);
    memcpy(v, name, nl);
    TLV(TBF_TLV_PACKAGE_NAME, nl);
    uint16_t kv[2] = {2, 3};
    memcpy(v, kv, 4);
    TLV(TBF_TLV_KERNEL_VERSION, 4);
#undef TLV
    uint32_t base[3] = {2u | (pos << 16), total, TBF_FLAG_ENABLED};
    memcpy(img, base, 12);
    for (uint32_t i = pos; i < total; i++)
        img[i] = (uint8_t)(i * 7 + ver + name[0]);
    uint32_t sum = tbf_checksum(img, pos);
    memcpy(img + 12, &sum, 4);
    struct tbf_header h;
    assert_int_equal(tbf_parse(img, total, &h), TBF_OK);
    return total;
}

// install/update of an image: begin, chunks, commit. Returns OK, an error, or -1 (cut).
static int transfer(enum appstore_kind kind, uint8_t *img, uint32_t total)
{
    int r = run(appstore_begin(&store, kind, total, appstore_crc32(0, img, total), img, 256));
    if (r != OK)
        return r;
    static uint8_t chunk[256];
    for (uint32_t off = appstore_written(&store); off < total; off += 256) {
        memcpy(chunk, img + off, 256);
        r = run(appstore_write(&store, off, chunk, 256));
        if (r != OK)
            return r;
    }
    return run(appstore_commit(&store));
}

// ---- booting the flash with the real loader -----------------------------------------

static void check_image(const char *id, const uint8_t *at);

static struct kernel_config config;

// The set booted: "name@version" sorted, joined by spaces.
static void boot_set(char *out, size_t n)
{
    memset(arena + FLASH_LEN, 0, POOL_LEN); // the loader puts a fresh process table here
    debug_init(quiet, NULL);
    config = (struct kernel_config){.fault_policy = FAULT_POLICY_STOP,
                                    .app_flash_start = flash_start,
                                    .app_flash_end = flash_start + FLASH_LEN,
                                    .app_ram_start = pool_start,
                                    .app_ram_end = pool_start + POOL_LEN};
    kernel_set_config_for_test(&config);
    loader_load_all(&config);
    char items[PROCESS_MAX][48];
    unsigned k = 0;
    for (unsigned i = 0; i < process_count; i++) {
        const struct process *p = process_table[i];
        if (!p)
            continue;
        struct tbf_header h;
        tbf_parse((const uint8_t *)(uintptr_t)p->flash_start, FLASH_LEN, &h);
        snprintf(items[k], sizeof items[0], "%.*s@%u", (int)p->name_len, p->name,
                 (unsigned)h.app_version);
        check_image(items[k++], (const uint8_t *)(uintptr_t)p->flash_start);
    }
    qsort(items, k, sizeof items[0], (int (*)(const void *, const void *))strcmp);
    out[0] = '\0';
    for (unsigned i = 0; i < k; i++) {
        strncat(out, items[i], n - strlen(out) - 1);
        strncat(out, " ", n - strlen(out) - 1);
    }
}

static uint8_t img_a1[1024], img_b1[512], img_c1[512], img_d1[1024], img_a2[1024];
static const struct {
    const char *id;
    const uint8_t *img;
    uint32_t len;
} images[] = {
    {"beat_a@1", img_a1, sizeof img_a1}, {"beat_b@1", img_b1, sizeof img_b1},
    {"beat_c@1", img_c1, sizeof img_c1}, {"beat_d@1", img_d1, sizeof img_d1},
    {"beat_a@2", img_a2, sizeof img_a2},
};

// A booted app must be exactly the image that was sent, every byte of it.
static void check_image(const char *id, const uint8_t *at)
{
    for (size_t i = 0; i < sizeof images / sizeof images[0]; i++) {
        if (strcmp(images[i].id, id) == 0) {
            if (memcmp(at, images[i].img, images[i].len) != 0)
                fail_msg("%s boots from an image that differs from the one sent", id);
            return;
        }
    }
    fail_msg("%s boots, but no such image was ever sent", id);
}
static uint8_t start_image[FLASH_LEN];

enum op { OP_INSTALL_D, OP_UPDATE_A, OP_REMOVE_B, OP_REMOVE_C };

static int do_op(enum op op)
{
    switch (op) {
    case OP_INSTALL_D:
        return transfer(APPSTORE_INSTALL, img_d1, sizeof img_d1);
    case OP_UPDATE_A:
        return transfer(APPSTORE_UPDATE, img_a2, sizeof img_a2);
    case OP_REMOVE_B:
        return run(appstore_remove(&store, "beat_b", 6));
    case OP_REMOVE_C:
        return run(appstore_remove(&store, "beat_c", 6));
    }
    return FAIL;
}

static const char *const new_sets[] = {
    [OP_INSTALL_D] = "beat_a@1 beat_b@1 beat_c@1 beat_d@1 ",
    [OP_UPDATE_A] = "beat_a@2 beat_b@1 beat_c@1 ",
    [OP_REMOVE_B] = "beat_a@1 beat_c@1 ",
    [OP_REMOVE_C] = "beat_a@1 beat_b@1 ",
};
static const char old_set[] = "beat_a@1 beat_b@1 beat_c@1 ";

// Three apps installed through the store from an erased region (no cut).
static void build_start_image(void)
{
    memset(arena, 0xFF, FLASH_LEN);
    sim_init(-1, 0);
    appstore_init(&store, &sim.hil, NULL, true, on_done);
    assert_int_equal(transfer(APPSTORE_INSTALL, img_a1, sizeof img_a1), OK);
    assert_int_equal(transfer(APPSTORE_INSTALL, img_b1, sizeof img_b1), OK);
    assert_int_equal(transfer(APPSTORE_INSTALL, img_c1, sizeof img_c1), OK);
    // An interrupted transfer left bytes beyond the end (then the device lost its RAM):
    // what follows must erase them first.
    static uint8_t chunk[256];
    assert_int_equal(run(appstore_begin(&store, APPSTORE_INSTALL, sizeof img_d1,
                                        appstore_crc32(0, img_d1, sizeof img_d1), img_d1, 256)),
                     OK);
    for (uint32_t off = 0; off < 768; off += 256) {
        memcpy(chunk, img_d1 + off, 256);
        assert_int_equal(run(appstore_write(&store, off, chunk, 256)), OK);
    }
    memcpy(start_image, arena, FLASH_LEN);
    char set[256];
    boot_set(set, sizeof set);
    assert_string_equal(set, old_set);
}

static void cut_everywhere(enum op op)
{
    build_start_image();
    // The uncut run: how many operations it takes, and that it reaches the new set.
    memcpy(arena, start_image, FLASH_LEN);
    sim_init(-1, 0);
    appstore_init(&store, &sim.hil, NULL, true, on_done);
    assert_int_equal(do_op(op), OK);
    long total_ops = sim.ops;
    char set[256];
    boot_set(set, sizeof set);
    assert_string_equal(set, new_sets[op]);
    assert_true(total_ops > 0);
    unsigned cuts = 0, saw_old = 0, saw_new = 0;
    const int torn_kinds[] = {0, 1, -1};
    for (long k = 0; k < total_ops; k++) {
        for (unsigned t = 0; t < 3; t++) {
            memcpy(arena, start_image, FLASH_LEN);
            sim_init(k, torn_kinds[t]);
            appstore_init(&store, &sim.hil, NULL, true, on_done);
            assert_int_equal(do_op(op), -1); // power failed before the end
            cuts++;
            boot_set(set, sizeof set);
            if (strcmp(set, old_set) == 0) {
                saw_old++;
            } else if (strcmp(set, new_sets[op]) == 0) {
                saw_new++;
            } else {
                fail_msg("cut at operation %ld/%ld (torn %d): boots '%s', neither '%s' nor '%s'", k,
                         total_ops, torn_kinds[t], set, old_set, new_sets[op]);
            }
            // Power back: a fresh store (RAM lost) repeats the operation to the end, unless
            // the cut came after it took effect.
            sim_init(-1, 0);
            appstore_init(&store, &sim.hil, NULL, true, on_done);
            if (strcmp(set, old_set) == 0)
                assert_int_equal(do_op(op), OK);
            boot_set(set, sizeof set);
            assert_string_equal(set, new_sets[op]);
        }
    }
    print_message("%u cuts over %ld operations: %u booted the old set, %u the new\n", cuts,
                  total_ops, saw_old, saw_new);
    assert_true(saw_old > 0 && saw_new > 0);
}

static void test_cut_install(void **state)
{
    (void)state;
    cut_everywhere(OP_INSTALL_D);
}

static void test_cut_update(void **state)
{
    (void)state;
    cut_everywhere(OP_UPDATE_A);
}

static void test_cut_remove(void **state)
{
    (void)state;
    cut_everywhere(OP_REMOVE_B);
}

// Refusals: a duplicate name, an update without a newer version, a truncated transfer, a
// corrupted transfer, an image larger than the free flash; none changes what boots.
static void test_cut_remove_last(void **state)
{
    (void)state;
    cut_everywhere(OP_REMOVE_C);
}

static void test_refusals(void **state)
{
    (void)state;
    build_start_image();
    appstore_init(&store, &sim.hil, NULL, true, on_done);
    char set[256];
    assert_int_equal(transfer(APPSTORE_INSTALL, img_a2, sizeof img_a2), ALREADY);
    assert_non_null(strstr(appstore_msg(&store), "already installed"));
    assert_int_equal(transfer(APPSTORE_UPDATE, img_a1, sizeof img_a1), INVAL);
    assert_non_null(strstr(appstore_msg(&store), "newer version"));
    // Truncated: half the chunks, then commit.
    assert_int_equal(run(appstore_begin(&store, APPSTORE_INSTALL, sizeof img_d1,
                                        appstore_crc32(0, img_d1, sizeof img_d1), img_d1, 256)),
                     OK);
    static uint8_t chunk[256];
    memcpy(chunk, img_d1, 256);
    assert_int_equal(run(appstore_write(&store, 0, chunk, 256)), OK);
    assert_int_equal(run(appstore_commit(&store)), SIZE);
    assert_non_null(strstr(appstore_msg(&store), "incomplete"));
    // Corrupted on the way: the CRC the host sent does not match what arrived.
    uint8_t bad[1024];
    memcpy(bad, img_d1, sizeof bad);
    assert_int_equal(run(appstore_begin(&store, APPSTORE_INSTALL, sizeof bad,
                                        appstore_crc32(0, img_d1, sizeof img_d1), bad, 256)),
                     OK);
    bad[700] ^= 0x10;
    for (uint32_t off = 0; off < sizeof bad; off += 256) {
        memcpy(chunk, bad + off, 256);
        assert_int_equal(run(appstore_write(&store, off, chunk, 256)), OK);
    }
    assert_int_equal(run(appstore_commit(&store)), FAIL);
    assert_non_null(strstr(appstore_msg(&store), "checksum failure"));
    // Too big: 64 kB in a 32 kB region.
    static uint8_t big[0x10000];
    make_app(big, "huge", 1, sizeof big);
    assert_int_equal(transfer(APPSTORE_INSTALL, big, sizeof big), NOMEM);
    assert_non_null(strstr(appstore_msg(&store), "too big for free flash"));
    boot_set(set, sizeof set);
    assert_string_equal(set, old_set);
}

// Space of removed apps at the end of the chain is erased and used again.
static void test_reclaim(void **state)
{
    (void)state;
    build_start_image();
    appstore_init(&store, &sim.hil, NULL, true, on_done);
    uint32_t free0 = appstore_free_tail(&store);
    assert_int_equal(run(appstore_remove(&store, "beat_c", 6)), OK);
    assert_int_equal(appstore_free_tail(&store), free0 + 512);
    assert_int_equal(transfer(APPSTORE_INSTALL, img_c1, sizeof img_c1), OK);
    assert_int_equal(appstore_free_tail(&store), free0);
}

static int group_setup(void **state)
{
    (void)state;
    arena = host_map_low(ARENA_LEN);
    if (!arena)
        return -1;
    flash_start = host_addr(arena);
    pool_start = flash_start + FLASH_LEN;
    make_app(img_a1, "beat_a", 1, sizeof img_a1);
    make_app(img_b1, "beat_b", 1, sizeof img_b1);
    make_app(img_c1, "beat_c", 1, sizeof img_c1);
    make_app(img_d1, "beat_d", 1, sizeof img_d1);
    make_app(img_a2, "beat_a", 2, sizeof img_a2);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_install), cmocka_unit_test(test_cut_update),
        cmocka_unit_test(test_cut_remove),  cmocka_unit_test(test_cut_remove_last),
        cmocka_unit_test(test_refusals),    cmocka_unit_test(test_reclaim),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}

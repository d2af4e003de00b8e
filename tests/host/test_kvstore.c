// SPDX-License-Identifier: Apache-2.0
// Key-value store: a power cut at every flash write and erase of a workload loses at most the
// operation in flight, and collection and wear spreading work.
//
// A simulated NOR flash (erase to 0xFF, writes AND bits in) stops at operation k, for
// every k of the uncut workload, with none, one, half or all but one of that operation's
// words done (the flash HIL's promise: an address-ordered prefix). The store is then
// mounted again on what flash holds: every key must hold the value of the last operation
// that completed on it, the interrupted operation's key its old or its new value, and no
// committed record may be damaged; then the rest of the workload must run as if nothing
// had happened (this finishes interrupted collections).
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../capsules/kvstore.h"
#include <cairn/errorcode.h>

#define PAGE   1024u
#define NP_MAX 16u
#define NKEYS  8

// ---- simulated NOR flash that loses power at one operation ---------------------------

static struct sim {
    struct flash hil;
    struct flash_client *client;
    uint8_t mem[PAGE * NP_MAX];
    bool pending, dead;
    long ops, cut_at;
    int torn; // words of the cut operation done: -1 half, -2 all but one, else that many
    uint32_t erases[NP_MAX];
} sim;

static uint32_t prefix_words(uint32_t words)
{
    long t = sim.torn == -1 ? (long)words / 2 : sim.torn == -2 ? (long)words - 1 : sim.torn;
    if (t < 0)
        t = 0;
    return (uint32_t)t > words ? words : (uint32_t)t;
}

// Starts one operation: returns the number of bytes that take effect.
static uint32_t sim_begin(uint32_t len)
{
    assert_false(sim.pending); // the store never overlaps operations
    long k = sim.ops++;
    if (k == sim.cut_at) {
        sim.dead = true;
        return prefix_words(len / 4) * 4;
    }
    sim.pending = true;
    return len;
}

static int sim_write(struct flash *f, uint32_t off, const uint8_t *buf, uint32_t len)
{
    (void)f;
    assert_true(off % 4 == 0 && len % 4 == 0 && off + len <= sizeof sim.mem);
    if (sim.dead)
        return FAIL;
    uint32_t n = sim_begin(len);
    for (uint32_t i = 0; i < n; i++)
        sim.mem[off + i] &= buf[i];
    return OK;
}

static int sim_erase(struct flash *f, uint32_t off)
{
    (void)f;
    assert_true(off % PAGE == 0 && off < sizeof sim.mem);
    if (sim.dead)
        return FAIL;
    uint32_t n = sim_begin(PAGE);
    memset(sim.mem + off, 0xFF, n);
    if (n == PAGE)
        sim.erases[off / PAGE]++;
    return OK;
}

static void sim_set_client(struct flash *f, struct flash_client *c)
{
    (void)f;
    sim.client = c;
}

static const struct flash_ops sim_ops = {sim_write, sim_erase, sim_set_client};

static void sim_reset(uint32_t npages)
{
    memset(&sim, 0, sizeof sim);
    memset(sim.mem, 0xFF, sizeof sim.mem);
    sim.hil.ops = &sim_ops;
    sim.hil.info = (struct flash_info){sim.mem, 0, npages * PAGE, PAGE, 4};
    sim.cut_at = -1;
}

// Power comes back: the same flash, no operation in flight.
static void sim_power_on(void)
{
    sim.dead = sim.pending = false;
    sim.cut_at = -1;
}

// ---- the store under test, run to completion ------------------------------------------

static struct kvstore kv;
static int last_err;
static bool completed;

static void on_done(struct kvstore *s, int err)
{
    (void)s;
    last_err = err;
    completed = true;
}

// Runs the flash until the operation completes or power fails. Returns the operation's
// result, or -1 if power failed first.
static int pump(int started)
{
    if (started != KV_PENDING)
        return started;
    completed = false;
    while (!completed) {
        if (sim.dead)
            return -1;
        assert_true(sim.pending);
        sim.pending = false;
        sim.client->done(sim.client, OK);
    }
    return last_err;
}

static const struct storage_perms owner1 = {1, 1, 1, {1}, {1}};
static const struct storage_perms owner2 = {2, 1, 1, {2}, {2}};
static const struct storage_perms reader_of_1 = {0, 1, 0, {1}, {0}}; // reads 1, writes nothing

static int op(enum kv_op o, const char *key, const uint8_t *val, uint32_t vlen,
              const struct storage_perms *p)
{
    uint32_t klen = (uint32_t)strlen(key);
    memcpy(kvstore_key_buf(&kv), key, klen);
    if (vlen)
        memcpy(kvstore_value_buf(&kv, klen), val, vlen);
    return pump(kvstore_begin(&kv, o, klen, vlen, p));
}

static int get(const char *key, const struct storage_perms *p, uint8_t *out, uint32_t *len)
{
    const uint8_t *v;
    int err = kvstore_get(&kv, (const uint8_t *)key, (uint32_t)strlen(key), p, &v, len);
    if (err == OK)
        memcpy(out, v, *len);
    return err;
}

// ---- the workload and its model --------------------------------------------------------

static const char *const keys[NKEYS] = {"static", "a", "bb", "ccc", "dddd", "e", "ff", "g"};

struct kval {
    bool present;
    uint32_t len;
    uint8_t v[KV_VALUE_MAX];
};

struct step {
    enum kv_op op;
    int key;
    uint32_t len; // value bytes (SET, ADD, UPDATE)
};

#define NSTEPS 300
static struct step steps[NSTEPS];

static void value_of(int step, uint32_t len, uint8_t *v)
{
    for (uint32_t i = 0; i < len; i++)
        v[i] = (uint8_t)(step * 31 + i * 7 + 1);
}

// A deterministic mix: the static key once, then mostly SETs of the others with sizes
// from 1 to 60 bytes, and ADDs, UPDATEs and DELETEs that succeed or are refused.
static void make_steps(void)
{
    uint32_t x = 12345;
    steps[0] = (struct step){KV_OP_SET, 0, 40};
    for (int i = 1; i < NSTEPS; i++) {
        x = x * 1103515245u + 12345u;
        uint32_t r = x >> 16;
        int key = 1 + (int)(r % (NKEYS - 1));
        uint32_t len = 1 + (r >> 3) % 60;
        enum kv_op o = (r >> 9) % 8 == 0   ? KV_OP_DELETE
                       : (r >> 9) % 8 == 1 ? KV_OP_ADD
                       : (r >> 9) % 8 == 2 ? KV_OP_UPDATE
                                           : KV_OP_SET;
        steps[i] = (struct step){o, key, len};
    }
}

// What the step should return on the model, and the model after it.
static int model_apply(struct kval *m, int i)
{
    struct step *s = &steps[i];
    struct kval *k = &m[s->key];
    switch (s->op) {
    case KV_OP_ADD:
        if (k->present)
            return NOSUPPORT;
        break;
    case KV_OP_UPDATE:
    case KV_OP_DELETE:
        if (!k->present)
            return NOSUPPORT;
        break;
    default:
        break;
    }
    if (s->op == KV_OP_DELETE) {
        k->present = false;
        return OK;
    }
    k->present = true;
    k->len = s->len;
    value_of(i, s->len, k->v);
    return OK;
}

static void check_key(const struct kval *k, const char *key)
{
    uint8_t got[KV_VALUE_MAX];
    uint32_t len = 0;
    int err = get(key, &owner1, got, &len);
    if (!k->present) {
        assert_int_equal(err, NOSUPPORT);
        return;
    }
    assert_int_equal(err, OK);
    assert_int_equal(len, k->len);
    assert_memory_equal(got, k->v, len);
}

static bool key_matches(const struct kval *k, const char *key)
{
    uint8_t got[KV_VALUE_MAX];
    uint32_t len = 0;
    int err = get(key, &owner1, got, &len);
    if (!k->present)
        return err == NOSUPPORT;
    return err == OK && len == k->len && memcmp(got, k->v, len) == 0;
}

static void check_all(const struct kval *m)
{
    for (int k = 0; k < NKEYS; k++)
        check_key(&m[k], keys[k]);
    assert_int_equal(kvstore_check(&kv, NULL), 0);
}

// Runs steps from first on; stops at a power cut. Returns the step cut, or -1.
static int run_steps(struct kval *m, int first)
{
    for (int i = first; i < NSTEPS; i++) {
        struct kval before[NKEYS];
        memcpy(before, m, sizeof before);
        int want = model_apply(m, i);
        uint8_t v[KV_VALUE_MAX];
        value_of(i, steps[i].len, v);
        uint32_t vlen = steps[i].op == KV_OP_DELETE ? 0 : steps[i].len;
        int got = op(steps[i].op, keys[steps[i].key], v, vlen, &owner1);
        if (got == -1) {
            memcpy(m, before, sizeof before); // the model keeps the last completed state
            return i;
        }
        if (got != want)
            fail_msg("step %d (op %d key %s): got %d, want %d", i, steps[i].op, keys[steps[i].key],
                     got, want);
    }
    return -1;
}

static long uncut_ops(uint32_t npages)
{
    struct kval m[NKEYS] = {0};
    sim_reset(npages);
    assert_int_equal(kvstore_init(&kv, &sim.hil, on_done), OK);
    assert_int_equal(run_steps(m, 0), -1);
    check_all(m);
    return sim.ops;
}

// ---- tests ----------------------------------------------------------------------------

static void test_workload_uncut(void **state)
{
    (void)state;
    long ops = uncut_ops(4);
    assert_true(kv.collections > 0); // the workload must make the store collect
    print_message("workload: %ld flash operations, %u collections, %u erases\n", ops,
                  (unsigned)kv.collections, (unsigned)kv.erases);
}

static void test_power_cut_everywhere(void **state)
{
    (void)state;
    long total = uncut_ops(4);
    static const int torn_modes[] = {0, 1, -1, -2};
    long runs = 0;
    for (long cut = 0; cut < total; cut++) {
        for (unsigned t = 0; t < sizeof torn_modes / sizeof torn_modes[0]; t++) {
            struct kval m[NKEYS] = {0};
            sim_reset(4);
            sim.cut_at = cut;
            sim.torn = torn_modes[t];
            assert_int_equal(kvstore_init(&kv, &sim.hil, on_done), OK);
            int at = run_steps(m, 0);
            assert_true(at >= 0);
            // Remount on what flash holds.
            sim_power_on();
            assert_int_equal(kvstore_init(&kv, &sim.hil, on_done), OK);
            assert_int_equal(kvstore_check(&kv, NULL), 0);
            // Every key but the interrupted one holds its last completed value; that one
            // holds its old or its new value, never anything else.
            struct kval after[NKEYS];
            memcpy(after, m, sizeof after);
            model_apply(after, at);
            int k = steps[at].key;
            for (int j = 0; j < NKEYS; j++)
                if (j != k)
                    check_key(&m[j], keys[j]);
            bool old = key_matches(&m[k], keys[k]), neu = key_matches(&after[k], keys[k]);
            if (!old && !neu)
                fail_msg("cut at op %ld (torn %d, step %d): key %s holds neither value", cut,
                         torn_modes[t], at, keys[k]);
            if (neu)
                memcpy(m, after, sizeof after);
            // The store goes on: the rest of the workload gives the uncut results.
            assert_int_equal(run_steps(m, at + 1), -1);
            check_all(m);
            runs++;
        }
    }
    print_message("%ld power cuts over %ld flash operations\n", runs, total);
}

static void test_permissions(void **state)
{
    (void)state;
    sim_reset(4);
    assert_int_equal(kvstore_init(&kv, &sim.hil, on_done), OK);
    uint8_t v[4] = {1, 2, 3, 4}, got[8];
    uint32_t len;
    assert_int_equal(op(KV_OP_SET, "k", v, 4, &owner1), OK);
    // Another writer can neither read, replace, update nor delete it, nor add it again.
    assert_int_equal(get("k", &owner2, got, &len), NOSUPPORT);
    assert_int_equal(op(KV_OP_SET, "k", v, 2, &owner2), NOSUPPORT);
    assert_int_equal(op(KV_OP_UPDATE, "k", v, 2, &owner2), NOSUPPORT);
    assert_int_equal(op(KV_OP_DELETE, "k", NULL, 0, &owner2), NOSUPPORT);
    assert_int_equal(op(KV_OP_ADD, "k", v, 2, &owner2), NOSUPPORT);
    // A process with read permission for id 1 reads it but cannot write at all.
    assert_int_equal(get("k", &reader_of_1, got, &len), OK);
    assert_int_equal(len, 4);
    assert_memory_equal(got, v, 4);
    assert_int_equal(op(KV_OP_SET, "new", v, 2, &reader_of_1), INVAL);
    assert_int_equal(op(KV_OP_DELETE, "k", NULL, 0, &reader_of_1), NOSUPPORT);
    // Bad sizes.
    assert_int_equal(op(KV_OP_SET, "", v, 2, &owner1), SIZE);
    char longkey[KV_KEY_MAX + 2];
    memset(longkey, 'x', sizeof longkey - 1);
    longkey[sizeof longkey - 1] = 0;
    assert_int_equal(op(KV_OP_SET, longkey, v, 2, &owner1), SIZE);
    assert_int_equal(pump(kvstore_begin(&kv, KV_OP_SET, 1, KV_VALUE_MAX + 1, &owner1)), SIZE);
    // The owner still sees its value, and deleting it makes it missing for everyone.
    assert_int_equal(get("k", &owner1, got, &len), OK);
    assert_int_equal(op(KV_OP_DELETE, "k", NULL, 0, &owner1), OK);
    assert_int_equal(get("k", &owner1, got, &len), NOSUPPORT);
    assert_int_equal(op(KV_OP_UPDATE, "k", v, 2, &owner1), NOSUPPORT);
    assert_int_equal(op(KV_OP_ADD, "k", v, 3, &owner1), OK);
}

// A store full of live data answers NOMEM and keeps what it has.
static void test_full(void **state)
{
    (void)state;
    sim_reset(3);
    assert_int_equal(kvstore_init(&kv, &sim.hil, on_done), OK);
    uint8_t v[200];
    memset(v, 0x5A, sizeof v);
    char key[16];
    int stored = 0, err = OK;
    for (int i = 0; i < 40 && err == OK; i++) {
        snprintf(key, sizeof key, "k%d", i);
        err = op(KV_OP_SET, key, v, sizeof v, &owner1);
        if (err == OK)
            stored++;
    }
    assert_int_equal(err, NOMEM);
    assert_true(stored >= 2);
    for (int i = 0; i < stored; i++) {
        uint8_t got[KV_VALUE_MAX];
        uint32_t len;
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(get(key, &owner1, got, &len), OK);
        assert_int_equal(len, sizeof v);
    }
    // Deleting makes room again (tombstones and garbage are collected).
    snprintf(key, sizeof key, "k%d", 0);
    assert_int_equal(op(KV_OP_DELETE, key, NULL, 0, &owner1), OK);
    snprintf(key, sizeof key, "k%d", 1);
    assert_int_equal(op(KV_OP_DELETE, key, NULL, 0, &owner1), OK);
    assert_int_equal(op(KV_OP_SET, "again", v, sizeof v, &owner1), OK);
    assert_int_equal(kvstore_check(&kv, NULL), 0);
}

// One key rewritten thousands of times beside one that never changes: every page is
// erased, and no page lags the most worn by much more than KV_WEAR_GAP.
static void test_wear_spread(void **state)
{
    (void)state;
    sim_reset(16);
    assert_int_equal(kvstore_init(&kv, &sim.hil, on_done), OK);
    uint8_t v[48];
    memset(v, 7, sizeof v);
    assert_int_equal(op(KV_OP_SET, "cold", v, sizeof v, &owner1), OK);
    for (int i = 0; i < 6000; i++) {
        v[0] = (uint8_t)i;
        assert_int_equal(op(KV_OP_SET, "hot", v, sizeof v, &owner1), OK);
    }
    uint32_t lo = UINT32_MAX, hi = 0;
    for (unsigned i = 0; i < 16; i++) {
        lo = sim.erases[i] < lo ? sim.erases[i] : lo;
        hi = sim.erases[i] > hi ? sim.erases[i] : hi;
    }
    print_message("erases per page: %u..%u\n", (unsigned)lo, (unsigned)hi);
    assert_true(lo > 0);
    assert_true(hi - lo <= KV_WEAR_GAP + 2);
    uint8_t got[KV_VALUE_MAX];
    uint32_t len;
    assert_int_equal(get("cold", &owner1, got, &len), OK);
    assert_int_equal(got[0], 7);
    assert_int_equal(get("hot", &owner1, got, &len), OK);
    assert_int_equal(got[0], (uint8_t)5999);
}

// The GC command erases pages that hold nothing live, and reports OK when idle.
static void test_gc_command(void **state)
{
    (void)state;
    sim_reset(4);
    assert_int_equal(kvstore_init(&kv, &sim.hil, on_done), OK);
    assert_int_equal(pump(kvstore_begin(&kv, KV_OP_GC, 0, 0, &owner1)), OK);
    uint8_t v[100];
    memset(v, 1, sizeof v);
    for (int i = 0; i < 12; i++)
        assert_int_equal(op(KV_OP_SET, "x", v, sizeof v, &owner1), OK);
    uint32_t before = kv.erases;
    assert_int_equal(pump(kvstore_begin(&kv, KV_OP_GC, 0, 0, &owner1)), OK);
    assert_true(kv.erases > before);
    uint8_t got[KV_VALUE_MAX];
    uint32_t len;
    assert_int_equal(get("x", &owner1, got, &len), OK);
}

int main(void)
{
    make_steps();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workload_uncut), cmocka_unit_test(test_permissions),
        cmocka_unit_test(test_full),           cmocka_unit_test(test_gc_command),
        cmocka_unit_test(test_wear_spread),    cmocka_unit_test(test_power_cut_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

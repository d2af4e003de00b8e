// SPDX-License-Identifier: Apache-2.0
// Host tests of the credential primitives against published vectors (kernel SHA-256, mbed TLS ECDSA
// P-256) and of the checker's policy on signed, hashed, tampered and unsigned TBFs.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../capsules/hmac_drbg.h"
#include "../../tools/tbfcred.h"
#include <cairn/cred.h>
#include <cairn/tbf.h>

static void unhex(const char *h, uint8_t *out, size_t n)
{
    assert_int_equal(strlen(h), 2 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

// --- SHA-256: NIST CAVP, SHA256ShortMsg.rsp (FIPS 180-4 byte-oriented vectors), Len = 0,
// 8, 16, 24 and 32 bits.
static void test_sha256_cavp_short(void **state)
{
    static const struct {
        const char *msg, *md;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"d3", "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1"},
        {"11af", "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98"},
        {"b4190e", "dff2e73091f6c05e528896c4c831b9448653dc2ff043528f6769437bc7b975c2"},
        {"74ba2521", "b16aa56be3880d18cd41e68384cf1ec8c17680c45a02b1575dc1518923ae8b0e"},
    };
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t msg[4], want[32], got[32];
        size_t n = strlen(v[i].msg) / 2;
        unhex(v[i].msg, msg, n);
        unhex(v[i].md, want, 32);
        struct sha256 s;
        sha256_init(&s);
        sha256_update(&s, msg, (uint32_t)n);
        sha256_final(&s, got);
        assert_memory_equal(got, want, 32);
    }
}

// --- ECDSA P-256 with SHA-256: NIST CAVP FIPS 186 ECDSA test vectors (186-3/186-4
// ecdsatestvectors.zip), SigVer.rsp, section [P-256,SHA-256]: one Result = P record and
// two Result = F records (S changed, R changed).
struct sigver {
    const char *msg, *qx, *qy, *r, *s;
    bool pass;
};

static const struct sigver sigver[] = {
    {"e1130af6a38ccb412a9c8d13e15dbfc9e69a16385af3c3f1e5da954fd5e7c45fd75e2b8c36699228e92840c0562f"
     "bf3772f07e17f1add56588dd45f7450e1217ad239922dd9c32695dc71ff2424ca0dec1321aa47064a044b7fe3c2b"
     "97d03ce470a592304c5ef21eed9f93da56bb232d1eeb0035f9bf0dfafdcc4606272b20a3",
     "e424dc61d4bb3cb7ef4344a7f8957a0c5134e16f7a67c074f82e6e12f49abf3c",
     "970eed7aa2bc48651545949de1dddaf0127e5965ac85d1243d6f60e7dfaee927",
     "bf96b99aa49c705c910be33142017c642ff540c76349b9dab72f981fd9347f4f",
     "17c55095819089c2e03b9cd415abdf12444e323075d98f31920b9e0f57ec871c", true},
    {"e4796db5f785f207aa30d311693b3702821dff1168fd2e04c0836825aefd850d9aa60326d88cde1a23c7745351392"
     "c"
     "a2288d632c264f197d05cd424a30336c19fd09bb229654f0222fcb881a4b35c290a093ac159ce13409111ff035841"
     "1"
     "133c24f5b8e2090d6db6558afc36f06ca1f6ef779785adba68db27a409859fc4c4a0",
     "87f8f2b218f49845f6f10eec3877136269f5c1a54736dbdf69f89940cad41555",
     "e15f369036f49842fac7a86c8a2b0557609776814448b8f5e84aa9f4395205e9",
     "d19ff48b324915576416097d2544f7cbdf8768b1454ad20e0baac50e211f23b0",
     "a3e81e59311cdfff2d4784949f7a2cb50ba6c3a91fa54710568e61aca3e847c6", false},
    {"069a6e6b93dfee6df6ef6997cd80dd2182c36653cef10c655d524585655462d683877f95ecc6d6c81623d8fac4e90"
     "0"
     "ed0019964094e7de91f1481989ae1873004565789cbf5dc56c62aedc63f62f3b894c9c6f7788c8ecaadc9bd0e81ad"
     "9"
     "1b2b3569ea12260e93924fdddd3972af5273198f5efda0746219475017557616170e",
     "5cf02a00d205bdfee2016f7421807fc38ae69e6b7ccd064ee689fc1a94a9f7d2",
     "ec530ce3cc5c9d1af463f264d685afe2b4db4b5828d7e61b748930f3ce622a85",
     "dc23d130c6117fb5751201455e99f36f59aba1a6a21cf2d0e7481a97451d6693",
     "d6ce7708c18dbf35d4f8aa7240922dc6823f2e7058cbc1484fcad1599db5018c", false},
};

static uint8_t heap[CRED_SCRATCH_LEN] __attribute__((aligned(8)));

// The vector's hash (the kernel's SHA-256), key and signature.
static void load(const struct sigver *v, uint8_t hash[32], uint8_t key[64], uint8_t sig[64])
{
    uint8_t msg[128];
    unhex(v->msg, msg, sizeof msg);
    struct sha256 s;
    sha256_init(&s);
    sha256_update(&s, msg, sizeof msg);
    sha256_final(&s, hash);
    unhex(v->qx, key, 32);
    unhex(v->qy, key + 32, 32);
    unhex(v->r, sig, 32);
    unhex(v->s, sig + 32, 32);
}

static void test_p256_cavp_sigver(void **state)
{
    for (unsigned i = 0; i < sizeof sigver / sizeof sigver[0]; i++) {
        uint8_t hash[32], key[64], sig[64];
        load(&sigver[i], hash, key, sig);
        assert_int_equal(cred_p256_verify(key, hash, sig, heap, CRED_SCRATCH_HEAP), sigver[i].pass);
        // Too small a heap is told apart from a bad signature.
        assert_int_equal(cred_p256_verify(key, hash, sig, heap, 1024), -1);
    }
}

// The passing vector made to fail in each input: a hash bit, r, s, a key off the curve,
// r = 0 and s = n (out of range).
static void test_p256_tampered_inputs(void **state)
{
    uint8_t hash[32], key[64], sig[64];
    load(&sigver[0], hash, key, sig);
    hash[31] ^= 1;
    assert_int_equal(0, cred_p256_verify(key, hash, sig, heap, CRED_SCRATCH_HEAP));
    hash[31] ^= 1;
    sig[5] ^= 0x40;
    assert_int_equal(0, cred_p256_verify(key, hash, sig, heap, CRED_SCRATCH_HEAP));
    sig[5] ^= 0x40;
    sig[40] ^= 0x02;
    assert_int_equal(0, cred_p256_verify(key, hash, sig, heap, CRED_SCRATCH_HEAP));
    sig[40] ^= 0x02;
    key[63] ^= 1;
    assert_int_equal(0, cred_p256_verify(key, hash, sig, heap, CRED_SCRATCH_HEAP));
    key[63] ^= 1;
    uint8_t zero_r[64];
    memcpy(zero_r, sig, 64);
    memset(zero_r, 0, 32);
    assert_int_equal(0, cred_p256_verify(key, hash, zero_r, heap, CRED_SCRATCH_HEAP));
    uint8_t n_s[64];
    memcpy(n_s, sig, 32);
    unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", n_s + 32, 32);
    assert_int_equal(0, cred_p256_verify(key, hash, n_s, heap, CRED_SCRATCH_HEAP));
    // And it still passes: the heap is reusable after every failure.
    assert_int_equal(1, cred_p256_verify(key, hash, sig, heap, CRED_SCRATCH_HEAP));
}

// --- the checker's policy on TBFs signed by the host tool (tools/tbfcred.c, OpenSSL) ---

#define TOTAL 1024u
#define HS    (16u + 8u + 24u)
#define BEND  (HS + 256u)

static char key_path[64], other_path[64];
static uint8_t trusted[64];

static int keys_setup(void **state)
{
    char err[TBFGEN_ERR_LEN];
    snprintf(key_path, sizeof key_path, "/tmp/test_cred_%d_a.pem", (int)getpid());
    snprintf(other_path, sizeof other_path, "/tmp/test_cred_%d_b.pem", (int)getpid());
    unlink(key_path);
    unlink(other_path);
    if (tbfcred_keygen(key_path, err) || tbfcred_keygen(other_path, err) ||
        tbfcred_public_xy(key_path, trusted, err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int keys_teardown(void **state)
{
    unlink(key_path);
    unlink(other_path);
    return 0;
}

static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

// An app TBF whose footers are one Reserved footer [BEND, TOTAL).
static void build(uint8_t *img)
{
    memset(img, 0, TOTAL);
    wr32(img, 2 | HS << 16);
    wr32(img + 4, TOTAL);
    wr32(img + 8, TBF_FLAG_ENABLED);
    wr32(img + 16, TBF_TLV_KERNEL_VERSION | 4u << 16);
    wr32(img + 20, 2 | 3u << 16);
    wr32(img + 24, TBF_TLV_PROGRAM | 20u << 16);
    wr32(img + 36, 2048); // minimum RAM
    wr32(img + 40, BEND);
    wr32(img + 44, 1);
    wr32(img + 12, tbf_checksum(img, HS));
    for (uint32_t i = HS; i < BEND; i++)
        img[i] = (uint8_t)(i * 7);
    wr32(img + BEND, TBF_TLV_CREDENTIALS | (TOTAL - BEND - 4) << 16);
}

static enum cred_outcome check(const uint8_t *img, bool require, uintptr_t scratch)
{
    struct app_checker c = {require, trusted, cred_check};
    struct tbf_header h;
    assert_int_equal(tbf_parse(img, TOTAL, &h), TBF_OK);
    return cred_check(&c, img, &h, scratch, NULL);
}

static void add(uint8_t *img, bool sha, const char *key)
{
    char err[TBFGEN_ERR_LEN];
    if (sha)
        assert_int_equal(tbfcred_add_sha256(img, TOTAL, err), 0);
    if (key)
        assert_int_equal(tbfcred_add_ecdsa_p256(img, TOTAL, key, err), 0);
}

static void test_policy_unsigned_allowed(void **state)
{
    uint8_t img[TOTAL];
    uintptr_t s = (uintptr_t)heap;
    build(img);
    struct tbf_header h;
    assert_int_equal(tbf_parse(img, TOTAL, &h), TBF_OK);
    assert_int_equal(cred_check(NULL, img, &h, s, NULL), CRED_UNCHECKED);
    assert_int_equal(check(img, false, s), CRED_UNCHECKED);
    add(img, true, NULL);
    assert_int_equal(check(img, false, s), CRED_HASHED);
    img[HS + 10] ^= 1; // a binary byte: the header still parses
    assert_int_equal(check(img, false, s), CRED_R_SHA_MISMATCH);
}

static void test_policy_signature_required(void **state)
{
    uint8_t img[TOTAL];
    uintptr_t s = (uintptr_t)heap;
    build(img);
    assert_int_equal(check(img, true, s), CRED_R_UNSIGNED);
    add(img, true, NULL);
    assert_int_equal(check(img, true, s), CRED_R_UNSIGNED); // integrity is not trust
    add(img, false, key_path);
    assert_int_equal(check(img, true, s), CRED_SIGNED);
    assert_int_equal(check(img, true, 0), CRED_R_NO_RAM);
    // Signed by another key only.
    build(img);
    add(img, false, other_path);
    assert_int_equal(check(img, true, s), CRED_R_BAD_SIG);
    assert_int_equal(check(img, false, s), CRED_UNCHECKED);
    // A signed image changed after signing, in the binary and in the header (with its
    // checksum fixed, as a forger would).
    build(img);
    add(img, false, key_path);
    img[BEND - 1] ^= 0x80;
    assert_int_equal(check(img, true, s), CRED_R_BAD_SIG);
    build(img);
    add(img, false, key_path);
    wr32(img + 36, 4096);
    wr32(img + 12, tbf_checksum(img, HS));
    assert_int_equal(check(img, true, s), CRED_R_BAD_SIG);
}

static void test_policy_malformed_footer(void **state)
{
    uint8_t img[TOTAL];
    build(img);
    wr32(img + BEND, 0x7777u | 8u << 16); // not a credentials TLV
    assert_int_equal(check(img, true, (uintptr_t)heap), CRED_R_MALFORMED);
    assert_int_equal(check(img, false, (uintptr_t)heap), CRED_UNCHECKED);
    // A signature behind a malformed footer is never reached.
    build(img);
    add(img, false, key_path);
    wr32(img + BEND + 4, 7); // format: HMAC-SHA256, refused as Tock's kernel does
    assert_int_equal(check(img, true, (uintptr_t)heap), CRED_R_MALFORMED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_cavp_short),
        cmocka_unit_test(test_p256_cavp_sigver),
        cmocka_unit_test(test_p256_tampered_inputs),
        cmocka_unit_test(test_policy_unsigned_allowed),
        cmocka_unit_test(test_policy_signature_required),
        cmocka_unit_test(test_policy_malformed_footer),
    };
    return cmocka_run_group_tests(tests, keys_setup, keys_teardown);
}

// SPDX-License-Identifier: Apache-2.0
// The RNG capsule's CSPRNG against published vectors: SHA-256 (FIPS 180-2 appendix B),
// HMAC-SHA-256 (RFC 4231 cases 1, 2, 6) and HMAC_DRBG SHA-256 (NIST CAVP HMAC_DRBG.rsp).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../capsules/hmac_drbg.h"

static uint32_t unhex(const char *hex, uint8_t *out)
{
    uint32_t n = 0;
    for (; hex[0] && hex[1]; hex += 2) {
        unsigned v;
        sscanf(hex, "%2x", &v);
        out[n++] = (uint8_t)v;
    }
    return n;
}

static void assert_hex(const uint8_t *got, uint32_t len, const char *want_hex)
{
    uint8_t want[256];
    uint32_t n = unhex(want_hex, want);
    assert_int_equal(n, len);
    assert_memory_equal(got, want, len);
}

static void sha_of(const char *msg, uint8_t out[SHA256_LEN])
{
    struct sha256 s;
    sha256_init(&s);
    sha256_update(&s, msg, (uint32_t)strlen(msg));
    sha256_final(&s, out);
}

static void test_sha256_fips_examples(void **state)
{
    (void)state;
    uint8_t d[SHA256_LEN];
    sha_of("abc", d);
    assert_hex(d, SHA256_LEN, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", d);
    assert_hex(d, SHA256_LEN, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // The same message fed in uneven pieces gives the same digest.
    struct sha256 s;
    sha256_init(&s);
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_update(&s, m, 5);
    sha256_update(&s, m + 5, 50);
    sha256_update(&s, m + 55, (uint32_t)strlen(m) - 55);
    sha256_final(&s, d);
    assert_hex(d, SHA256_LEN, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void hmac_of(const uint8_t *key, uint32_t klen, const char *msg, uint8_t out[SHA256_LEN])
{
    struct hmac_sha256 h;
    hmac_sha256_init(&h, key, klen);
    hmac_sha256_update(&h, msg, (uint32_t)strlen(msg));
    hmac_sha256_final(&h, out);
}

static void test_hmac_rfc4231(void **state)
{
    (void)state;
    uint8_t d[SHA256_LEN], key[131];
    memset(key, 0x0b, 20);
    hmac_of(key, 20, "Hi There", d);
    assert_hex(d, SHA256_LEN, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    hmac_of((const uint8_t *)"Jefe", 4, "what do ya want for nothing?", d);
    assert_hex(d, SHA256_LEN, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // Case 6: a key longer than the block is hashed first.
    memset(key, 0xaa, sizeof key);
    hmac_of(key, sizeof key, "Test Using Larger Than Block-Size Key - Hash Key First", d);
    assert_hex(d, SHA256_LEN, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// Instantiate from a CAVP vector's EntropyInput and Nonce (no personalization string).
static void instantiate_hex(struct hmac_drbg *d, const char *entropy_hex, const char *nonce_hex)
{
    uint8_t e[64], n[32];
    uint32_t el = unhex(entropy_hex, e), nl = unhex(nonce_hex, n);
    hmac_drbg_instantiate(d, e, el, n, nl, NULL, 0);
}

// CAVP HMAC_DRBG.rsp (no reseed), [SHA-256], PersonalizationStringLen 0,
// AdditionalInputLen 0, ReturnedBitsLen 1024, COUNT = 0: instantiate, generate twice, the
// second output is ReturnedBits.
static void test_drbg_cavp_no_reseed(void **state)
{
    (void)state;
    uint8_t out[128];
    struct hmac_drbg d;
    instantiate_hex(&d, "ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488",
                    "659ba96c601dc69fc902940805ec0ca8");
    assert_true(hmac_drbg_generate(&d, out, sizeof out, NULL, 0));
    assert_true(hmac_drbg_generate(&d, out, sizeof out, NULL, 0));
    assert_hex(out, sizeof out,
               "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c4"
               "43c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d"
               "3011bb19d27676c07162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bd"
               "aba806f48be9dcb8");
    assert_int_equal(d.reseed_counter, 3);
}

// CAVP HMAC_DRBG.rsp (PredictionResistance = False, with reseed), [SHA-256], COUNT = 0:
// instantiate, reseed, generate twice.
static void test_drbg_cavp_reseed(void **state)
{
    (void)state;
    uint8_t r[32], out[128];
    struct hmac_drbg d;
    instantiate_hex(&d, "06032cd5eed33f39265f49ecb142c511da9aff2af71203bffaf34a9ca5bd9c0d",
                    "0e66f71edc43e42a45ad3c6fc6cdc4df");
    unhex("01920a4e669ed3a85ae8a33b35a74ad7fb2a6bb4cf395ce00334a9c9a5a5d552", r);
    hmac_drbg_reseed(&d, r, 32, NULL, 0);
    assert_hex(d.v, 32, "c246fa97570ba2b9d9e5b453fe4632366f146fbd8491146563eb463c9eafe50c");
    assert_hex(d.k, 32, "ca43e73325de43c41d7e0a7a3163fb04061b09fcee4c7b8884e969e3bdfdff9a");
    assert_true(hmac_drbg_generate(&d, out, sizeof out, NULL, 0));
    assert_true(hmac_drbg_generate(&d, out, sizeof out, NULL, 0));
    assert_hex(out, sizeof out,
               "76fc79fe9b50beccc991a11b5635783a83536add03c157fb30645e611c2898bb2b1bc215000209208c"
               "d506cb28da2a51bdb03826aaf2bd2335d576d519160842e7158ad0949d1a9ec3e66ea1b1a064b005de"
               "914eac2e9d4f2d72a8616a80225422918250ff66a41bd2f864a6a38cc5b6499dc43f7f2bd09e1e0f8f"
               "5885935124");
}

static void test_drbg_refuses_unseeded_and_oversized(void **state)
{
    (void)state;
    struct hmac_drbg d = {0};
    uint8_t out[8] = {0};
    assert_false(hmac_drbg_generate(&d, out, sizeof out, NULL, 0));
    uint8_t seed[32] = {1};
    hmac_drbg_instantiate(&d, seed, 32, NULL, 0, NULL, 0);
    static uint8_t big[HMAC_DRBG_MAX_REQUEST + 1];
    assert_false(hmac_drbg_generate(&d, big, sizeof big, NULL, 0));
    assert_true(hmac_drbg_generate(&d, big, HMAC_DRBG_MAX_REQUEST, NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_fips_examples),
        cmocka_unit_test(test_hmac_rfc4231),
        cmocka_unit_test(test_drbg_cavp_no_reseed),
        cmocka_unit_test(test_drbg_cavp_reseed),
        cmocka_unit_test(test_drbg_refuses_unseeded_and_oversized),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: Apache-2.0
// SHA-256 (FIPS 180-4), HMAC-SHA-256 (RFC 2104) and HMAC_DRBG (NIST SP 800-90A Rev. 1,
// section 10.1.2) with SHA-256: the RNG capsule's CSPRNG.
//
// Pure computation, no hardware: tests/host/test_hmac_drbg.c checks it against published
// vectors (FIPS 180-2 examples, RFC 4231, NIST CAVP HMAC_DRBG). No prediction resistance
// (the capsule reseeds on a count instead); personalization and additional input are
// accepted as one optional byte string each.
#ifndef CAIRN_HMAC_DRBG_H
#define CAIRN_HMAC_DRBG_H

#include <stdbool.h>
#include <stdint.h>

#define SHA256_LEN   32u
#define SHA256_BLOCK 64u

struct sha256 {
    uint32_t h[8];
    uint64_t bytes; // message length so far
    uint8_t buf[SHA256_BLOCK];
    uint32_t fill; // bytes in buf
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, uint32_t len);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_LEN]);

// HMAC-SHA-256 in pieces: init with a key (any length), update, final.
struct hmac_sha256 {
    struct sha256 inner;
    uint8_t okey[SHA256_BLOCK]; // key XOR opad
};
void hmac_sha256_init(struct hmac_sha256 *h, const uint8_t *key, uint32_t key_len);
void hmac_sha256_update(struct hmac_sha256 *h, const void *data, uint32_t len);
void hmac_sha256_final(struct hmac_sha256 *h, uint8_t out[SHA256_LEN]);

// SP 800-90A: at most 2^19 bits per generate; reseed at least every 2^48 generates. The
// capsule uses a far smaller interval (RNG_RESEED_INTERVAL in rng.h).
#define HMAC_DRBG_MAX_REQUEST 7500u // bytes (< 2^19 bits)

struct hmac_drbg {
    uint8_t k[SHA256_LEN], v[SHA256_LEN];
    uint32_t reseed_counter; // generates since the last (re)seed, plus one; 0: not seeded
    // Working HMAC state of update and generate (never in use by both at once): here, not
    // on the kernel stack, whose 1 kB the RNG's deferred call would otherwise nearly fill.
    struct hmac_sha256 scratch;
};

// Instantiate from entropy || nonce || personalization (each may be empty).
void hmac_drbg_instantiate(struct hmac_drbg *d, const uint8_t *entropy, uint32_t entropy_len,
                           const uint8_t *nonce, uint32_t nonce_len, const uint8_t *pers,
                           uint32_t pers_len);
void hmac_drbg_reseed(struct hmac_drbg *d, const uint8_t *entropy, uint32_t entropy_len,
                      const uint8_t *add, uint32_t add_len);
// out[0..len) from the DRBG. False (nothing written) if not instantiated or len is above
// HMAC_DRBG_MAX_REQUEST.
bool hmac_drbg_generate(struct hmac_drbg *d, uint8_t *out, uint32_t len, const uint8_t *add,
                        uint32_t add_len);

#endif

// SPDX-License-Identifier: Apache-2.0
// SHA-256, HMAC-SHA-256 and HMAC_DRBG (NIST SP 800-90A section 10.1.2), small and plain.
#include "hmac_drbg.h"

// FIPS 180-4 4.2.2: first 32 bits of the fractional parts of the cube roots of the first
// 64 primes.
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32u - n));
}

// The message schedule is kept as a ring of its last 16 words (FIPS 180-4 6.2.2 needs no
// older ones): 64 bytes of kernel stack instead of 256, which the RNG's deferred call
// nests several frames deep.
static void compress(struct sha256 *s, const uint8_t *blk)
{
    uint32_t w[16];
    for (unsigned i = 0; i < 16; i++)
        w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 |
               (uint32_t)blk[4 * i + 2] << 8 | blk[4 * i + 3];
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    uint32_t e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (unsigned i = 0; i < 64; i++) {
        if (i >= 16) {
            uint32_t w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];
            uint32_t s0 = ror(w15, 7) ^ ror(w15, 18) ^ (w15 >> 3);
            uint32_t s1 = ror(w2, 17) ^ ror(w2, 19) ^ (w2 >> 10);
            w[i & 15] += s0 + w[(i - 7) & 15] + s1;
        }
        uint32_t t1 =
            h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i & 15];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
    s->h[5] += f;
    s->h[6] += g;
    s->h[7] += h;
}

void sha256_init(struct sha256 *s)
{
    // FIPS 180-4 5.3.3: square roots of the first 8 primes.
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    for (unsigned i = 0; i < 8; i++)
        s->h[i] = h0[i];
    s->bytes = 0;
    s->fill = 0;
}

void sha256_update(struct sha256 *s, const void *data, uint32_t len)
{
    const uint8_t *p = data;
    s->bytes += len;
    while (len--) {
        s->buf[s->fill++] = *p++;
        if (s->fill == SHA256_BLOCK) {
            compress(s, s->buf);
            s->fill = 0;
        }
    }
}

void sha256_final(struct sha256 *s, uint8_t out[SHA256_LEN])
{
    uint64_t bits = s->bytes * 8u;
    static const uint8_t pad = 0x80, zero = 0;
    sha256_update(s, &pad, 1);
    while (s->fill != SHA256_BLOCK - 8u)
        sha256_update(s, &zero, 1);
    uint8_t len_be[8];
    for (unsigned i = 0; i < 8; i++)
        len_be[i] = (uint8_t)(bits >> (56u - 8u * i));
    sha256_update(s, len_be, 8);
    for (unsigned i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

void hmac_sha256_init(struct hmac_sha256 *h, const uint8_t *key, uint32_t key_len)
{
    uint8_t k[SHA256_BLOCK] = {0};
    if (key_len > SHA256_BLOCK) {
        sha256_init(&h->inner);
        sha256_update(&h->inner, key, key_len);
        sha256_final(&h->inner, k);
    } else {
        for (uint32_t i = 0; i < key_len; i++)
            k[i] = key[i];
    }
    uint8_t ikey[SHA256_BLOCK];
    for (unsigned i = 0; i < SHA256_BLOCK; i++) {
        ikey[i] = k[i] ^ 0x36u;
        h->okey[i] = k[i] ^ 0x5cu;
    }
    sha256_init(&h->inner);
    sha256_update(&h->inner, ikey, SHA256_BLOCK);
}

void hmac_sha256_update(struct hmac_sha256 *h, const void *data, uint32_t len)
{
    sha256_update(&h->inner, data, len);
}

void hmac_sha256_final(struct hmac_sha256 *h, uint8_t out[SHA256_LEN])
{
    uint8_t ih[SHA256_LEN];
    sha256_final(&h->inner, ih);
    sha256_init(&h->inner);
    sha256_update(&h->inner, h->okey, SHA256_BLOCK);
    sha256_update(&h->inner, ih, SHA256_LEN);
    sha256_final(&h->inner, out);
}

// SP 800-90A 10.1.2.2 HMAC_DRBG_Update with provided_data = a || b || c.
static void drbg_update(struct hmac_drbg *d, const uint8_t *a, uint32_t al, const uint8_t *b,
                        uint32_t bl, const uint8_t *c, uint32_t cl)
{
    bool none = al + bl + cl == 0;
    struct hmac_sha256 *h = &d->scratch;
    for (uint8_t round = 0; round < 2; round++) {
        hmac_sha256_init(h, d->k, SHA256_LEN);
        hmac_sha256_update(h, d->v, SHA256_LEN);
        hmac_sha256_update(h, &round, 1);
        hmac_sha256_update(h, a, al);
        hmac_sha256_update(h, b, bl);
        hmac_sha256_update(h, c, cl);
        hmac_sha256_final(h, d->k);
        hmac_sha256_init(h, d->k, SHA256_LEN);
        hmac_sha256_update(h, d->v, SHA256_LEN);
        hmac_sha256_final(h, d->v);
        if (none)
            return;
    }
}

void hmac_drbg_instantiate(struct hmac_drbg *d, const uint8_t *entropy, uint32_t entropy_len,
                           const uint8_t *nonce, uint32_t nonce_len, const uint8_t *pers,
                           uint32_t pers_len)
{
    for (unsigned i = 0; i < SHA256_LEN; i++) {
        d->k[i] = 0x00;
        d->v[i] = 0x01;
    }
    drbg_update(d, entropy, entropy_len, nonce, nonce_len, pers, pers_len);
    d->reseed_counter = 1;
}

void hmac_drbg_reseed(struct hmac_drbg *d, const uint8_t *entropy, uint32_t entropy_len,
                      const uint8_t *add, uint32_t add_len)
{
    drbg_update(d, entropy, entropy_len, add, add_len, 0, 0);
    d->reseed_counter = 1;
}

bool hmac_drbg_generate(struct hmac_drbg *d, uint8_t *out, uint32_t len, const uint8_t *add,
                        uint32_t add_len)
{
    if (d->reseed_counter == 0 || len > HMAC_DRBG_MAX_REQUEST)
        return false;
    if (add_len)
        drbg_update(d, add, add_len, 0, 0, 0, 0);
    for (uint32_t done = 0; done < len;) {
        hmac_sha256_init(&d->scratch, d->k, SHA256_LEN);
        hmac_sha256_update(&d->scratch, d->v, SHA256_LEN);
        hmac_sha256_final(&d->scratch, d->v);
        for (unsigned i = 0; i < SHA256_LEN && done < len; i++)
            out[done++] = d->v[i];
    }
    drbg_update(d, add, add_len, 0, 0, 0, 0);
    d->reseed_counter++;
    return true;
}

// SPDX-License-Identifier: Apache-2.0
// The credentials checker: walks a TBF's footers, checks SHA-256 and ECDSA P-256 (cairn/cred.h).
#include <cairn/cred.h>

#include "arch.h"
#include "hmac_drbg.h" // the kernel's SHA-256 (also the RNG's)

#include <stddef.h>

// CAIRN_CRED_ECDSA=0 (mk/kernel.mk, images built without TRUSTED_KEY): no key, so no
// signature can verify; the verifier and mbed TLS stay out of the image and an ECDSA
// footer passes as it does with a NULL trusted_key. Host tests build it in.
#ifndef CAIRN_CRED_ECDSA
#define CAIRN_CRED_ECDSA 1
#endif

#if CAIRN_CRED_ECDSA
// The ECDSA check on the lent stack: one argument block, since arch_call_on_stack passes one.
struct p256_job {
    const uint8_t *key, *hash, *sig;
    void *heap;
    int ok;
};

static void p256_job_run(void *arg)
{
    struct p256_job *j = arg;
    j->ok = cred_p256_verify(j->key, j->hash, j->sig, j->heap, CRED_SCRATCH_HEAP);
}
#endif

static bool same32(const uint8_t *a, const uint8_t *b)
{
    uint8_t d = 0; // the whole length, whatever differs first
    for (unsigned i = 0; i < 32; i++)
        d |= a[i] ^ b[i];
    return d == 0;
}

enum cred_outcome cred_check(const struct app_checker *c, const uint8_t *img,
                             const struct tbf_header *h, uintptr_t scratch, const uint8_t *base)
{
    if (!c)
        return CRED_UNCHECKED;
    // The covered bytes' hash, computed once when a footer first needs it.
    uint8_t digest[SHA256_LEN];
    bool hashed = false, sha_ok = false, saw_sig = false, malformed = false;
    uint32_t pos = h->binary_end_offset;
    struct tbf_footer f;
    enum tbf_footer_status st;
    while ((st = tbf_footer_next(img, h, &pos, &f)) == TBF_FOOTER_OK) {
        if (f.format != TBF_CRED_SHA256 && f.format != TBF_CRED_ECDSA_P256)
            continue; // Reserved, RSA, SHA-384/512: not checkable here (Tock: Pass)
        if (!hashed) {
            struct sha256 s;
            sha256_init(&s);
            // binary_end_offset >= header_size >= 16 (tbf_parse).
            sha256_update(&s, base ? base : img, TBF_BASE_HEADER_SIZE);
            sha256_update(&s, img + TBF_BASE_HEADER_SIZE,
                          h->binary_end_offset - TBF_BASE_HEADER_SIZE);
            sha256_final(&s, digest);
            hashed = true;
        }
        if (f.format == TBF_CRED_SHA256) {
            if (!same32(f.data, digest))
                return CRED_R_SHA_MISMATCH;
            sha_ok = true; // integrity only: approves the app only where unsigned may run
            if (!c->require_signature)
                return CRED_HASHED;
            continue;
        }
        saw_sig = true;
        if (!CAIRN_CRED_ECDSA || !c->trusted_key)
            continue; // nothing to verify with: as a key that does not match (Pass)
#if CAIRN_CRED_ECDSA
        if (!scratch)
            return CRED_R_NO_RAM;
        struct p256_job j = {c->trusted_key, digest, f.data, (void *)scratch, 0};
        arch_call_on_stack(p256_job_run, &j, scratch + CRED_SCRATCH_LEN);
        if (j.ok < 0)
            return CRED_R_NO_RAM;
        if (j.ok)
            return CRED_SIGNED;
#endif
    }
    malformed = st == TBF_FOOTER_BAD;
    if (!c->require_signature)
        return sha_ok ? CRED_HASHED : CRED_UNCHECKED;
    if (saw_sig)
        return CRED_R_BAD_SIG;
    return malformed ? CRED_R_MALFORMED : CRED_R_UNSIGNED;
}

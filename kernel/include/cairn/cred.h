// SPDX-License-Identifier: Apache-2.0
// App credentials checker: SHA-256 and ECDSA P-256 footers of a TBF, and the board's policy.
//
// The board decides (struct app_checker, in struct kernel_config): whether an app must
// carry an ECDSA P-256 signature by its trusted key to run, or may run unsigned. Either
// way every SHA-256 footer is checked, and a mismatch refuses the app (tampered or damaged
// image; Tock's SHA-256 checker rejects likewise). Footers are read in order as Tock's
// kernel reads them (tbf_footer_next): the first credential that approves the app ends
// the walk; a malformed footer ends it too. Implemented in crypto/cred.c; ECDSA is mbed
// TLS's (crypto/p256.c), built from Debian's source package.
#ifndef CAIRN_CRED_H
#define CAIRN_CRED_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/tbf.h>

// Whether the image has a checker at all (boards/common/features.mk, FEATURE_CREDS): with
// 0 the board configures none and the loader's credential code compiles out.
#ifndef CAIRN_FEATURE_CREDS
#define CAIRN_FEATURE_CREDS 1
#endif

#define CRED_P256_KEY_LEN 64u // X || Y, big-endian (SEC1 uncompressed point without 0x04)

enum cred_outcome;
struct app_checker {
    bool require_signature;     // refuse apps without a signature the trusted key verifies
    const uint8_t *trusted_key; // CRED_P256_KEY_LEN bytes, or NULL: no signature verifies
    // cred_check (crypto/cred.c), called through here so that the kernel core and its host
    // builds link without the crypto code.
    enum cred_outcome (*check)(const struct app_checker *c, const uint8_t *img,
                               const struct tbf_header *h, uintptr_t scratch, const uint8_t *base);
};

// RAM the check borrows for the ECDSA verification (mbed TLS's heap and its stack, which
// do not fit the 1 kB kernel stack), 8-byte aligned, owned by nobody else during the call.
#define CRED_SCRATCH_HEAP  8192u
#define CRED_SCRATCH_STACK 2048u
#define CRED_SCRATCH_LEN   (CRED_SCRATCH_HEAP + CRED_SCRATCH_STACK)

enum cred_outcome {
    CRED_SIGNED,         // run: an ECDSA P-256 signature verified with the trusted key
    CRED_HASHED,         // run (unsigned allowed): a SHA-256 footer matched, no signature
    CRED_UNCHECKED,      // run (unsigned allowed): no credential approved it, none refused it
    CRED_R_SHA_MISMATCH, // refuse: a SHA-256 footer does not match the covered bytes
    CRED_R_UNSIGNED,     // refuse (signature required): no ECDSA signature at all
    CRED_R_BAD_SIG,      // refuse (signature required): no signature verifies with the key
    CRED_R_MALFORMED,    // refuse (signature required): a malformed footer before any approval
    CRED_R_NO_RAM,       // refuse: no RAM free to lend the ECDSA check
    CRED_OUTCOME_COUNT,
};

static inline bool cred_runs(enum cred_outcome o)
{
    return o <= CRED_UNCHECKED;
}

// Checks the credentials of the TBF img that tbf_parse() accepted as h (total_size bytes
// readable). base: the 16-byte base header to hash instead of img's own (the app store
// checks an image whose checksum word is written only at commit), or NULL. scratch:
// CRED_SCRATCH_LEN bytes of RAM to lend, or 0 if none is free (then an ECDSA footer that would be
// verified refuses the app with CRED_R_NO_RAM). A NULL checker runs every app unchecked
// (CRED_UNCHECKED), as Tock's null checker.
enum cred_outcome cred_check(const struct app_checker *c, const uint8_t *img,
                             const struct tbf_header *h, uintptr_t scratch, const uint8_t *base);

// Why, in words ("SHA-256 credential does not match the image", ...); never NULL.
// (kernel/credstr.c: the loader needs it without the checker.)
const char *cred_outcome_str(enum cred_outcome o);

// ECDSA P-256 verification of a 32-byte hash against signature r || s (64 bytes,
// big-endian) with key X || Y. heap: heap_len bytes mbed TLS allocates from. Runs on the
// caller's stack (about 1.5 kB deep). 1 if the signature is valid, 0 if not, -1 if the
// heap ran out (then nothing is known).
int cred_p256_verify(const uint8_t key[CRED_P256_KEY_LEN], const uint8_t hash[32],
                     const uint8_t sig[64], void *heap, uint32_t heap_len);

#endif

// SPDX-License-Identifier: Apache-2.0
// RNG capsule (driver 0x40001): random bytes from an HMAC_DRBG seeded by an entropy source.
//
// ABI (Tock 2.x, capsules/core/src/rng.rs):
//   command 0: exists -> Success; Failure NODEVICE on a board with no entropy source
//   command 1 (n): fill the read-write buffer of allow 0 with n random bytes (at most its
//              length) -> Success; a new request replaces the process's pending one.
//              Failure FAIL if the generator could not be seeded (or reseeded); NOMEM if
//              the grant cannot be allocated
//   other commands: Failure NOSUPPORT
//   read-write allow 0: the buffer to fill
//   subscribe 0: done, upcall (0, bytes written, 0); bytes written is less than n when
//              the buffer is shorter (0 with no buffer)
//   Allows and subscribes with other numbers: Failure NOSUPPORT (from the grant).
// Fairness: requests are served from a deferred call, RNG_CHUNK bytes per process per
// pass in grant order, so a process asking for a lot delays nobody by more than a chunk.
// The generator: HMAC_DRBG with SHA-256 (NIST SP 800-90A; hmac_drbg.h), instantiated at
// boot with 32 bytes of entropy, a 16-byte nonce from the same source and a
// personalization string, reseeded with 32 fresh bytes every RNG_RESEED_INTERVAL chunks.
// One generator serves every process; its output never depends on who asks.
#ifndef CAIRN_CAPSULE_RNG_H
#define CAIRN_CAPSULE_RNG_H

#include <stdbool.h>

#include <cairn/deferred.h>
#include <cairn/driver.h>
#include <cairn/grant.h>
#include <cairn/hil/entropy.h>

#include "hmac_drbg.h"

#define RNG_DRIVER_NUM      0x40001u
#define RNG_CHUNK           64u
#define RNG_RESEED_INTERVAL 1024u

struct rng_app {
    uint32_t remaining; // bytes still wanted by the pending request (0: none)
    uint32_t idx;       // bytes written so far
    uint8_t pending;
};

struct rng_capsule {
    struct entropy_source *src; // null: no entropy on this board, the driver is absent
    struct hmac_drbg drbg;
    bool seeded;
    bool more; // a pass left requests unfinished
    uint32_t reseeds;
    struct deferred_call dc;
    struct grant grant;
};

// Seeds the generator from src (may be null). Returns OK, NODEVICE (no source) or FAIL
// (the source failed): the board prints which, loudly.
int rng_init(struct rng_capsule *r, struct entropy_source *src);
struct cmd_result rng_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                              uint32_t arg1);

#endif

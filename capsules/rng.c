// SPDX-License-Identifier: Apache-2.0
// RNG capsule: per-process requests filled in fair chunks from one HMAC_DRBG.
#include "rng.h"

#include <stddef.h>

#include <cairn/errorcode.h>

static const uint8_t personalization[] = "Cairn RNG capsule";

static bool reseed(struct rng_capsule *r)
{
    uint8_t e[32];
    if (r->src->ops->read(r->src, e, sizeof e) != OK) {
        r->seeded = false; // SP 800-90A: no output once a required reseed fails
        return false;
    }
    hmac_drbg_reseed(&r->drbg, e, sizeof e, NULL, 0);
    r->reseeds++;
    for (unsigned i = 0; i < sizeof e; i++)
        e[i] = 0;
    return true;
}

static void serve_one(procid_t pid, void *state, void *ctx)
{
    struct rng_capsule *r = ctx;
    struct rng_app *a = state;
    if (!a->pending)
        return;
    uint32_t len = allow_rw_len(&r->grant, pid, 0);
    uint32_t room = a->idx < len ? len - a->idx : 0;
    uint32_t n = a->remaining < room ? a->remaining : room;
    if (n > RNG_CHUNK)
        n = RNG_CHUNK;
    if (n > 0 && r->seeded) {
        if (r->drbg.reseed_counter > RNG_RESEED_INTERVAL)
            reseed(r);
        uint8_t chunk[RNG_CHUNK];
        if (r->seeded && hmac_drbg_generate(&r->drbg, chunk, n, NULL, 0)) {
            allow_rw_write(&r->grant, pid, 0, a->idx, chunk, n);
            a->idx += n;
            a->remaining -= n;
            room -= n;
        }
        for (unsigned i = 0; i < n; i++)
            chunk[i] = 0;
    }
    if (a->remaining > 0 && room > 0 && r->seeded) {
        r->more = true;
        return;
    }
    a->pending = 0;
    a->remaining = 0;
    upcall_schedule(pid, RNG_DRIVER_NUM, 0, 0, a->idx, 0);
}

static void pass(void *ctx)
{
    struct rng_capsule *r = ctx;
    r->more = false;
    grant_each(&r->grant, serve_one, r);
    // The next pass waits for the next loop iteration: processes run in between.
    if (r->more)
        deferred_call_schedule(&r->dc);
}

int rng_init(struct rng_capsule *r, struct entropy_source *src)
{
    r->src = src;
    r->seeded = false;
    r->reseeds = 0;
    r->grant = (struct grant)GRANT_INIT(RNG_DRIVER_NUM, struct rng_app, 1, 0, 1);
    grant_register(&r->grant);
    deferred_call_register(&r->dc, pass, r);
    if (!src)
        return NODEVICE;
    uint8_t seed[48]; // entropy input (32) then nonce (16)
    if (src->ops->read(src, seed, sizeof seed) != OK)
        return FAIL;
    hmac_drbg_instantiate(&r->drbg, seed, 32, seed + 32, 16, personalization,
                          sizeof personalization - 1);
    for (unsigned i = 0; i < sizeof seed; i++)
        seed[i] = 0;
    r->seeded = true;
    return OK;
}

static void request(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct rng_app *a = state;
    a->remaining = *(uint32_t *)ctx;
    a->idx = 0;
    a->pending = 1;
}

struct cmd_result rng_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                              uint32_t arg1)
{
    struct rng_capsule *r = d->ctx;
    (void)arg1;
    if (!r->src)
        return cmd_failure(NODEVICE);
    switch (cmd) {
    case 0:
        return cmd_success();
    case 1: {
        if (!r->seeded)
            return cmd_failure(FAIL);
        int err = grant_enter(&r->grant, pid, request, &arg0);
        if (err != OK)
            return cmd_failure(err);
        deferred_call_schedule(&r->dc);
        return cmd_success();
    }
    default:
        return cmd_failure(NOSUPPORT);
    }
}

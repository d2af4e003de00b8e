// SPDX-License-Identifier: Apache-2.0
// RNG driver (0x40001): allow a buffer, request n bytes, upcall (0, bytes written, 0).
#include "rng.h"
#include "syscall.h"

enum { RNG_CMD_GET = 1, RNG_UPCALL = 0, RNG_ALLOW = 0 };

static rng_done_fn *pending_done;
static void *pending_userdata;

returncode_t rng_allow(void *buf, size_t len)
{
    return allow_ok(allow_rw(RNG_DRIVER, RNG_ALLOW, buf, len));
}

returncode_t rng_request(uint32_t n)
{
    return command_ok(command(RNG_DRIVER, RNG_CMD_GET, n, 0));
}

static void rng_upcall(int status, int len, int unused, void *userdata)
{
    (void)status;
    (void)unused;
    (void)userdata;
    rng_done_fn *done = pending_done;
    pending_done = NULL;
    rng_allow(NULL, 0);
    if (done)
        done(RETURNCODE_SUCCESS, (size_t)len, pending_userdata);
}

returncode_t rng_get(void *buf, size_t len, rng_done_fn *done, void *userdata)
{
    if (pending_done)
        return RETURNCODE_EBUSY;
    returncode_t rc = subscribe_ok(subscribe(RNG_DRIVER, RNG_UPCALL, rng_upcall, NULL));
    if (rc < 0)
        return rc;
    if ((rc = rng_allow(buf, len)) < 0)
        return rc;
    pending_done = done;
    pending_userdata = userdata;
    if ((rc = rng_request((uint32_t)len)) < 0) {
        pending_done = NULL;
        rng_allow(NULL, 0);
    }
    return rc;
}

returncode_t rng_get_sync(void *buf, size_t len, size_t *len_out)
{
    if (pending_done)
        return RETURNCODE_EBUSY;
    returncode_t rc = rng_allow(buf, len);
    if (rc < 0)
        return rc;
    if ((rc = rng_request((uint32_t)len)) < 0) {
        rng_allow(NULL, 0);
        return rc;
    }
    struct yield_wait_for_return r = yield_wait_for(RNG_DRIVER, RNG_UPCALL);
    rng_allow(NULL, 0);
    if (len_out)
        *len_out = r.data1;
    return RETURNCODE_SUCCESS;
}

// SPDX-License-Identifier: Apache-2.0
// rng_dump: asks the RNG driver (0x40001) for random bytes, synchronously and with a
// callback, and prints them in hex; then the driver's answers to bad arguments.

#include <stdio.h>
#include <string.h>

#include "cairn.h"

static void hex(const char *label, const uint8_t *b, size_t n)
{
    printf("rng_dump: %s ", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", b[i]);
    printf("\n");
}

static volatile int async_done;
static size_t async_len;

static void got(returncode_t status, size_t len, void *userdata)
{
    (void)status;
    (void)userdata;
    async_len = len;
    async_done = 1;
}

int main(void)
{
    static uint8_t buf[64];
    size_t n = 0;
    returncode_t rc = rng_get_sync(buf, sizeof buf, &n);
    if (rc < 0) {
        printf("rng_dump: no RNG (%s)\n", returncode_name(rc));
        return 0;
    }
    hex("first", buf, 16);
    hex("sync", buf, n);

    static uint8_t more[16];
    rc = rng_get(more, sizeof more, got, NULL);
    while (rc == RETURNCODE_SUCCESS && !async_done)
        yield_wait();
    printf("rng_dump: async %s, %u bytes\n", returncode_name(rc), (unsigned)async_len);
    hex("async", more, async_len);

    // Bad arguments and edges, Tock's answers: a request longer than the buffer fills the
    // buffer; without a buffer the upcall says 0 bytes.
    static uint8_t small[8];
    rng_allow(small, sizeof small);
    rng_request(100);
    struct yield_wait_for_return r = yield_wait_for(RNG_DRIVER, 0);
    unsigned longer = r.data1;
    rng_allow(NULL, 0);
    rng_request(16);
    r = yield_wait_for(RNG_DRIVER, 0);
    unsigned none = r.data1;
    returncode_t cmd = command_ok(command(RNG_DRIVER, 9, 0, 0));
    returncode_t slot = allow_ok(allow_rw(RNG_DRIVER, 1, small, sizeof small));
    returncode_t sub = subscribe_ok(subscribe(RNG_DRIVER, 1, NULL, NULL));
    printf("rng_dump: 100 into 8 gave %u, no buffer gave %u, command-9 %s, allow-1 %s, "
           "subscribe-1 %s\n",
           longer, none, returncode_name(cmd), returncode_name(slot), returncode_name(sub));
    printf("rng_dump: done\n");
    return 0;
}

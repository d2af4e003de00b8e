// SPDX-License-Identifier: Apache-2.0
// RNG driver (0x40001): random bytes from the kernel's CSPRNG (HMAC_DRBG, SHA-256).
//
// On the QEMU boards the generator is seeded from the emulator host's /dev/urandom; a
// board without an entropy source has no RNG driver (RETURNCODE_ENODEVICE). Return codes:
//   RETURNCODE_ENODEVICE  no RNG on this board
//   RETURNCODE_FAIL       the generator could not be (re)seeded
//   RETURNCODE_ENOMEM     no room for the driver's state in this process's kernel part
//   RETURNCODE_EBUSY      (async) a request of this process is still in flight
#ifndef CAIRN_RNG_H
#define CAIRN_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

#define RNG_DRIVER 0x40001

// --- raw calls ------------------------------------------------------------------------
// Lend buf to the driver (NULL, 0 to take it back) / ask for n bytes into it (the kernel
// writes at most the buffer's length; a new request replaces a pending one).
returncode_t rng_allow(void *buf, size_t len);
returncode_t rng_request(uint32_t n);

// --- asynchronous API -------------------------------------------------------------------
// Fill buf[0..len) in the background; done(status, bytes written, userdata) runs from a
// later yield (bytes < len only if the buffer was taken back meanwhile). buf must stay
// valid until then.
typedef void rng_done_fn(returncode_t status, size_t len, void *userdata);
returncode_t rng_get(void *buf, size_t len, rng_done_fn *done, void *userdata);

// --- synchronous API --------------------------------------------------------------------
// Fill buf[0..len) and return when it is done (Yield-WaitFor: no other upcall runs
// meanwhile). *len_out (may be NULL) gets the bytes written.
returncode_t rng_get_sync(void *buf, size_t len, size_t *len_out);

#endif // CAIRN_RNG_H
